package dev.qrref.cpu.explore;

import dev.qrref.spec.Names;

/** How interleavings are chosen. */
public enum SearchMode {
    /** Breadth-first over every interleaving (optionally reduced by stubborn sets), up to a state budget. */
    EXHAUSTIVE,
    /** Seeded random schedules (uniform and priority-based), up to a schedule budget. */
    RANDOM;

    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static SearchMode fromName(String name) {
        return Names.lookup(values(), name, "mode", SearchMode::cliName);
    }
}
