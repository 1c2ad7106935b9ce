package dev.qrref.cpu.explore;

import java.util.Arrays;
import java.util.List;

/**
 * The compiled model the searches run on: the programs and locations ({@link Program}), the state encoding
 * ({@link StateLayout}), the semantics of one step with the invariant checks ({@link Semantics}, {@link Violations}) and
 * the partial-order reduction ({@link PartialOrderReduction}), behind one object.
 *
 * <p>Memory is abstract but located: a data location is a byte range of one rank's buffer, computed from the real
 * layout, and holds a {@link Tag} instead of bytes; a write invalidates every other range whose bytes it overlaps. A flag
 * location is one 4-byte word and holds a colour plus the tag of the store that put it there.
 */
final class Model {
    static final int EMPTY = StateLayout.EMPTY;
    static final int DAMAGED = StateLayout.DAMAGED;

    final ExplorerConfig cfg;
    final int worldSize;
    final int processes;
    final Action[][] program;
    /** callStart[pid][k]: index of the first action of call k in program[pid]; [pid][numCalls] = length. */
    final int[][] callStart;
    final List<Tag> tags;
    final List<long[]> ranges; // {rank, start, end}
    final int[][] rangeOverlaps; // other ranges sharing bytes, same rank, excluding itself
    final List<long[]> flags; // {rank, offset}
    final int[] hostColour; // per call; used by the host schemes

    // state layout
    final int oCounter;
    final int oData;
    final int oFlagVal;
    final int oFlagTag;
    final int stateSize;

    private final Program compiled;
    private final StateLayout state;
    private final Semantics semantics;
    private PartialOrderReduction reduction;

    Model(ExplorerConfig cfg) {
        this.cfg = cfg;
        this.compiled = new Program(cfg);
        this.state = new StateLayout(compiled);
        this.semantics = new Semantics(compiled, state);
        this.worldSize = compiled.worldSize;
        this.processes = compiled.processes;
        this.program = compiled.program;
        this.callStart = compiled.callStart;
        this.tags = compiled.tags;
        this.ranges = compiled.ranges;
        this.rangeOverlaps = compiled.rangeOverlaps;
        this.flags = compiled.flags;
        this.hostColour = compiled.hostColour;
        this.oCounter = state.oCounter;
        this.oData = state.oData;
        this.oFlagVal = state.oFlagVal;
        this.oFlagTag = state.oFlagTag;
        this.stateSize = state.stateSize;
    }

    int pid(int rank, int block) {
        return compiled.pid(rank, block);
    }

    int rankOf(int pid) {
        return compiled.rankOf(pid);
    }

    String processName(int pid) {
        return compiled.processName(pid);
    }

    int totalActions() {
        return compiled.totalActions();
    }

    int[] initialState() {
        return state.initial();
    }

    boolean allFinished(int[] s) {
        return semantics.allFinished(s);
    }

    Action next(int[] s, int pid) {
        return semantics.next(s, pid);
    }

    /** Colour a block uses in the action's iteration. */
    int colour(int[] s, Action a) {
        return semantics.colour(s, a);
    }

    boolean enabled(int[] s, int pid) {
        return semantics.enabled(s, pid);
    }

    /** See {@link Semantics#execute}. */
    Violation execute(int[] s, int pid) {
        return semantics.execute(s, pid);
    }

    /** See {@link Semantics#checkStuck}. */
    Violation checkStuck(int[] s) {
        return semantics.checkStuck(s);
    }

    /** Builds the reduction tables once, before a reduced search. */
    void prepareReduction() {
        if (reduction == null) {
            reduction = new PartialOrderReduction(compiled, semantics);
        }
    }

    /** See {@link PartialOrderReduction#persistentSet}; {@link #prepareReduction()} first. */
    int[] persistentSet(int[] s) {
        return reduction.persistentSet(s);
    }

    /** All enabled processes. */
    int[] enabledSet(int[] s) {
        int[] tmp = new int[processes];
        int k = 0;
        for (int p = 0; p < processes; p++) {
            if (enabled(s, p)) {
                tmp[k++] = p;
            }
        }
        return Arrays.copyOf(tmp, k);
    }
}
