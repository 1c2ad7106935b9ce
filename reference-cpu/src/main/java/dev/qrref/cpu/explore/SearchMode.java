package dev.qrref.cpu.explore;

import dev.qrref.spec.InvalidArgumentException;

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
        for (SearchMode m : values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new InvalidArgumentException("unknown mode '" + name + "' (expected exhaustive or random)");
    }
}
