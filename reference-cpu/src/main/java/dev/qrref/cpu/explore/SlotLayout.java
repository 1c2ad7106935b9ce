package dev.qrref.cpu.explore;

/** Byte offsets of slots, flags and counters in one rank's buffer, as one {@link LayoutScheme} places them. */
interface SlotLayout {
    long slot(int phase, CallSpec call, int grid, int block, int sender);

    long flag(int phase, int grid, int block, int sender);

    long counter(int block);

    /** The layout the configuration names. */
    static SlotLayout of(ExplorerConfig cfg) {
        return cfg.layout() == LayoutScheme.FIXED_REGIONS ? new FixedRegionsLayout(cfg) : new PreFixLayout(cfg);
    }
}
