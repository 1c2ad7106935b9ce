package dev.qrref.cpu.explore;

import dev.qrref.spec.Names;

/** How the colour a block stores in, and expects from, the flags is chosen. Iteration j always adds j. */
public enum ColourScheme {
    /**
     * The project's scheme ({@link dev.qrref.spec.FlagScheme}): a per-(rank, block) counter starting at 1; colour =
     * counter + j; at the end of the call the block writes counter + iterations back.
     */
    DEVICE_COUNTERS("device", "per-block device counters, advanced by the kernel (project scheme)"),
    /** Upstream before the graph fix: the host passes colour c, then does c += ceil(N / grid) after each launch. */
    HOST_COLOUR("host", "host colour c, c += ceil(N/grid) per call (upstream, eager launches)"),
    /**
     * The host colour baked into a captured CUDA/HIP graph: the first call of each shape (N, codec) is captured with
     * the host colour of that moment (and the host advances as usual); every later call of that shape is a replay and
     * uses the same baked colour again.
     */
    HOST_COLOUR_GRAPH_REPLAY("graph-replay", "host colour baked into a captured graph; replays reuse it");

    private final String cliName;
    private final String description;

    ColourScheme(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** Accepts the CLI name ({@code device}, {@code host}, {@code graph-replay}) or the enum name. */
    public static ColourScheme fromName(String name) {
        return Names.lookup(values(), name, "colour scheme", ColourScheme::cliName);
    }
}
