package dev.qrref.cpu.explore;

import dev.qrref.spec.FlagScheme;

/**
 * How a state is encoded: a flat {@code int[]} of program counters, block counters, data range status, flag values and
 * flag tags, in that order. Every action advances exactly one program counter, so all paths to a state have the same
 * length (the sum of the counters) and the state graph is acyclic.
 *
 * <p>Data range status: {@link #EMPTY}, {@link #DAMAGED}, or live = (tagId + 1) * 2 + consumed bit. Flag tag word:
 * (tagId + 1) * 2 + observed bit; {@link #FLAG_INIT} for the zeroed word (no store yet, nothing to observe).
 */
final class StateLayout {
    static final int EMPTY = 0;
    /**
     * A range some of whose bytes were overwritten by another range's write. Deliberately anonymous: which of two
     * disjoint writes into a larger range came last is not observable, and recording it would make independent
     * writes look ordered (and split equal states).
     */
    static final int DAMAGED = -1;
    static final int FLAG_INIT = 1; // tag -1, observed

    final int processes;
    final int flagCount;
    final int oCounter;
    final int oData;
    final int oFlagVal;
    final int oFlagTag;
    final int stateSize;

    StateLayout(Program p) {
        this.processes = p.processes;
        this.flagCount = p.flags.size();
        oCounter = processes;
        oData = oCounter + processes;
        oFlagVal = oData + p.ranges.size();
        oFlagTag = oFlagVal + flagCount;
        stateSize = oFlagTag + flagCount;
    }

    /** Live status of a range holding message {@code tagId}, not yet read; also the tag word of a fresh flag store. */
    static int live(int tagId) {
        return (tagId + 1) * 2;
    }

    /** The message of a live status or tag word ({@code -1} for {@link #FLAG_INIT}). */
    static int tagOf(int word) {
        return (word >> 1) - 1;
    }

    /** Every program at its start, counters at their initial value, flags zeroed. */
    int[] initial() {
        int[] s = new int[stateSize];
        for (int p = 0; p < processes; p++) {
            s[oCounter + p] = FlagScheme.INITIAL_COUNTER;
        }
        for (int f = 0; f < flagCount; f++) {
            s[oFlagVal + f] = FlagScheme.INITIAL_FLAG;
            s[oFlagTag + f] = FLAG_INIT;
        }
        return s;
    }
}
