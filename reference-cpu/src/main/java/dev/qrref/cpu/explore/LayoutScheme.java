package dev.qrref.cpu.explore;

import dev.qrref.spec.Names;

/** Where a call's slots and flags sit in a rank's communication buffer. */
public enum LayoutScheme {
    /**
     * The project's layout ({@link dev.qrref.spec.BufferLayout}): both phase regions at fixed offsets that depend only
     * on W, the grid cap and the max problem size; slot offsets per codec stride.
     */
    FIXED_REGIONS("fixed", "fixed per-phase regions (project layout, spec BufferLayout)"),
    /**
     * Reconstruction of the upstream layout before the variable-input fix (vLLM #25892, aiter #1191, sglang #11609):
     * flags at {@code (B·W + s)·4}, phase-2 flags {@code grid·W·4} further; data at {@code 2·W·maxBlocks·4}, phase-1
     * slot at {@code B·T + s·R}, phase-2 slot {@code grid·T} further, with T / R the codec's transmitted tile / rank
     * tile sizes. Phase 2 therefore moves with the call's grid.
     */
    GRID_OFFSET_PRE_FIX("pre-fix", "phase-2 region at grid x kTransmittedTileSize past phase 1 (upstream before the variable-size fix)");

    private final String cliName;
    private final String description;

    LayoutScheme(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Accepts the CLI name ({@code fixed}, {@code pre-fix}) or the enum name, case-insensitively. */
    public static LayoutScheme fromName(String name) {
        return Names.lookup(values(), name, "layout scheme", LayoutScheme::cliName);
    }
}
