package dev.qrref.cpu.explore;

/** The sentences that say exactly what an exploration covered. */
final class Bounds {
    private Bounds() {
    }

    static final String MEMORY_MODEL = "sequentially consistent interleaving, one shared-memory action per step "
            + "(one slot write to one receiver, one flag store to one receiver, one flag wait, one slot read, one counter update); "
            + "data at byte-range granularity, flags as whole 4-byte words";
    static final String MODEL = "memory model: " + MEMORY_MODEL;
    static final String EXCLUDED = "uint32 colour wrap-around (needs 2^32 iterations of one block), "
            + "weak-memory reorderings beyond release/acquire, torn flag stores, other call sequences, ranks or grid caps";
    static final String NOT_COVERED = "not covered: " + EXCLUDED;

    static String exhaustive(ExplorerConfig cfg, Model m, ExhaustiveSearch.Outcome o, ExplorerResult.Verdict verdict) {
        String scope = "all interleavings of " + cfg.worldSize() + " ranks x " + cfg.maxBlocks() + " block"
                + (cfg.maxBlocks() == 1 ? "" : "s") + " over " + cfg.calls().size() + " call" + (cfg.calls().size() == 1 ? "" : "s")
                + " " + cfg.calls() + " (" + m.totalActions() + " actions per run)";
        String reduction = cfg.reduction()
                ? "stubborn-set partial-order reduction over static footprints (preserves deadlocks and violating steps)"
                : "no reduction";
        String how = switch (verdict) {
            case NO_VIOLATION -> String.format("explored completely: %,d distinct states", o.states());
            case VIOLATION -> String.format("stopped at the first violation after %,d distinct states", o.states());
            case INCOMPLETE -> String.format("NOT complete: budget exhausted after %,d distinct states at depth %d of %d",
                    o.states(), o.depth(), m.totalActions());
        };
        return scope + "; " + reduction + "; " + how + "; " + MODEL + "; " + NOT_COVERED + ".";
    }

    static String random(ExplorerConfig cfg, RandomSearch.Outcome o, ExplorerResult.Verdict verdict) {
        String how = verdict == ExplorerResult.Verdict.INCOMPLETE
                ? String.format("%,d of %,d schedules before the time limit", o.schedules(), cfg.maxSchedules())
                : String.format("%,d schedule%s", o.schedules(), o.schedules() == 1 ? "" : "s");
        return how + " (" + String.format("%,d", o.steps()) + " steps) of " + cfg.worldSize() + " ranks x " + cfg.maxBlocks()
                + " blocks over " + cfg.calls().size() + " calls " + cfg.calls() + ", seed " + cfg.seed() + ", strategies: "
                + RandomSearch.STRATEGIES + "; a sample, not exhaustive; " + MODEL + ".";
    }
}
