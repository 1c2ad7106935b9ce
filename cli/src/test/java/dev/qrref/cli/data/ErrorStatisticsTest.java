package dev.qrref.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.spec.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ErrorStatisticsTest {
    static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static MemorySegment seg(Arena a, short... v) {
        MemorySegment s = a.allocate(2L * v.length);
        MemorySegment.copy(v, 0, s, LE, 0, v.length);
        return s;
    }

    private static short h(double x) {
        return (short) Round16.fp16(x);
    }

    @Test
    void smallCaseByHand() {
        try (Arena a = Arena.ofConfined(); Parallel p = new Parallel(1)) {
            MemorySegment r0 = seg(a, h(1), h(2), h(0x1p-24), h(Double.POSITIVE_INFINITY), h(1), h(3), h(65504), h(0));
            MemorySegment r1 = seg(a, h(1), h(-1), h(0x1p-24), h(1), h(Double.NaN), h(3), h(65504), h(0));
            // sums:               2      1      2^-23            inf    NaN          6      131008     0
            MemorySegment out = seg(a, h(2), h(1.5), h(0), h(Double.POSITIVE_INFINITY), h(1), h(6), h(Double.POSITIVE_INFINITY),
                    h(Double.NaN));
            ErrorStatistics s = ErrorStatistics.of(List.of(r0, r1), out, 8, DType.FP16, p);
            assertEquals(8, s.elements());
            assertEquals(2, s.referenceNonFinite());
            assertEquals(4, s.finite()); // elements 0, 1, 2, 5
            assertEquals(1, s.outputNaN());
            assertEquals(2, s.outputPosInf());
            assertEquals(2, s.lostFinite()); // 131008 overflowed, 0 became NaN
            assertEquals(0.5, s.maxAbsError());
            assertEquals(1, s.maxAbsErrorAt());
            assertEquals(0.25 + 0x1p-46, s.sumSquaredError());
            assertEquals(4 + 1 + 0x1p-46 + 36, s.sumSquaredRef());
        }
    }

    @Test
    void exactOutputHasInfiniteSqnr() {
        try (Arena a = Arena.ofConfined(); Parallel p = new Parallel(1)) {
            MemorySegment r0 = seg(a, h(1), h(2));
            MemorySegment out = seg(a, h(2), h(4));
            ErrorStatistics s = ErrorStatistics.of(List.of(r0, r0), out, 2, DType.FP16, p);
            assertEquals(Double.POSITIVE_INFINITY, s.sqnrDb());
            assertEquals(0, s.relativeL2());
        }
    }

    @Test
    void bf16SumIsCompensated() {
        try (Arena a = Arena.ofConfined(); Parallel p = new Parallel(1)) {
            short big = (short) Round16.bf16(0x1p60);
            short one = (short) Round16.bf16(1);
            short negBig = (short) Round16.bf16(-0x1p60);
            // 2^60 + 1 - 2^60 = 1 exactly; plain float64 summation gives 0
            ErrorStatistics s = ErrorStatistics.of(List.of(seg(a, big), seg(a, one), seg(a, negBig), seg(a, (short) 0)),
                    seg(a, one), 1, DType.BF16, p);
            assertEquals(0, s.maxAbsError());
        }
    }

    @Test
    void sameFiguresForAnyThreadCount() {
        int n = 5 * ErrorStatistics.CHUNK + 24;
        SplittableRandom r = new SplittableRandom(3);
        short[][] in = new short[4][n];
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            for (short[] v : in) {
                v[i] = h(r.nextGaussian());
            }
            out[i] = h(r.nextGaussian() * 2);
        }
        try (Arena a = Arena.ofShared(); Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            List<MemorySegment> ins = List.of(seg(a, in[0]), seg(a, in[1]), seg(a, in[2]), seg(a, in[3]));
            assertEquals(ErrorStatistics.of(ins, seg(a, out), n, DType.FP16, one),
                    ErrorStatistics.of(ins, seg(a, out), n, DType.FP16, three));
        }
    }
}
