package dev.qrref.cpu.explore;

import static dev.qrref.cpu.explore.StateLayout.DAMAGED;

import dev.qrref.spec.FlagScheme;
import java.util.ArrayList;
import java.util.List;

/**
 * What one step does: which actions are enabled in a state, and the effect of executing one, with the invariant it
 * breaks. Interleaving is sequentially consistent at action granularity: the real kernel's release store / acquire load
 * around the flags give the same orderings for the properties checked here. A write invalidates every other range
 * whose bytes it overlaps.
 */
final class Semantics {
    private final Program p;
    private final StateLayout st;
    private final Violations violations;
    private final boolean noBarrier;
    private final boolean skipCounter;

    Semantics(Program p, StateLayout st) {
        this.p = p;
        this.st = st;
        this.noBarrier = p.cfg.faults().contains(Fault.NO_LAUNCH_BARRIER);
        this.skipCounter = p.cfg.faults().contains(Fault.SKIP_COUNTER_UPDATE);
        this.violations = new Violations(p, st, this);
    }

    boolean finished(int[] s, int pid) {
        return s[pid] >= p.program[pid].length;
    }

    boolean allFinished(int[] s) {
        for (int q = 0; q < p.processes; q++) {
            if (!finished(s, q)) {
                return false;
            }
        }
        return true;
    }

    Action next(int[] s, int pid) {
        return finished(s, pid) ? null : p.program[pid][s[pid]];
    }

    /** Colour a block uses in the action's iteration. */
    int colour(int[] s, Action a) {
        int pid = p.pid(a.rank(), a.block());
        return switch (p.cfg.colours()) {
            case DEVICE_COUNTERS -> FlagScheme.colour(s[st.oCounter + pid], a.iteration());
            case HOST_COLOUR, HOST_COLOUR_GRAPH_REPLAY -> p.hostColour[a.call()] + a.iteration();
        };
    }

    /** True if the action's kernel may not start yet: some block of the same rank is still in an earlier call. */
    boolean barrierBlocked(int[] s, Action a) {
        if (!a.firstOfCall() || noBarrier) {
            return false;
        }
        for (int b = 0; b < p.blocks; b++) {
            int q = p.pid(a.rank(), b);
            if (s[q] < p.callStart[q][a.call()]) {
                return true;
            }
        }
        return false;
    }

    boolean enabled(int[] s, int pid) {
        Action a = next(s, pid);
        if (a == null || barrierBlocked(s, a)) {
            return false;
        }
        return a.kind() != Action.Kind.WAIT_FLAG || s[st.oFlagVal + a.loc()] == colour(s, a);
    }

    /**
     * Executes the next action of {@code pid} in place (it must be enabled) and returns the violation it commits
     * against a checked invariant, or null. Unchecked invariants do not stop the run: the action still happens.
     */
    Violation execute(int[] s, int pid) {
        Action a = p.program[pid][s[pid]];
        Violation v = null;
        switch (a.kind()) {
            case WRITE_SLOT -> {
                int own = s[st.oData + a.loc()];
                if (own > 0 && (own & 1) == 0) {
                    v = violations.clobber(a, a.loc(), own);
                }
                for (int o : p.rangeOverlaps[a.loc()]) {
                    int status = s[st.oData + o];
                    if (v == null && status > 0 && (status & 1) == 0) {
                        v = violations.clobber(a, o, status);
                    }
                    s[st.oData + o] = DAMAGED; // bytes of o now hold parts of this message
                }
                s[st.oData + a.loc()] = StateLayout.live(a.tagId());
            }
            case STORE_FLAG -> {
                int t = s[st.oFlagTag + a.loc()];
                if ((t & 1) == 0) {
                    v = violations.flagClobber(s, a, t);
                }
                s[st.oFlagVal + a.loc()] = colour(s, a);
                s[st.oFlagTag + a.loc()] = StateLayout.live(a.tagId());
            }
            case WAIT_FLAG -> {
                int t = s[st.oFlagTag + a.loc()];
                int found = StateLayout.tagOf(t);
                if (found != a.tagId()) {
                    v = violations.staleFlag(s, a, found);
                }
                s[st.oFlagTag + a.loc()] = t | 1;
            }
            case READ_SLOT -> {
                int status = s[st.oData + a.loc()];
                if (status != StateLayout.live(a.tagId())) {
                    v = violations.badRead(s, a, status);
                }
                if (status > 0) {
                    s[st.oData + a.loc()] = status | 1;
                }
            }
            case UPDATE_COUNTER -> {
                if (!skipCounter) {
                    s[st.oCounter + pid] = FlagScheme.advance(s[st.oCounter + pid], a.advance());
                }
            }
        }
        s[pid]++;
        return v != null && p.cfg.invariants().contains(v.invariant()) ? v : null;
    }

    /** Checks a state where no action is enabled: a deadlock, or the end-of-run invariants. */
    Violation checkStuck(int[] s) {
        if (!allFinished(s)) {
            Violation v = violations.deadlock(s);
            return p.cfg.invariants().contains(v.invariant()) ? v : null;
        }
        if (!p.cfg.invariants().contains(Invariant.EVERY_CALL_ENDS)) {
            return null;
        }
        List<String> details = new ArrayList<>();
        for (int r = 0; r < p.ranges.size(); r++) {
            int status = s[st.oData + r];
            if (status > 0 && (status & 1) == 0) {
                details.add("never read: " + violations.rangeName(r) + " holding " + p.tags.get(StateLayout.tagOf(status)));
            }
        }
        for (int f = 0; f < p.flags.size(); f++) {
            if ((s[st.oFlagTag + f] & 1) == 0) {
                details.add("never observed: " + violations.flagName(f) + " = " + Integer.toUnsignedString(s[st.oFlagVal + f])
                        + " stored by " + p.tags.get(StateLayout.tagOf(s[st.oFlagTag + f])));
            }
        }
        if (p.cfg.colours() == ColourScheme.DEVICE_COUNTERS) {
            for (int b = 0; b < p.blocks; b++) {
                for (int r = 1; r < p.worldSize; r++) {
                    if (s[st.oCounter + p.pid(r, b)] != s[st.oCounter + p.pid(0, b)]) {
                        details.add("counter[block" + b + "] differs: rank0 " + s[st.oCounter + p.pid(0, b)] + ", rank" + r + " "
                                + s[st.oCounter + p.pid(r, b)]);
                    }
                }
            }
        }
        if (details.isEmpty()) {
            return null;
        }
        return new Violation(Invariant.EVERY_CALL_ENDS, "the calls ended, but not cleanly", details);
    }
}
