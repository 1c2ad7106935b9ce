package dev.qrref.cpu.explore;

import static dev.qrref.cpu.explore.StateLayout.EMPTY;

import java.util.ArrayList;
import java.util.List;

/** The invariants' side of a step: what a breach looks like, told in the receiver's terms (slots, flags, messages). */
final class Violations {
    private final Program p;
    private final StateLayout st;
    private final Semantics semantics;

    Violations(Program p, StateLayout st, Semantics semantics) {
        this.p = p;
        this.st = st;
        this.semantics = semantics;
    }

    String rangeName(int r) {
        long[] g = p.ranges.get(r);
        return "rank" + g[0] + " bytes [" + g[1] + ", " + g[2] + ")";
    }

    String flagName(int f) {
        long[] g = p.flags.get(f);
        return "rank" + g[0] + " word @" + g[1];
    }

    /** What the receiver calls a message's slot: {@code P2 slot[block0][sender1] of call1 it0}. */
    static String slotOf(Tag t, String what) {
        return "P" + t.phase() + " " + what + "[block" + t.block() + "][sender" + t.sender() + "] of call" + (t.call() + 1)
                + " it" + t.iteration();
    }

    Violation clobber(Action a, int victim, int status) {
        Tag t = p.tags.get(StateLayout.tagOf(status));
        long[] g = p.ranges.get(victim);
        return new Violation(Invariant.NO_OVERWRITE_BEFORE_READ,
                a.actor() + " writes " + a.target() + " into rank" + a.bufferRank() + " " + a.where()
                        + ", over bytes [" + g[1] + ", " + g[2] + ") that still hold " + slotOf(t, "slot")
                        + " (from rank" + t.sender() + "), not yet read by rank" + t.receiver() + " block" + t.block(),
                List.of("overwritten message: " + t, "overlap: bytes [" + Math.max(g[1], a.offset()) + ", "
                        + Math.min(g[2], a.offset() + a.length()) + ") of rank" + a.bufferRank()));
    }

    Violation flagClobber(int[] s, Action a, int tagWord) {
        Tag t = p.tags.get(StateLayout.tagOf(tagWord));
        return new Violation(Invariant.NO_OVERWRITE_BEFORE_READ,
                a.actor() + " stores " + a.target() + " = " + Integer.toUnsignedString(semantics.colour(s, a)) + " into rank"
                        + a.bufferRank() + " " + a.where() + ", which still holds "
                        + Integer.toUnsignedString(s[st.oFlagVal + a.loc()]) + " = " + slotOf(t, "flag") + " (from rank"
                        + t.sender() + "), not yet observed by rank" + t.receiver() + " block" + t.block(),
                List.of("overwritten flag: " + t));
    }

    Violation staleFlag(int[] s, Action a, int found) {
        Tag want = p.tags.get(a.tagId());
        int value = s[st.oFlagVal + a.loc()];
        String origin;
        if (found < 0) {
            origin = "the initial value";
        } else {
            Tag t = p.tags.get(found);
            String age = t.call() < want.call() ? "an earlier call" : t.call() == want.call() && t.iteration() < want.iteration()
                    ? "an earlier iteration" : "another slot";
            origin = "the value stored by " + t + " (" + age + ")";
        }
        return new Violation(Invariant.NO_STALE_FLAG,
                a.actor() + " waits for " + a.target() + " == " + Integer.toUnsignedString(semantics.colour(s, a)) + " in rank"
                        + a.bufferRank() + " " + a.where() + " and passes on " + origin,
                List.of("expected the store of " + want, "flag value " + Integer.toUnsignedString(value)
                        + " equals the awaited colour, so the exact-match wait passes"));
    }

    Violation badRead(int[] s, Action a, int status) {
        Tag want = p.tags.get(a.tagId());
        String seen;
        if (status == EMPTY) {
            seen = "bytes never written as this slot";
            List<String> live = liveOverlaps(s, a);
            if (!live.isEmpty()) {
                seen += " (they hold parts of " + String.join(", ", live) + ")";
            }
        } else if (status < 0) {
            List<String> live = liveOverlaps(s, a);
            seen = "bytes partly overwritten" + (live.isEmpty() ? "" : " (they now hold parts of " + String.join(", ", live) + ")");
        } else if ((status & 1) == 1 && StateLayout.tagOf(status) == a.tagId()) {
            seen = "its own message a second time";
        } else {
            seen = p.tags.get(StateLayout.tagOf(status)) + ((status & 1) == 1 ? " (already read once)" : "");
        }
        return new Violation(Invariant.READ_SEES_OWN_WRITE,
                a.actor() + " reads " + a.target() + " from rank" + a.bufferRank() + " " + a.where() + " and sees " + seen,
                List.of("expected " + want));
    }

    /** The messages the ranges overlapping the action's own hold now. */
    private List<String> liveOverlaps(int[] s, Action a) {
        List<String> live = new ArrayList<>();
        for (int o : p.rangeOverlaps[a.loc()]) {
            int os = s[st.oData + o];
            if (os > 0) {
                live.add(p.tags.get(StateLayout.tagOf(os)).toString());
            }
        }
        return live;
    }

    Violation deadlock(int[] s) {
        List<String> details = new ArrayList<>();
        for (int q = 0; q < p.processes; q++) {
            Action a = semantics.next(s, q);
            if (a == null) {
                continue;
            }
            if (semantics.barrierBlocked(s, a)) {
                details.add(p.processName(q) + ": call" + (a.call() + 1) + " kernel cannot start, rank" + a.rank()
                        + " still runs call" + a.call());
            } else if (a.kind() == Action.Kind.WAIT_FLAG) {
                int t = s[st.oFlagTag + a.loc()];
                int found = StateLayout.tagOf(t);
                details.add(a.actor() + ": waits " + a.target() + " == " + Integer.toUnsignedString(semantics.colour(s, a)) + " at "
                        + a.where() + ", holds " + Integer.toUnsignedString(s[st.oFlagVal + a.loc()])
                        + (found < 0 ? " (initial)" : " (stored by " + p.tags.get(found) + ")"));
            }
        }
        return new Violation(Invariant.NO_DEADLOCK, "no action is enabled but not every call has ended", details);
    }
}
