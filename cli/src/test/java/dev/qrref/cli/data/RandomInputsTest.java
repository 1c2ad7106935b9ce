package dev.qrref.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RandomInputsTest {
    static final int N = 3 * RandomInputs.CHUNK + 200; // a partial chunk and a partial span at the end

    private static MemorySegment fill(Arena arena, RandomInputs g, int rank, int threads) {
        MemorySegment s = arena.allocate(2L * N);
        try (Parallel p = new Parallel(threads)) {
            g.fill(s, rank, N, p);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sameBitsForAnyThreadCountDifferentPerRank(DType dtype) {
        for (boolean specials : new boolean[]{false, true}) {
            RandomInputs g = new RandomInputs(77, dtype, specials);
            try (Arena arena = Arena.ofShared()) {
                MemorySegment one = fill(arena, g, 3, 1);
                MemorySegment many = fill(arena, g, 3, 4);
                assertEquals(-1, one.mismatch(many), "thread count changed the inputs");
                assertNotEquals(-1, one.mismatch(fill(arena, g, 2, 2)), "ranks must differ");
                short[] head = g.head(3, 64);
                assertEquals(-1, MemorySegment.ofArray(head).mismatch(one.asSlice(0, 128)), "head() is the same stream");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void specialsCoverTheAdvertisedCases(DType dtype) {
        RandomInputs g = new RandomInputs(5, dtype, true);
        Set<RandomInputs.SpanKind> kinds = EnumSet.noneOf(RandomInputs.SpanKind.class);
        for (long span = 0; span < N / 64; span++) {
            kinds.add(g.spanKind(span));
        }
        Set<RandomInputs.SpanKind> expect = EnumSet.allOf(RandomInputs.SpanKind.class);
        if (dtype == DType.FP16) {
            expect.remove(RandomInputs.SpanKind.BEYOND_FP16);
        }
        assertEquals(expect, kinds);

        Format16 f = dtype.format;
        int nan = 0;
        int inf = 0;
        int sub = 0;
        int max = 0;
        int zeroSpans = 0;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = fill(arena, g, 0, 2);
            short[] v = s.toArray(ValueLayout.JAVA_SHORT);
            for (short x : v) {
                nan += f.isNaN(x) ? 1 : 0;
                inf += f.isInfinite(x) ? 1 : 0;
                sub += f.isSubnormal(x) ? 1 : 0;
                max += f.abs(x) == f.maxFinite ? 1 : 0;
            }
            for (int span = 0; span + 64 <= N; span += 64) {
                boolean allZero = true;
                for (int i = 0; i < 64; i++) {
                    allZero &= f.isZero(v[span + i]);
                }
                zeroSpans += allZero ? 1 : 0;
            }
        }
        assertTrue(nan > 0 && inf > 0 && sub > 0 && max > 0 && zeroSpans > 0,
                "NaN " + nan + ", inf " + inf + ", subnormal " + sub + ", max " + max + ", zero spans " + zeroSpans);
    }
}
