package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.codec.Wire;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named facts of the protocol (rules RED-*, GEO-*, BUF-*, FLAG-1). */
class ProtocolFactsTest {

    private static GroupComms group(int w, long maxBytes, Profile p, int maxBlocks) {
        return new CpuBackend(2).newGroup(w, maxBytes, CommsOptions.of(p).withMaxBlocks(maxBlocks));
    }

    private static short[][] filled(int w, int n, int bits) {
        short[][] in = new short[w][n];
        for (short[] v : in) {
            java.util.Arrays.fill(v, (short) bits);
        }
        return in;
    }

    @Test
    void allZeroInputsGivePlusZeroUnderCudaAndMinusZeroUnderCdna3() {
        for (int w : Geometry.WORLD_SIZES) {
            for (QuantLevel q : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
                for (Profile p : new Profile[]{Profile.CUDA, Profile.CDNA3}) {
                    try (GroupComms g = group(w, 1 << 20, p, 16)) {
                        short[][] out = GroupRun.run(g, filled(w, 4096, 0x8000), 4096, q, DataPath.FP16);
                        int want = p == Profile.CUDA ? 0x0000 : 0x8000;
                        for (short[] o : out) {
                            for (short v : o) {
                                assertEquals(want, v & 0xFFFF, "W=" + w + " " + q + " " + p);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void fpCodecIsTheOrderedSumFromPlusZero() {
        for (int w : Geometry.WORLD_SIZES) {
            try (GroupComms g = group(w, 1 << 20, Profile.CUDA, 16)) {
                // all -0 inputs: +0 + (-0) = +0
                for (short[] o : GroupRun.run(g, filled(w, 64, 0x8000), 64, QuantLevel.F16, DataPath.FP16)) {
                    for (short v : o) {
                        assertEquals(0x0000, v & 0xFFFF, "W=" + w + ": -0 inputs sum to +0");
                    }
                }
                // order matters: 2048 then w-1 ones stays 2048 (each +1 is a tie to even); any other order would
                // reach 2048 + (w-1) rounded differently
                short[][] in = filled(w, 16384, Fp16.fromFloatRne(1.0f));
                java.util.Arrays.fill(in[0], (short) Fp16.fromFloatRne(2048.0f));
                for (short[] o : GroupRun.run(g, in, 16384, QuantLevel.F16, DataPath.FP16)) {
                    for (short v : o) {
                        assertEquals(2048.0f, Fp16.toFloat(v), "W=" + w + ": sender 0 first on every owner");
                    }
                }
                in = filled(w, 16384, Fp16.fromFloatRne(1.0f));
                java.util.Arrays.fill(in[w - 1], (short) Fp16.fromFloatRne(2048.0f));
                for (short[] o : GroupRun.run(g, in, 16384, QuantLevel.F16, DataPath.FP16)) {
                    for (short v : o) {
                        assertEquals(Fp16.toFloat(Fp16.fromFloatRne(2048.0f + (w - 1))), Fp16.toFloat(v), "W=" + w + ": small terms first");
                    }
                }
            }
        }
    }

    @Test
    void everyRankIsBitIdentical() {
        for (int w : Geometry.WORLD_SIZES) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath path : DataPath.values()) {
                    int n = 3 * 16384 + 104;
                    short[][] in = new short[w][];
                    for (int r = 0; r < w; r++) {
                        in[r] = Tensors.withSpecials(path.dtype, n, 77 * r + q.code);
                    }
                    try (GroupComms g = group(w, 2L * n, Profile.CDNA3, 2)) {
                        short[][] out = GroupRun.run(g, in, n, q, path);
                        for (int r = 1; r < w; r++) {
                            assertArrayEquals(out[0], out[r], "W=" + w + " " + q + " " + path + " rank " + r);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tailsReadZerosAndWriteNothingBeyondN() {
        int[] sizes = {8, 16, 2048, 16384 - 8, 16384, 16384 + 8, 16384 * 2 + 1000};
        for (int n : sizes) {
            for (QuantLevel q : QuantLevel.values()) {
                int w = 2;
                short[][] in = new short[w][];
                for (int r = 0; r < w; r++) {
                    in[r] = Tensors.gaussian(DType.FP16, n, n + r, 1.0);
                }
                try (Arena arena = Arena.ofShared(); GroupComms g = group(w, 1 << 20, Profile.CUDA, 4)) {
                    List<MemorySegment> ins = new ArrayList<>();
                    List<MemorySegment> outs = new ArrayList<>();
                    int pad = 64;
                    for (int r = 0; r < w; r++) {
                        ins.add(Tensors.segment(arena, in[r]));
                        MemorySegment o = arena.allocate(2L * (n + pad));
                        o.fill((byte) 0x5A);
                        outs.add(o);
                    }
                    g.allreduce(ins, outs, n, DType.FP16, q, false);
                    for (MemorySegment o : outs) {
                        for (int i = n; i < n + pad; i++) {
                            assertEquals((short) 0x5A5A, o.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i), "N=" + n + " " + q + ": element " + i + " beyond N written");
                        }
                        // the tail element before N was written (not the fill pattern)
                        assertTrue(o.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, n - 1) != (short) 0x5A5A || n == 0);
                    }
                }
            }
        }
    }

    @Test
    void ownersCollectRawSegmentsInFpPhaseOneSlots() {
        // W=2, FP codec, one tile: rank 1's phase-1 slot [block 0][sender 0] holds rank 0's atoms 4..7 verbatim
        int n = 16384;
        short[][] in = {Tensors.gaussian(DType.FP16, n, 1, 1), Tensors.gaussian(DType.FP16, n, 2, 1)};
        try (GroupComms g = group(2, 1 << 20, Profile.CUDA, 8)) {
            GroupRun.run(g, in, n, QuantLevel.F16, DataPath.FP16);
            byte[][] buf = GroupRun.buffers(g);
            BufferLayout l = g.layout();
            MemorySegment rank1 = MemorySegment.ofArray(buf[1]);
            long slot = l.slotOffset(Phase.ONE, QuantLevel.F16, 0, 0);
            for (int i = 0; i < 4 * Geometry.ATOM_ELEMENTS; i++) {
                assertEquals(in[0][4 * Geometry.ATOM_ELEMENTS + i] & 0xFFFF, Wire.getShort(rank1, slot + 2L * i), "element " + i);
            }
            // flags: both senders' phase-1 and phase-2 flags of block 0 hold colour 1; the counter advanced to 2
            for (int r = 0; r < 2; r++) {
                MemorySegment b = MemorySegment.ofArray(buf[r]);
                for (int s = 0; s < 2; s++) {
                    assertEquals(1, Wire.getInt(b, l.flagOffset(Phase.ONE, 0, s)));
                    assertEquals(1, Wire.getInt(b, l.flagOffset(Phase.TWO, 0, s)));
                    assertEquals(0, Wire.getInt(b, l.flagOffset(Phase.ONE, 1, s)), "block 1 did not run");
                }
                assertEquals(2, Wire.getInt(b, l.counterOffset(0)));
                assertEquals(1, Wire.getInt(b, l.counterOffset(1)));
            }
        }
    }

    @Test
    void countersAdvanceAcrossCallsOfDifferentSizesAndCodecs() {
        // variable sizes and codecs, as in the upstream 50 000-call loop: 3 tiles on a grid of 2 gives block 0 two
        // iterations and block 1 one; then 1 tile; then 5 tiles
        try (GroupComms g = group(4, 1 << 20, Profile.CUDA, 2)) {
            int[] tiles = {3, 1, 5, 2};
            QuantLevel[] codecs = {QuantLevel.INT4, QuantLevel.F16, QuantLevel.INT8, QuantLevel.INT6};
            int[] expect = {1, 1};
            for (int c = 0; c < tiles.length; c++) {
                int n = tiles[c] * 16384;
                short[][] in = new short[4][];
                for (int r = 0; r < 4; r++) {
                    in[r] = Tensors.gaussian(DType.FP16, n, c * 10 + r, 1);
                }
                GroupRun.run(g, in, n, codecs[c], DataPath.FP16);
                for (int b = 0; b < 2; b++) {
                    expect[b] += Geometry.iterations(b, tiles[c], Math.min(2, tiles[c]));
                }
                byte[][] buf = GroupRun.buffers(g);
                for (int r = 0; r < 4; r++) {
                    MemorySegment s = MemorySegment.ofArray(buf[r]);
                    for (int b = 0; b < 2; b++) {
                        assertEquals(expect[b], Wire.getInt(s, g.layout().counterOffset(b)), "call " + c + " rank " + r + " block " + b);
                    }
                }
            }
        }
    }
}
