package dev.qrref.cpu.explore;

import java.util.Optional;

/**
 * Explores the two-shot protocol over a sequence of calls: every (rank, block) runs its program of shared-memory
 * actions, and the explorer interleaves them exhaustively (breadth-first, stubborn-set reduction) or randomly (seeded),
 * checking the {@link Invariant}s on every step. A violation is reported with a minimised counterexample schedule.
 *
 * <pre>{@code
 * ExplorerResult r = Explorer.run(Scenarios.variableSizeRace());
 * System.out.println(r.render());
 * }</pre>
 */
public final class Explorer {
    private Explorer() {
    }

    /** States the full (unreduced) BFS may use to shorten an exhaustive-mode counterexample. */
    static final long MINIMIZE_MAX_STATES = 3_000_000;
    /** States each bounded BFS may use to improve on a 1-minimal random-mode counterexample. */
    static final long RANDOM_MINIMIZE_MAX_STATES = 250_000;
    /** Beyond about a hundred steps a BFS frontier outgrows any such budget, so it is not attempted. */
    static final int RANDOM_MINIMIZE_MAX_DEPTH = 100;
    static final long MINIMIZE_MAX_REPLAYS = 20_000;

    static final String SHORTEST = "shortest over all interleavings (breadth-first, no reduction)";

    /** Caps a minimising BFS by memory too: a frontier state costs about 4 bytes per state word plus overhead. */
    static long minimizeBudget(Model m, long cap) {
        return Math.min(cap, 400_000_000L / (4L * m.stateSize + 96));
    }

    public static ExplorerResult run(ExplorerConfig cfg) {
        long t0 = System.nanoTime();
        long deadline = cfg.maxMillis() > 0 ? t0 + cfg.maxMillis() * 1_000_000L : Long.MAX_VALUE;
        Model m = new Model(cfg);
        long[] work = {0, 0};
        return cfg.mode() == SearchMode.EXHAUSTIVE ? exhaustive(cfg, m, t0, deadline, work) : random(cfg, m, t0, deadline, work);
    }

    private static ExplorerResult exhaustive(ExplorerConfig cfg, Model m, long t0, long deadline, long[] work) {
        ExhaustiveSearch.Outcome o = ExhaustiveSearch.search(m, cfg.reduction(), Integer.MAX_VALUE, cfg.maxStates(), deadline);
        Optional<Counterexample> cex = Optional.empty();
        if (o.violation() != null) {
            int[] sched = o.schedule();
            String how = cfg.reduction() ? "shortest found by the reduced search (not minimised)" : SHORTEST;
            if (cfg.reduction() && cfg.minimize()) {
                // A full BFS up to the same depth finds a schedule that is shortest among all interleavings.
                ExhaustiveSearch.Outcome full = ExhaustiveSearch.search(m, false, sched.length,
                        Math.min(cfg.maxStates(), minimizeBudget(m, MINIMIZE_MAX_STATES)), deadline);
                work[0] += full.states();
                if (full.violation() != null) {
                    sched = full.schedule();
                    how = SHORTEST;
                } else {
                    how = "shortest found by the reduced search (full-BFS minimisation ran out of budget)";
                }
            }
            cex = Optional.of(Minimizer.trace(m, sched, how));
        }
        ExplorerResult.Verdict verdict = verdict(o.violation() != null, o.complete());
        ExplorerResult.Stats stats = new ExplorerResult.Stats(o.states(), o.transitions(), o.schedules(), m.totalActions(),
                millisSince(t0), work[0]);
        return new ExplorerResult(cfg, verdict, stats, Bounds.exhaustive(cfg, m, o, verdict), cex);
    }

    private static ExplorerResult random(ExplorerConfig cfg, Model m, long t0, long deadline, long[] work) {
        RandomSearch.Outcome o = RandomSearch.search(m, cfg.seed(), cfg.maxSchedules(), deadline);
        Optional<Counterexample> cex = Optional.empty();
        if (o.violation() != null) {
            int[] sched = o.schedule();
            String how = "as found";
            if (cfg.minimize()) {
                Invariant target = o.violation().invariant();
                if (target != Invariant.NO_DEADLOCK && target != Invariant.EVERY_CALL_ENDS) {
                    sched = Minimizer.causalSlice(m, sched);
                }
                sched = Minimizer.ddmin(m, sched, target, MINIMIZE_MAX_REPLAYS, deadline, work);
                how = work[1] == 1 ? "1-minimal (causal slice, then delta debugging: removing any single step loses the violation)"
                        : "shrunk by causal slicing and delta debugging (replay budget ran out before 1-minimality)";
                if (sched.length <= RANDOM_MINIMIZE_MAX_DEPTH) {
                    ExhaustiveSearch.Outcome reduced = ExhaustiveSearch.search(m, true, sched.length,
                            minimizeBudget(m, RANDOM_MINIMIZE_MAX_STATES), deadline);
                    work[0] += reduced.states();
                    if (reduced.violation() != null && reduced.schedule().length < sched.length) {
                        sched = reduced.schedule();
                        how = "shortest within the partial-order-reduced graph";
                    }
                    ExhaustiveSearch.Outcome full = ExhaustiveSearch.search(m, false, sched.length,
                            minimizeBudget(m, RANDOM_MINIMIZE_MAX_STATES), deadline);
                    work[0] += full.states();
                    if (full.violation() != null) {
                        sched = full.schedule();
                        how = SHORTEST;
                    }
                }
            }
            cex = Optional.of(Minimizer.trace(m, sched, how));
        }
        ExplorerResult.Verdict verdict = verdict(o.violation() != null, o.complete());
        ExplorerResult.Stats stats = new ExplorerResult.Stats(0, o.steps(), o.schedules(), m.totalActions(), millisSince(t0), work[0]);
        return new ExplorerResult(cfg, verdict, stats, Bounds.random(cfg, o, verdict), cex);
    }

    private static ExplorerResult.Verdict verdict(boolean violated, boolean complete) {
        return violated ? ExplorerResult.Verdict.VIOLATION
                : complete ? ExplorerResult.Verdict.NO_VIOLATION : ExplorerResult.Verdict.INCOMPLETE;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
