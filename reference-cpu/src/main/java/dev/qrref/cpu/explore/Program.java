package dev.qrref.cpu.explore;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.FlagScheme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compiled programs: one sequential program of {@link Action}s per (rank, block) over all calls, and the shared
 * locations those actions touch. A data location is a byte range of one rank's buffer, computed from the real layout
 * ({@link SlotLayout}); a flag location is one 4-byte word.
 */
final class Program {
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
    final int[][] rangeOverlaps; // other ranges sharing bytes, same rank, excluding itself
    // flag words
    final List<long[]> flags = new ArrayList<>(); // {rank, offset}
    private final Map<List<Long>, Integer> flagIds = new HashMap<>();

    final int[] hostColour; // per call; used by the host schemes
    final long[] dataRegionStart; // per rank, lowest data offset (for the static flags/data disjointness check)

    Program(ExplorerConfig cfg) {
        this.cfg = cfg;
        this.worldSize = cfg.worldSize();
        this.blocks = cfg.maxBlocks();
        this.processes = worldSize * blocks;
        this.numCalls = cfg.calls().size();
        this.hostColour = hostColours(cfg);
        this.dataRegionStart = new long[worldSize];
        Arrays.fill(dataRegionStart, Long.MAX_VALUE);

        SlotLayout layout = SlotLayout.of(cfg);
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
        rangeOverlaps = buildOverlaps();
        checkRegionsDisjoint();
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

    private void emitCall(List<Action> prog, SlotLayout layout, int me, int block, int k) {
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

    private int[][] buildOverlaps() {
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
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = ov.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** Flags and data are modelled as separate location kinds; that is only sound if their byte regions are disjoint. */
    private void checkRegionsDisjoint() {
        for (long[] f : flags) {
            if (f[1] + 4 > dataRegionStart[(int) f[0]]) {
                throw new IllegalStateException("layout error: flag word @" + f[1] + " overlaps the data region of rank " + f[0]);
            }
        }
    }

    int totalActions() {
        int n = 0;
        for (Action[] p : program) {
            n += p.length;
        }
        return n;
    }
}
