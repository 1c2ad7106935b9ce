package dev.qrref.cpu.explore;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random schedules. Three strategies take turns, because the historical bugs need one rank to run far ahead of
 * another, which uniform choice rarely produces on larger configurations:
 * <ol>
 *   <li>uniform: every enabled block equally likely at each step;</li>
 *   <li>PCT: random fixed priorities, the highest-priority enabled block runs; at 3 random points the running block
 *       drops to the lowest priority (probabilistic concurrency testing);</li>
 *   <li>rank-biased: one favoured rank runs whenever it can with probability 0.9; the favourite changes rarely.</li>
 * </ol>
 * Schedule i uses its own generator seeded from (seed, i), so a failing schedule is reproducible on its own.
 */
final class RandomSearch {
    private RandomSearch() {
    }

    static final String STRATEGIES = "uniform, PCT with 3 priority change points, rank-biased (p = 0.9), in turn";

    record Outcome(int[] schedule, Violation violation, long schedules, long steps, boolean complete) {
    }

    static Outcome search(Model m, long seed, long maxSchedules, long deadline) {
        long steps = 0;
        int total = m.totalActions();
        int[] en = new int[m.processes];
        int[] sched = new int[total];
        for (long i = 0; i < maxSchedules; i++) {
            if (System.nanoTime() > deadline) {
                return new Outcome(null, null, i, steps, false);
            }
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            int strategy = (int) (i % 3);
            int[] prio = new int[m.processes];
            int[] changeAt = new int[3];
            if (strategy == 1) {
                for (int p = 0; p < prio.length; p++) {
                    prio[p] = p;
                }
                for (int p = prio.length - 1; p > 0; p--) {
                    int j = rng.nextInt(p + 1);
                    int t = prio[p];
                    prio[p] = prio[j];
                    prio[j] = t;
                }
                for (int c = 0; c < changeAt.length; c++) {
                    changeAt[c] = rng.nextInt(total);
                }
                Arrays.sort(changeAt);
            }
            int favoured = rng.nextInt(m.worldSize);
            int lowest = -1;
            int[] s = m.initialState();
            int n = 0;
            while (true) {
                int k = 0;
                for (int p = 0; p < m.processes; p++) {
                    if (m.enabled(s, p)) {
                        en[k++] = p;
                    }
                }
                if (k == 0) {
                    Violation v = m.checkStuck(s);
                    if (v != null) {
                        return new Outcome(Arrays.copyOf(sched, n), v, i + 1, steps, true);
                    }
                    break;
                }
                int pick;
                switch (strategy) {
                    case 0 -> pick = en[rng.nextInt(k)];
                    case 1 -> {
                        pick = en[0];
                        for (int j = 1; j < k; j++) {
                            if (prio[en[j]] > prio[pick]) {
                                pick = en[j];
                            }
                        }
                        for (int c : changeAt) {
                            if (c == n) {
                                prio[pick] = lowest--; // demote the running block below everything
                            }
                        }
                    }
                    default -> {
                        if (rng.nextInt(200) == 0) {
                            favoured = rng.nextInt(m.worldSize);
                        }
                        pick = -1;
                        if (rng.nextInt(10) < 9) {
                            int start = rng.nextInt(k);
                            for (int j = 0; j < k && pick < 0; j++) {
                                int c = en[(start + j) % k];
                                if (m.rankOf(c) == favoured) {
                                    pick = c;
                                }
                            }
                        }
                        if (pick < 0) {
                            pick = en[rng.nextInt(k)];
                        }
                    }
                }
                Violation v = m.execute(s, pick);
                sched[n++] = pick;
                steps++;
                if (v != null) {
                    return new Outcome(Arrays.copyOf(sched, n), v, i + 1, steps, true);
                }
            }
        }
        return new Outcome(null, null, maxSchedules, steps, true);
    }
}
