package dev.qrref.cpu.explore;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.InvalidArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled model: one sequential program of {@link Action}s per (rank, block) over all calls, the shared locations
 * those actions touch, and the semantics of one step with the invariant checks.
 *
 * <p>Memory is abstract but located: a data location is a byte range of one rank's buffer, computed from the real
 * layout, and holds a {@link Tag} instead of bytes; a write invalidates every other range whose bytes it overlaps. A flag
 * location is one 4-byte word and holds a colour plus the tag of the store that put it there. Interleaving is
 * sequentially consistent at action granularity: the real kernel's release store / acquire load around the flags give
 * the same orderings for the properties checked here.
 *
 * <p>A state is a flat {@code int[]}: program counters, block counters, data range status, flag values, flag tags.
 * Every action advances exactly one program counter, so all paths to a state have the same length (the sum of the
 * counters) and the state graph is acyclic.
 */
final class Model {
    // State words. Data range status: EMPTY, DAMAGED, or live = (tagId + 1) * 2 + consumed bit.
    // Flag tag word: (tagId + 1) * 2 + observed bit; FLAG_INIT for the zeroed word (no store yet, nothing to observe).
    static final int EMPTY = 0;
    /**
     * A range some of whose bytes were overwritten by another range's write. Deliberately anonymous: which of two
     * disjoint writes into a larger range came last is not observable, and recording it would make independent
     * writes look ordered (and split equal states).
     */
    static final int DAMAGED = -1;
    static final int FLAG_INIT = 1; // tag -1, observed

    final ExplorerConfig cfg;
    final int worldSize;
    final int blocks;
    final int processes;
    final int numCalls;
    final Action[][] program;
    /** callStart[pid][k]: index of the first action of call k in program[pid]; [pid][numCalls] = length. */
    final int[][] callStart;
    final List<Tag> tags = new ArrayList<>();
    private final Map<Tag, Integer> tagIds = new HashMap<>();

    // data ranges
    final List<long[]> ranges = new ArrayList<>(); // {rank, start, end}
    private final Map<List<Long>, Integer> rangeIds = new HashMap<>();
    int[][] rangeOverlaps; // other ranges sharing bytes, same rank, excluding itself
    // flag words
    final List<long[]> flags = new ArrayList<>(); // {rank, offset}
    private final Map<List<Long>, Integer> flagIds = new HashMap<>();

    final int[] hostColour; // per call; used by the host schemes
    final long[] dataRegionStart; // per rank, lowest data offset (for the static flags/data disjointness check)

    // state layout
    final int oCounter;
    final int oData;
    final int oFlagVal;
    final int oFlagTag;
    final int stateSize;

    // partial-order reduction tables
    private int[][] gid; // [pid][idx] -> global action id
    private int[][] lastConflict; // [gid][pid] -> last index in program[pid] touching an overlapping location, -1 if none

    private final boolean noBarrier;
    private final boolean skipCounter;

    Model(ExplorerConfig cfg) {
        this.cfg = cfg;
        this.worldSize = cfg.worldSize();
        this.blocks = cfg.maxBlocks();
        this.processes = worldSize * blocks;
        this.numCalls = cfg.calls().size();
        this.noBarrier = cfg.faults().contains(Fault.NO_LAUNCH_BARRIER);
        this.skipCounter = cfg.faults().contains(Fault.SKIP_COUNTER_UPDATE);
        this.hostColour = hostColours(cfg);
        this.dataRegionStart = new long[worldSize];
        Arrays.fill(dataRegionStart, Long.MAX_VALUE);

        Layout layout = cfg.layout() == LayoutScheme.FIXED_REGIONS ? new Fixed(cfg) : new PreFix(cfg);
        program = new Action[processes][];
        callStart = new int[processes][numCalls + 1];
        for (int rank = 0; rank < worldSize; rank++) {
            for (int block = 0; block < blocks; block++) {
                int pid = pid(rank, block);
                List<Action> prog = new ArrayList<>();
                for (int k = 0; k < numCalls; k++) {
                    callStart[pid][k] = prog.size();
                    emitCall(prog, layout, rank, block, k);
                }
                callStart[pid][numCalls] = prog.size();
                program[pid] = prog.toArray(new Action[0]);
            }
        }
        buildOverlaps();
        checkRegionsDisjoint();

        oCounter = processes;
        oData = oCounter + processes;
        oFlagVal = oData + ranges.size();
        oFlagTag = oFlagVal + flags.size();
        stateSize = oFlagTag + flags.size();
    }

    int pid(int rank, int block) {
        return rank * blocks + block;
    }

    int rankOf(int pid) {
        return pid / blocks;
    }

    int blockOf(int pid) {
        return pid % blocks;
    }

    String processName(int pid) {
        return "rank" + rankOf(pid) + " block" + blockOf(pid);
    }

    int totalActions() {
        int n = 0;
        for (Action[] p : program) {
            n += p.length;
        }
        return n;
    }

    // ------------------------------------------------------------------ program construction

    private static int[] hostColours(ExplorerConfig cfg) {
        int[] out = new int[cfg.calls().size()];
        int c = FlagScheme.INITIAL_COUNTER;
        Map<CallSpec, Integer> baked = new HashMap<>();
        for (int k = 0; k < out.length; k++) {
            CallSpec call = cfg.calls().get(k);
            if (cfg.colours() == ColourScheme.HOST_COLOUR_GRAPH_REPLAY && baked.containsKey(call)) {
                out[k] = baked.get(call); // a replay: the launch parameters were captured, the host does not advance
                continue;
            }
            out[k] = c;
            baked.put(call, c);
            c += call.hostColourAdvance(cfg.maxBlocks()); // uint32 arithmetic, as upstream
        }
        return out;
    }

    private void emitCall(List<Action> prog, Layout layout, int me, int block, int k) {
        CallSpec call = cfg.calls().get(k);
        int grid = call.grid(blocks);
        int iters = call.iterations(block, blocks);
        int start = prog.size();
        for (int j = 0; j < iters; j++) {
            long tile = block + (long) j * grid;
            for (int phase = 1; phase <= 2; phase++) {
                List<Action> writes = new ArrayList<>();
                List<Action> stores = new ArrayList<>();
                for (int r = 0; r < worldSize; r++) {
                    int tag = tagId(new Tag(k, j, tile, phase, me, r, block));
                    long off = layout.slot(phase, call, grid, block, me);
                    long len = CodecLayout.of(call.codec()).rankTransmittedTileBytes(worldSize);
                    writes.add(new Action(Action.Kind.WRITE_SLOT, me, block, k, j, tile, phase, r, r,
                            rangeId(r, off, len), off, len, tag, 0, false));
                    long foff = layout.flag(phase, grid, block, me);
                    stores.add(new Action(Action.Kind.STORE_FLAG, me, block, k, j, tile, phase, r, r,
                            flagId(r, foff), foff, 4, tag, 0, false));
                }
                if (cfg.faults().contains(Fault.FLAG_BEFORE_DATA)) {
                    prog.addAll(stores);
                    prog.addAll(writes);
                } else {
                    prog.addAll(writes);
                    prog.addAll(stores);
                }
                for (int s = 0; s < worldSize; s++) {
                    int tag = tagId(new Tag(k, j, tile, phase, s, me, block));
                    long foff = layout.flag(phase, grid, block, s);
                    prog.add(new Action(Action.Kind.WAIT_FLAG, me, block, k, j, tile, phase, s, me,
                            flagId(me, foff), foff, 4, tag, 0, false));
                    long off = layout.slot(phase, call, grid, block, s);
                    long len = CodecLayout.of(call.codec()).rankTransmittedTileBytes(worldSize);
                    prog.add(new Action(Action.Kind.READ_SLOT, me, block, k, j, tile, phase, s, me,
                            rangeId(me, off, len), off, len, tag, 0, false));
                }
            }
        }
        if (iters > 0 && cfg.colours() == ColourScheme.DEVICE_COUNTERS) {
            prog.add(new Action(Action.Kind.UPDATE_COUNTER, me, block, k, -1, -1, 0, -1, me, -1,
                    layout.counter(block), 4, -1, iters, false));
        }
        if (prog.size() > start) {
            Action first = prog.get(start);
            prog.set(start, new Action(first.kind(), first.rank(), first.block(), first.call(), first.iteration(),
                    first.tile(), first.phase(), first.peer(), first.bufferRank(), first.loc(), first.offset(),
                    first.length(), first.tagId(), first.advance(), true));
        }
    }

    private int tagId(Tag t) {
        return tagIds.computeIfAbsent(t, x -> {
            tags.add(x);
            return tags.size() - 1;
        });
    }

    private int rangeId(int rank, long off, long len) {
        dataRegionStart[rank] = Math.min(dataRegionStart[rank], off);
        return rangeIds.computeIfAbsent(List.of((long) rank, off, off + len), x -> {
            ranges.add(new long[]{rank, off, off + len});
            return ranges.size() - 1;
        });
    }

    private int flagId(int rank, long off) {
        return flagIds.computeIfAbsent(List.of((long) rank, off), x -> {
            flags.add(new long[]{rank, off});
            return flags.size() - 1;
        });
    }

    private void buildOverlaps() {
        int n = ranges.size();
        List<List<Integer>> ov = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ov.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            long[] a = ranges.get(i);
            for (int j = i + 1; j < n; j++) {
                long[] b = ranges.get(j);
                if (a[0] == b[0] && a[1] < b[2] && b[1] < a[2]) {
                    ov.get(i).add(j);
                    ov.get(j).add(i);
                }
            }
        }
        rangeOverlaps = new int[n][];
        for (int i = 0; i < n; i++) {
            rangeOverlaps[i] = ov.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** Flags and data are modelled as separate location kinds; that is only sound if their byte regions are disjoint. */
    private void checkRegionsDisjoint() {
        for (long[] f : flags) {
            if (f[1] + 4 > dataRegionStart[(int) f[0]]) {
                throw new IllegalStateException("layout error: flag word @" + f[1] + " overlaps the data region of rank " + f[0]);
            }
        }
    }

    /** Byte offsets of slots, flags and counters in one rank's buffer. */
    private interface Layout {
        long slot(int phase, CallSpec call, int grid, int block, int sender);

        long flag(int phase, int grid, int block, int sender);

        long counter(int block);
    }

    /** The project's layout, straight from the spec. */
    private static final class Fixed implements Layout {
        private final BufferLayout bl;

        Fixed(ExplorerConfig cfg) {
            bl = new BufferLayout(cfg.worldSize(), cfg.maxBlocks(), cfg.effectiveMaxProblemBytes());
            for (CallSpec c : cfg.calls()) {
                if (c.grid(cfg.maxBlocks()) > bl.touchedBlocks()) {
                    throw new InvalidArgumentException("call " + c + " runs more blocks than the buffer has slots for");
                }
            }
        }

        private static BufferLayout.Phase ph(int phase) {
            return phase == 1 ? BufferLayout.Phase.ONE : BufferLayout.Phase.TWO;
        }

        @Override
        public long slot(int phase, CallSpec call, int grid, int block, int sender) {
            return bl.slotOffset(ph(phase), call.codec(), block, sender);
        }

        @Override
        public long flag(int phase, int grid, int block, int sender) {
            return bl.flagOffset(ph(phase), block, sender);
        }

        @Override
        public long counter(int block) {
            return bl.counterOffset(block);
        }
    }

    /**
     * Upstream before the variable-size fix: flags region of {@code 2·W·maxBlocks·4} bytes, then data; phase 2 sits
     * {@code grid·T} (data) and {@code grid·W·4} (flags) past phase 1 of the same call.
     */
    private static final class PreFix implements Layout {
        private final int w;
        private final long dataOffset;

        PreFix(ExplorerConfig cfg) {
            w = cfg.worldSize();
            dataOffset = 2L * w * cfg.maxBlocks() * 4;
        }

        @Override
        public long slot(int phase, CallSpec call, int grid, int block, int sender) {
            CodecLayout l = CodecLayout.of(call.codec());
            long t = l.transmittedTileBytes();
            long p1 = dataOffset + block * t + (long) sender * l.rankTransmittedTileBytes(w);
            return phase == 1 ? p1 : p1 + grid * t;
        }

        @Override
        public long flag(int phase, int grid, int block, int sender) {
            long p1 = ((long) block * w + sender) * 4;
            return phase == 1 ? p1 : p1 + (long) grid * w * 4;
        }

        @Override
        public long counter(int block) {
            return -1; // the device counters were never part of that layout
        }
    }

    // ------------------------------------------------------------------ semantics

    int[] initialState() {
        int[] s = new int[stateSize];
        for (int p = 0; p < processes; p++) {
            s[oCounter + p] = FlagScheme.INITIAL_COUNTER;
        }
        for (int f = 0; f < flags.size(); f++) {
            s[oFlagVal + f] = FlagScheme.INITIAL_FLAG;
            s[oFlagTag + f] = FLAG_INIT;
        }
        return s;
    }

    boolean finished(int[] s, int pid) {
        return s[pid] >= program[pid].length;
    }

    boolean allFinished(int[] s) {
        for (int p = 0; p < processes; p++) {
            if (!finished(s, p)) {
                return false;
            }
        }
        return true;
    }

    Action next(int[] s, int pid) {
        return finished(s, pid) ? null : program[pid][s[pid]];
    }

    /** Colour a block uses in the action's iteration. */
    int colour(int[] s, Action a) {
        int pid = pid(a.rank(), a.block());
        return switch (cfg.colours()) {
            case DEVICE_COUNTERS -> FlagScheme.colour(s[oCounter + pid], a.iteration());
            case HOST_COLOUR, HOST_COLOUR_GRAPH_REPLAY -> hostColour[a.call()] + a.iteration();
        };
    }

    /** True if the action's kernel may not start yet: some block of the same rank is still in an earlier call. */
    boolean barrierBlocked(int[] s, Action a) {
        if (!a.firstOfCall() || noBarrier) {
            return false;
        }
        for (int b = 0; b < blocks; b++) {
            int q = pid(a.rank(), b);
            if (s[q] < callStart[q][a.call()]) {
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
        return a.kind() != Action.Kind.WAIT_FLAG || s[oFlagVal + a.loc()] == colour(s, a);
    }

    /**
     * Executes the next action of {@code pid} in place (it must be enabled) and returns the violation it commits
     * against a checked invariant, or null. Unchecked invariants do not stop the run: the action still happens.
     */
    Violation execute(int[] s, int pid) {
        Action a = program[pid][s[pid]];
        Violation v = null;
        switch (a.kind()) {
            case WRITE_SLOT -> {
                int own = s[oData + a.loc()];
                if (own > 0 && (own & 1) == 0) {
                    v = clobber(a, a.loc(), own);
                }
                for (int o : rangeOverlaps[a.loc()]) {
                    int st = s[oData + o];
                    if (v == null && st > 0 && (st & 1) == 0) {
                        v = clobber(a, o, st);
                    }
                    s[oData + o] = DAMAGED; // bytes of o now hold parts of this message
                }
                s[oData + a.loc()] = (a.tagId() + 1) * 2;
            }
            case STORE_FLAG -> {
                int t = s[oFlagTag + a.loc()];
                if ((t & 1) == 0) {
                    v = flagClobber(s, a, t);
                }
                s[oFlagVal + a.loc()] = colour(s, a);
                s[oFlagTag + a.loc()] = (a.tagId() + 1) * 2;
            }
            case WAIT_FLAG -> {
                int t = s[oFlagTag + a.loc()];
                int found = (t >> 1) - 1;
                if (found != a.tagId()) {
                    v = staleFlag(s, a, found);
                }
                s[oFlagTag + a.loc()] = t | 1;
            }
            case READ_SLOT -> {
                int st = s[oData + a.loc()];
                if (st != (a.tagId() + 1) * 2) {
                    v = badRead(s, a, st);
                }
                if (st > 0) {
                    s[oData + a.loc()] = st | 1;
                }
            }
            case UPDATE_COUNTER -> {
                if (!skipCounter) {
                    s[oCounter + pid] = FlagScheme.advance(s[oCounter + pid], a.advance());
                }
            }
        }
        s[pid]++;
        return v != null && cfg.invariants().contains(v.invariant()) ? v : null;
    }

    /** Checks a state where no action is enabled: a deadlock, or the end-of-run invariants. */
    Violation checkStuck(int[] s) {
        if (!allFinished(s)) {
            Violation v = deadlock(s);
            return cfg.invariants().contains(v.invariant()) ? v : null;
        }
        if (!cfg.invariants().contains(Invariant.EVERY_CALL_ENDS)) {
            return null;
        }
        List<String> details = new ArrayList<>();
        for (int r = 0; r < ranges.size(); r++) {
            int st = s[oData + r];
            if (st > 0 && (st & 1) == 0) {
                details.add("never read: " + rangeName(r) + " holding " + tags.get((st >> 1) - 1));
            }
        }
        for (int f = 0; f < flags.size(); f++) {
            if ((s[oFlagTag + f] & 1) == 0) {
                details.add("never observed: " + flagName(f) + " = " + Integer.toUnsignedString(s[oFlagVal + f])
                        + " stored by " + tags.get((s[oFlagTag + f] >> 1) - 1));
            }
        }
        if (cfg.colours() == ColourScheme.DEVICE_COUNTERS) {
            for (int b = 0; b < blocks; b++) {
                for (int r = 1; r < worldSize; r++) {
                    if (s[oCounter + pid(r, b)] != s[oCounter + pid(0, b)]) {
                        details.add("counter[block" + b + "] differs: rank0 " + s[oCounter + pid(0, b)] + ", rank" + r + " "
                                + s[oCounter + pid(r, b)]);
                    }
                }
            }
        }
        if (details.isEmpty()) {
            return null;
        }
        return new Violation(Invariant.EVERY_CALL_ENDS, "the calls ended, but not cleanly", details);
    }

    // ------------------------------------------------------------------ violation descriptions

    String rangeName(int r) {
        long[] g = ranges.get(r);
        return "rank" + g[0] + " bytes [" + g[1] + ", " + g[2] + ")";
    }

    String flagName(int f) {
        long[] g = flags.get(f);
        return "rank" + g[0] + " word @" + g[1];
    }

    /** What the receiver calls a message's slot: {@code P2 slot[block0][sender1] of call1 it0}. */
    String slotOf(Tag t, String what) {
        return "P" + t.phase() + " " + what + "[block" + t.block() + "][sender" + t.sender() + "] of call" + (t.call() + 1)
                + " it" + t.iteration();
    }

    private Violation clobber(Action a, int victim, int status) {
        Tag t = tags.get((status >> 1) - 1);
        long[] g = ranges.get(victim);
        return new Violation(Invariant.NO_OVERWRITE_BEFORE_READ,
                a.actor() + " writes " + a.target() + " into rank" + a.bufferRank() + " " + a.where()
                        + ", over bytes [" + g[1] + ", " + g[2] + ") that still hold " + slotOf(t, "slot")
                        + " (from rank" + t.sender() + "), not yet read by rank" + t.receiver() + " block" + t.block(),
                List.of("overwritten message: " + t, "overlap: bytes [" + Math.max(g[1], a.offset()) + ", "
                        + Math.min(g[2], a.offset() + a.length()) + ") of rank" + a.bufferRank()));
    }

    private Violation flagClobber(int[] s, Action a, int tagWord) {
        Tag t = tags.get((tagWord >> 1) - 1);
        return new Violation(Invariant.NO_OVERWRITE_BEFORE_READ,
                a.actor() + " stores " + a.target() + " = " + Integer.toUnsignedString(colour(s, a)) + " into rank"
                        + a.bufferRank() + " " + a.where() + ", which still holds "
                        + Integer.toUnsignedString(s[oFlagVal + a.loc()]) + " = " + slotOf(t, "flag") + " (from rank"
                        + t.sender() + "), not yet observed by rank" + t.receiver() + " block" + t.block(),
                List.of("overwritten flag: " + t));
    }

    private Violation staleFlag(int[] s, Action a, int found) {
        Tag want = tags.get(a.tagId());
        int value = s[oFlagVal + a.loc()];
        String origin;
        if (found < 0) {
            origin = "the initial value";
        } else {
            Tag t = tags.get(found);
            String age = t.call() < want.call() ? "an earlier call" : t.call() == want.call() && t.iteration() < want.iteration()
                    ? "an earlier iteration" : "another slot";
            origin = "the value stored by " + t + " (" + age + ")";
        }
        return new Violation(Invariant.NO_STALE_FLAG,
                a.actor() + " waits for " + a.target() + " == " + Integer.toUnsignedString(colour(s, a)) + " in rank"
                        + a.bufferRank() + " " + a.where() + " and passes on " + origin,
                List.of("expected the store of " + want, "flag value " + Integer.toUnsignedString(value)
                        + " equals the awaited colour, so the exact-match wait passes"));
    }

    private Violation badRead(int[] s, Action a, int st) {
        Tag want = tags.get(a.tagId());
        String seen;
        if (st == EMPTY) {
            seen = "bytes never written as this slot";
            List<String> live = new ArrayList<>();
            for (int o : rangeOverlaps[a.loc()]) {
                int os = s[oData + o];
                if (os > 0) {
                    live.add(tags.get((os >> 1) - 1).toString());
                }
            }
            if (!live.isEmpty()) {
                seen += " (they hold parts of " + String.join(", ", live) + ")";
            }
        } else if (st < 0) {
            List<String> live = new ArrayList<>();
            for (int o : rangeOverlaps[a.loc()]) {
                int os = s[oData + o];
                if (os > 0) {
                    live.add(tags.get((os >> 1) - 1).toString());
                }
            }
            seen = "bytes partly overwritten" + (live.isEmpty() ? "" : " (they now hold parts of " + String.join(", ", live) + ")");
        } else if ((st & 1) == 1 && (st >> 1) - 1 == a.tagId()) {
            seen = "its own message a second time";
        } else {
            seen = tags.get((st >> 1) - 1) + ((st & 1) == 1 ? " (already read once)" : "");
        }
        return new Violation(Invariant.READ_SEES_OWN_WRITE,
                a.actor() + " reads " + a.target() + " from rank" + a.bufferRank() + " " + a.where() + " and sees " + seen,
                List.of("expected " + want));
    }

    private Violation deadlock(int[] s) {
        List<String> details = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            Action a = next(s, p);
            if (a == null) {
                continue;
            }
            if (barrierBlocked(s, a)) {
                details.add(processName(p) + ": call" + (a.call() + 1) + " kernel cannot start, rank" + a.rank()
                        + " still runs call" + a.call());
            } else if (a.kind() == Action.Kind.WAIT_FLAG) {
                int t = s[oFlagTag + a.loc()];
                int found = (t >> 1) - 1;
                details.add(a.actor() + ": waits " + a.target() + " == " + Integer.toUnsignedString(colour(s, a)) + " at "
                        + a.where() + ", holds " + Integer.toUnsignedString(s[oFlagVal + a.loc()])
                        + (found < 0 ? " (initial)" : " (stored by " + tags.get(found) + ")"));
            }
        }
        return new Violation(Invariant.NO_DEADLOCK, "no action is enabled but not every call has ended", details);
    }

    // ------------------------------------------------------------------ partial-order reduction

    /**
     * Precomputes, for every action and every other process, the last program index at which that process touches a
     * location overlapping the action's. Counter updates touch only their own block's counter and are independent of
     * everything else.
     */
    void prepareReduction() {
        if (lastConflict != null) {
            return;
        }
        gid = new int[processes][];
        int n = 0;
        for (int p = 0; p < processes; p++) {
            gid[p] = new int[program[p].length];
            for (int i = 0; i < program[p].length; i++) {
                gid[p][i] = n++;
            }
        }
        // last index per (process, location)
        int[][] lastData = new int[processes][ranges.size()];
        int[][] lastFlag = new int[processes][flags.size()];
        for (int p = 0; p < processes; p++) {
            Arrays.fill(lastData[p], -1);
            Arrays.fill(lastFlag[p], -1);
            for (int i = 0; i < program[p].length; i++) {
                Action a = program[p][i];
                switch (a.kind()) {
                    case WRITE_SLOT, READ_SLOT -> lastData[p][a.loc()] = i;
                    case STORE_FLAG, WAIT_FLAG -> lastFlag[p][a.loc()] = i;
                    case UPDATE_COUNTER -> {
                    }
                }
            }
        }
        lastConflict = new int[n][];
        for (int p = 0; p < processes; p++) {
            for (int i = 0; i < program[p].length; i++) {
                Action a = program[p][i];
                int[] row = new int[processes];
                for (int q = 0; q < processes; q++) {
                    int last = -1;
                    if (q != p) {
                        switch (a.kind()) {
                            case WRITE_SLOT, READ_SLOT -> {
                                last = lastData[q][a.loc()];
                                for (int o : rangeOverlaps[a.loc()]) {
                                    last = Math.max(last, lastData[q][o]);
                                }
                            }
                            case STORE_FLAG, WAIT_FLAG -> last = lastFlag[q][a.loc()];
                            case UPDATE_COUNTER -> {
                            }
                        }
                    }
                    row[q] = last;
                }
                lastConflict[gid[p][i]] = row;
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
        int[] best = null;
        boolean[] in = new boolean[processes];
        int[] work = new int[processes];
        for (int seed = 0; seed < processes; seed++) {
            if (!enabled(s, seed)) {
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
                Action a = next(s, q);
                boolean en = enabled(s, q);
                if (en) {
                    enabledCount++;
                    if (best != null && enabledCount >= best.length) {
                        tooBig = true;
                        break;
                    }
                }
                int[] row = lastConflict[gid[q][s[q]]];
                boolean barrier = !en && barrierBlocked(s, a);
                for (int r = 0; r < processes; r++) {
                    if (in[r] || finished(s, r)) {
                        continue;
                    }
                    boolean add = barrier
                            ? rankOf(r) == rankOf(q) && s[r] < callStart[r][a.call()]
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
                if (in[r] && enabled(s, r)) {
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
