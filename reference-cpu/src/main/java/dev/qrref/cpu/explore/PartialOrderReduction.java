package dev.qrref.cpu.explore;

import java.util.Arrays;

/**
 * Partial-order reduction for the exhaustive search: which processes' next actions must be explored from a state so
 * that every reachable deadlock and violating step is still reached.
 */
final class PartialOrderReduction {
    private final Program p;
    private final Semantics semantics;
    /** [pid][idx] -> global action id */
    private final int[][] gid;
    /** [gid][pid] -> last index in program[pid] touching an overlapping location, -1 if none */
    private final int[][] lastConflict;

    /**
     * Precomputes, for every action and every other process, the last program index at which that process touches a
     * location overlapping the action's. Counter updates touch only their own block's counter and are independent of
     * everything else.
     */
    PartialOrderReduction(Program p, Semantics semantics) {
        this.p = p;
        this.semantics = semantics;
        int processes = p.processes;
        Action[][] program = p.program;
        gid = new int[processes][];
        int n = 0;
        for (int q = 0; q < processes; q++) {
            gid[q] = new int[program[q].length];
            for (int i = 0; i < program[q].length; i++) {
                gid[q][i] = n++;
            }
        }
        // last index per (process, location)
        int[][] lastData = new int[processes][p.ranges.size()];
        int[][] lastFlag = new int[processes][p.flags.size()];
        for (int q = 0; q < processes; q++) {
            Arrays.fill(lastData[q], -1);
            Arrays.fill(lastFlag[q], -1);
            for (int i = 0; i < program[q].length; i++) {
                Action a = program[q][i];
                switch (a.kind()) {
                    case WRITE_SLOT, READ_SLOT -> lastData[q][a.loc()] = i;
                    case STORE_FLAG, WAIT_FLAG -> lastFlag[q][a.loc()] = i;
                    case UPDATE_COUNTER -> {
                    }
                }
            }
        }
        lastConflict = new int[n][];
        for (int q = 0; q < processes; q++) {
            for (int i = 0; i < program[q].length; i++) {
                Action a = program[q][i];
                int[] row = new int[processes];
                for (int r = 0; r < processes; r++) {
                    int last = -1;
                    if (r != q) {
                        switch (a.kind()) {
                            case WRITE_SLOT, READ_SLOT -> {
                                last = lastData[r][a.loc()];
                                for (int o : p.rangeOverlaps[a.loc()]) {
                                    last = Math.max(last, lastData[r][o]);
                                }
                            }
                            case STORE_FLAG, WAIT_FLAG -> last = lastFlag[r][a.loc()];
                            case UPDATE_COUNTER -> {
                            }
                        }
                    }
                    row[r] = last;
                }
                lastConflict[gid[q][i]] = row;
            }
        }
    }

    /**
     * A persistent (stubborn) set of processes at {@code s}: closed under "has a future action dependent on the next
     * action of a member" for enabled members and under "can enable it" for disabled members. Exploring only the
     * enabled members preserves every reachable deadlock and every reachable violating step, because a violation is
     * decided by the action's own footprint, which no independent action changes. Returns the pids to expand (the
     * smallest such set over all seeds), or an empty array when nothing is enabled.
     */
    int[] persistentSet(int[] s) {
        int processes = p.processes;
        int[] best = null;
        boolean[] in = new boolean[processes];
        int[] work = new int[processes];
        for (int seed = 0; seed < processes; seed++) {
            if (!semantics.enabled(s, seed)) {
                continue;
            }
            Arrays.fill(in, false);
            int top = 0;
            in[seed] = true;
            work[top++] = seed;
            int enabledCount = 0;
            boolean tooBig = false;
            while (top > 0) {
                int q = work[--top];
                Action a = semantics.next(s, q);
                boolean en = semantics.enabled(s, q);
                if (en) {
                    enabledCount++;
                    if (best != null && enabledCount >= best.length) {
                        tooBig = true;
                        break;
                    }
                }
                int[] row = lastConflict[gid[q][s[q]]];
                boolean barrier = !en && semantics.barrierBlocked(s, a);
                for (int r = 0; r < processes; r++) {
                    if (in[r] || semantics.finished(s, r)) {
                        continue;
                    }
                    boolean add = barrier
                            ? p.rankOf(r) == p.rankOf(q) && s[r] < p.callStart[r][a.call()]
                            : row[r] >= s[r];
                    if (add) {
                        in[r] = true;
                        work[top++] = r;
                    }
                }
            }
            if (tooBig) {
                continue;
            }
            int[] set = new int[enabledCount];
            int k = 0;
            for (int r = 0; r < processes; r++) {
                if (in[r] && semantics.enabled(s, r)) {
                    set[k++] = r;
                }
            }
            best = set;
            if (best.length == 1) {
                break;
            }
        }
        return best == null ? new int[0] : best;
    }
}
