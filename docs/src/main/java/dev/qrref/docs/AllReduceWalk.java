package dev.qrref.docs;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.cpu.codec.Wire;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.protocol.CallPlan;
import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.cpu.protocol.GatherPhase;
import dev.qrref.cpu.protocol.GroupAllReduce;
import dev.qrref.cpu.protocol.LoadPhase;
import dev.qrref.cpu.protocol.ReducePhase;
import dev.qrref.cpu.protocol.ScatterPhase;
import dev.qrref.cpu.protocol.StorePhase;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small all-reduce (W = 2, INT4, fp16, two tiles, two blocks) run phase by phase with the model's own phase classes,
 * recording what a reader wants to see tile by tile: the inputs, the bytes in the phase-1 slots, the decoded
 * contributions and their sum, the bytes in the phase-2 slots and the outputs. The outputs are checked against the
 * model's group backend and against the independent element-wise model. Writes {@code walk-*.adoc}.
 */
final class AllReduceWalk {
    private AllReduceWalk() {
    }

    static final int W = 2;
    static final QuantLevel LEVEL = QuantLevel.INT4;
    static final Profile PROFILE = Profile.CUDA;
    static final int TILES = 2;
    static final int N = TILES * Geometry.TILE_ELEMENTS;
    static final int SHOW = 8;
    static final long SEED = 7;

    static void write(Out out) {
        Format16 f = Format16.FP16;
        NumericsProfile np = NumericsProfile.of(PROFILE);
        BufferLayout layout = new BufferLayout(W, TILES, 2L * N);
        CallPlan plan = CallPlan.of(layout, N, LEVEL, DataPath.FP16, np);
        CodecLayout cl = LEVEL.layout();
        Codec codec = Codec.of(LEVEL, np, f);
        short[][] inputs = new short[W][N];
        Random rnd = new Random(SEED);
        for (int r = 0; r < W; r++) {
            for (int e = 0; e < N; e++) {
                // multiples of 1/16 in [-3, 3]: exact in fp16 and readable
                inputs[r][e] = Float.floatToFloat16((rnd.nextInt(97) - 48) / 16f);
            }
        }
        short[][] outputs = new short[W][N];
        StringBuilder sb = new StringBuilder();
        try (Arena arena = Arena.ofConfined()) {
            CommBuffer[] bufs = new CommBuffer[W];
            MemorySegment[] in = new MemorySegment[W];
            MemorySegment[] outSeg = new MemorySegment[W];
            for (int r = 0; r < W; r++) {
                bufs[r] = new CommBuffer(layout, arena);
                in[r] = arena.allocate(2L * N);
                MemorySegment.copy(inputs[r], 0, in[r], Wire.SHORT, 0, N);
                outSeg[r] = arena.allocate(2L * N);
            }
            int grid = plan.grid();
            if (plan.maxIterations() != 1 || grid != TILES) {
                throw new IllegalStateException("walk-through expects one iteration per block");
            }
            int ra = plan.rankAtoms();
            // phase 1A on every rank and block
            for (int b = 0; b < grid; b++) {
                int colour = FlagScheme.colour(bufs[0].counter(b), 0);
                for (int r = 0; r < W; r++) {
                    short[] tile = new short[Geometry.TILE_ELEMENTS];
                    LoadPhase.run(plan, in[r], plan.tile(b, 0), tile);
                    ScatterPhase.run(plan, r, b, tile, bufs, colour);
                }
            }
            byte[][] phase1 = snapshot(bufs, layout);
            // phase 1B + 2A
            short[][][] reduced = new short[W][grid][];
            for (int b = 0; b < grid; b++) {
                int colour = FlagScheme.colour(bufs[0].counter(b), 0);
                for (int r = 0; r < W; r++) {
                    reduced[r][b] = ReducePhase.run(plan, r, b, bufs[r], colour, GroupAllReduce.CHECK);
                    GatherPhase.run(plan, r, b, reduced[r][b], bufs, colour);
                }
            }
            byte[][] phase2 = snapshot(bufs, layout);
            // phase 2B + store
            for (int b = 0; b < grid; b++) {
                int colour = FlagScheme.colour(bufs[0].counter(b), 0);
                for (int r = 0; r < W; r++) {
                    StorePhase.run(plan, r, b, plan.tile(b, 0), bufs[r], colour, GroupAllReduce.CHECK, outSeg[r],
                            new short[Geometry.TILE_ELEMENTS]);
                }
            }
            for (int r = 0; r < W; r++) {
                MemorySegment.copy(outSeg[r], Wire.SHORT, 0, outputs[r], 0, N);
            }
            check(inputs, outputs, np);

            for (int b = 0; b < TILES; b++) {
                sb.append("==== Tile ").append(b).append(" (elements ").append(String.format("%,d", (long) b * Geometry.TILE_ELEMENTS))
                        .append(" to ").append(String.format("%,d", (long) (b + 1) * Geometry.TILE_ELEMENTS - 1)).append(", block ")
                        .append(b).append(")\n\n");
                // values
                List<List<String>> rows = new ArrayList<>();
                for (int owner = 0; owner < W; owner++) {
                    int atom = owner * ra;
                    for (int j = 0; j < SHOW; j++) {
                        int e = (int) Geometry.element(b, atom, 0, j);
                        int inAtomRow = j;
                        double exact = 0;
                        List<String> row = new ArrayList<>();
                        row.add(String.format("%,d", e));
                        row.add(owner + " (atom " + atom + ")");
                        for (int r = 0; r < W; r++) {
                            row.add(Num.exact(f.toDouble(inputs[r][e])));
                            exact += f.toDouble(inputs[r][e]);
                        }
                        row.add(Num.exact(exact));
                        for (int s = 0; s < W; s++) {
                            short[] dec = new short[Geometry.ATOM_ELEMENTS];
                            long slot = layout.slotOffset(Phase.ONE, LEVEL, b, s);
                            codec.decodeAtom(MemorySegment.ofArray(phase1[owner]), slot, dec, 0);
                            row.add(Num.exact(f.toDouble(dec[inAtomRow])));
                        }
                        row.add(Num.exact(f.toDouble(reduced[owner][b][inAtomRow])));
                        row.add(Num.exact(f.toDouble(outputs[0][e])));
                        row.add(Num.g(f.toDouble(outputs[0][e]) - exact));
                        rows.add(row);
                    }
                }
                List<String> header = new ArrayList<>(List.of("Element", "Owner"));
                for (int r = 0; r < W; r++) {
                    header.add("x rank " + r);
                }
                header.add("Exact sum");
                for (int s = 0; s < W; s++) {
                    header.add("D(E(x)) from rank " + s);
                }
                header.add("Phase-1 sum (fp16)");
                header.add("Output, every rank");
                header.add("Error");
                sb.append(Adoc.table("Tile " + b + ": thread 0's first " + SHOW + " elements of each rank's segment", "2,2,1,1,1,1,1,1,1,1",
                        header, rows, "", "small"));
                // bytes
                StringBuilder hex = new StringBuilder();
                for (Phase ph : Phase.values()) {
                    byte[][] snap = ph == Phase.ONE ? phase1 : phase2;
                    hex.append(ph == Phase.ONE ? "Phase 1 (reduce-scatter): each sender's INT4 segment, in the owner's buffer\n"
                            : "Phase 2 (all-gather): each owner's re-quantized sum, in every rank's buffer (rank 0's shown)\n");
                    int[] receivers = ph == Phase.ONE ? java.util.stream.IntStream.range(0, W).toArray() : new int[]{0};
                    for (int rcv : receivers) {
                        for (int s = 0; s < W; s++) {
                            long slot = layout.slotOffset(ph, LEVEL, b, s);
                            byte[] bytes = snap[rcv];
                            hex.append(String.format("  rank %d's buffer @%,d: slot [block %d][sender %d], atom block 0 of %d%n", rcv, slot, b,
                                    s, ra));
                            hex.append(String.format("    threads 0-1 codes @+0:  %s   (bytes in memory order; each 4-byte word holds nibbles c0 c2 c4 c6 c1 c3 c5 c7 from bit 0 up)%n",
                                    Num.hexBytes(bytes, (int) slot, 8)));
                            int sw = Wire.getInt(MemorySegment.ofArray(bytes), slot + cl.scaleOffset());
                            hex.append(String.format("    scale word 0 @+%d:    %s   d(even) = %s, d(odd) = %s%n", cl.scaleOffset(),
                                    Num.hexBytes(bytes, (int) (slot + cl.scaleOffset()), 4), Num.show(f, sw & 0xFFFF), Num.show(f, sw >>> 16)));
                        }
                    }
                    hex.append('\n');
                }
                sb.append(Adoc.literal("Tile " + b + ": bytes in the slots of block " + b, hex.toString()));
            }
        }
        out.adoc("walk-tiles.adoc", sb.toString());
        out.adoc("walk-attrs.adoc", Adoc.attr("walk-w", Integer.toString(W))
                + Adoc.attr("walk-codec", LEVEL.name())
                + Adoc.attr("walk-profile", PROFILE.id())
                + Adoc.attr("walk-n", String.format("%,d", N))
                + Adoc.attr("walk-tiles", Integer.toString(TILES))
                + Adoc.attr("walk-grid", Integer.toString(plan.grid()))
                + Adoc.attr("walk-rank-atoms", Integer.toString(plan.rankAtoms()))
                + Adoc.attr("walk-stride", Integer.toString(cl.stride()))
                + Adoc.attr("walk-subslot", Integer.toString(cl.rankTransmittedTileBytes(W)))
                + Adoc.attr("walk-phase1", String.format("%,d", layout.phaseOffset(Phase.ONE)))
                + Adoc.attr("walk-phase2", String.format("%,d", layout.phaseOffset(Phase.TWO)))
                + Adoc.attr("walk-seed", Long.toString(SEED)));
    }

    private static byte[][] snapshot(CommBuffer[] bufs, BufferLayout layout) {
        byte[][] out = new byte[bufs.length][];
        for (int r = 0; r < bufs.length; r++) {
            out[r] = new byte[(int) layout.totalBytes()];
            bufs[r].copyTo(MemorySegment.ofArray(out[r]));
        }
        return out;
    }

    /** The outputs must equal the group backend's and the element-wise model's, and be identical on every rank. */
    private static void check(short[][] inputs, short[][] outputs, NumericsProfile np) {
        short[] oracle = ElementwiseModel.allreduce(inputs, N, LEVEL, DataPath.FP16, np);
        CpuBackend backend = new CpuBackend(1);
        try (Arena arena = Arena.ofConfined();
             GroupComms g = backend.newGroup(W, 2L * N, CommsOptions.of(PROFILE).withMaxBlocks(TILES))) {
            List<MemorySegment> in = new ArrayList<>();
            List<MemorySegment> out = new ArrayList<>();
            for (int r = 0; r < W; r++) {
                MemorySegment s = arena.allocate(2L * N);
                MemorySegment.copy(inputs[r], 0, s, Wire.SHORT, 0, N);
                in.add(s);
                out.add(arena.allocate(2L * N));
            }
            g.allreduce(in, out, N, DType.FP16, LEVEL, false);
            for (int r = 0; r < W; r++) {
                short[] got = new short[N];
                MemorySegment.copy(out.get(r), Wire.SHORT, 0, got, 0, N);
                for (int e = 0; e < N; e++) {
                    if (got[e] != outputs[r][e] || oracle[e] != outputs[r][e] || outputs[0][e] != outputs[r][e]) {
                        throw new IllegalStateException("walk-through: rank " + r + " element " + e + " phase by phase "
                                + Format16.hex(outputs[r][e]) + ", group backend " + Format16.hex(got[e]) + ", element-wise model "
                                + Format16.hex(oracle[e]));
                    }
                }
            }
        }
    }
}
