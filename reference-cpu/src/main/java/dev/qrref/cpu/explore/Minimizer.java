package dev.qrref.cpu.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Replays schedules, shrinks failing ones by delta debugging, and turns them into {@link Counterexample}s. */
final class Minimizer {
    private Minimizer() {
    }

    /** Result of a lenient replay: the choices that were actually executed and the violation reached, if any. */
    record Replay(int[] executed, Violation violation) {
    }

    /**
     * Replays process choices from the initial state, skipping a choice whose process is not enabled at that point;
     * stops at the first violation. At the end, a state with nothing enabled is checked for deadlock / clean end.
     */
    static Replay replay(Model m, int[] choices) {
        int[] s = m.initialState();
        int[] done = new int[choices.length];
        int n = 0;
        for (int p : choices) {
            if (!m.enabled(s, p)) {
                continue;
            }
            Violation v = m.execute(s, p);
            done[n++] = p;
            if (v != null) {
                return new Replay(Arrays.copyOf(done, n), v);
            }
        }
        Violation v = m.enabledSet(s).length == 0 ? m.checkStuck(s) : null;
        return new Replay(Arrays.copyOf(done, n), v);
    }

    /**
     * Causal slice of a schedule whose last step commits a violation: keeps only the steps that happen before that
     * step, where happens-before is program order, conflicting access to overlapping bytes or flag words (in schedule
     * order), and the kernel boundary (a block's first action of call k waits for its rank's actions of earlier calls).
     * Every dropped step is independent of every kept step after it, so the kept steps, in their original order, replay
     * to the same state at the last step and commit the same violation.
     */
    static int[] causalSlice(Model m, int[] schedule) {
        int n = schedule.length;
        Action[] acts = new Action[n];
        int[] s = m.initialState();
        for (int i = 0; i < n; i++) {
            acts[i] = m.next(s, schedule[i]);
            m.execute(s, schedule[i]);
        }
        boolean[] keep = new boolean[n];
        boolean[] procInCone = new boolean[m.processes];
        boolean[] rangeInCone = new boolean[m.ranges.size()];
        boolean[] flagInCone = new boolean[m.flags.size()];
        int[] barrierCall = new int[m.worldSize]; // a kept first-of-call action of this rank needs all earlier calls
        Arrays.fill(barrierCall, -1);
        for (int i = n - 1; i >= 0; i--) {
            Action a = acts[i];
            int p = schedule[i];
            boolean k = i == n - 1 || procInCone[p] || a.call() < barrierCall[a.rank()];
            if (!k) {
                switch (a.kind()) {
                    case WRITE_SLOT, READ_SLOT -> {
                        k = rangeInCone[a.loc()];
                        for (int o : m.rangeOverlaps[a.loc()]) {
                            k |= rangeInCone[o];
                        }
                    }
                    case STORE_FLAG, WAIT_FLAG -> k = flagInCone[a.loc()];
                    case UPDATE_COUNTER -> {
                    }
                }
            }
            if (!k) {
                continue;
            }
            keep[i] = true;
            procInCone[p] = true;
            switch (a.kind()) {
                case WRITE_SLOT, READ_SLOT -> rangeInCone[a.loc()] = true;
                case STORE_FLAG, WAIT_FLAG -> flagInCone[a.loc()] = true;
                case UPDATE_COUNTER -> {
                }
            }
            if (a.firstOfCall()) {
                barrierCall[a.rank()] = Math.max(barrierCall[a.rank()], a.call());
            }
        }
        int c = 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[c++] = schedule[i];
            }
        }
        return Arrays.copyOf(out, c);
    }

    /**
     * Delta debugging (ddmin, complements only) of a failing schedule: the result still breaks {@code target} and
     * removing any single step of it no longer does (1-minimal), unless the replay budget ran out first.
     *
     * @param work out: work[0] += replays used; work[1] = 1 if the result is 1-minimal, 0 if the budget ran out
     */
    static int[] ddmin(Model m, int[] failing, Invariant target, long maxReplays, long deadline, long[] work) {
        int[] c = failing;
        int n = 2;
        long replays = 0;
        boolean minimal = c.length < 2;
        while (c.length >= 2 && replays < maxReplays && System.nanoTime() < deadline) {
            int chunk = (c.length + n - 1) / n;
            boolean reduced = false;
            for (int start = 0; start < c.length && replays < maxReplays; start += chunk) {
                int end = Math.min(c.length, start + chunk);
                int[] comp = new int[c.length - (end - start)];
                System.arraycopy(c, 0, comp, 0, start);
                System.arraycopy(c, end, comp, start, c.length - end);
                Replay r = replay(m, comp);
                replays++;
                if (r.violation() != null && r.violation().invariant() == target) {
                    c = r.executed();
                    n = Math.max(n - 1, 2);
                    reduced = true;
                    break;
                }
            }
            if (!reduced) {
                if (n >= c.length) {
                    minimal = true;
                    break;
                }
                n = Math.min(2 * n, c.length);
            }
        }
        work[0] += replays;
        work[1] = minimal ? 1 : 0;
        return c;
    }

    /** Strictly replays a schedule (every choice must be enabled) and records its steps. */
    static Counterexample trace(Model m, int[] schedule, String minimality) {
        int[] s = m.initialState();
        List<Step> steps = new ArrayList<>();
        Violation v = null;
        for (int i = 0; i < schedule.length; i++) {
            int p = schedule[i];
            if (!m.enabled(s, p)) {
                throw new IllegalStateException("schedule step " + (i + 1) + " (" + m.processName(p) + ") is not enabled");
            }
            Action a = m.next(s, p);
            int colour = switch (a.kind()) {
                case STORE_FLAG, WAIT_FLAG -> m.colour(s, a);
                case UPDATE_COUNTER -> s[m.oCounter + p];
                default -> 0;
            };
            steps.add(new Step(i + 1, a, colour));
            v = m.execute(s, p);
            if (v != null && i != schedule.length - 1) {
                throw new IllegalStateException("schedule violates " + v.invariant().id + " before its end, at step " + (i + 1));
            }
        }
        if (v == null && m.enabledSet(s).length == 0) {
            v = m.checkStuck(s);
        }
        if (v == null) {
            throw new IllegalStateException("schedule does not break any checked invariant");
        }
        return new Counterexample(m.cfg, steps, v, minimality);
    }
}
