package dev.qrref.cpu.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Write then read: every bit pattern survives, for both dtypes and sizes around the header padding. */
class NpyRoundTripTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(DType.class)
    void allBitPatternsSurvive(DType dtype) throws IOException {
        short[] all = new short[1 << 16];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        Path p = tmp.resolve("all.npy");
        NpyWriter.write(p, dtype, all);
        try (Arena arena = Arena.ofConfined()) {
            NpyArray a = NpyReader.map(p, arena, dtype);
            assertEquals(1, a.header().major());
            assertArrayEquals(all, a.toArray());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 999, 1000, 123456})
    void lengthsWithDifferentDigitCounts(int n) throws IOException {
        short[] v = random(n);
        Path p = tmp.resolve("r" + n + ".npy");
        NpyWriter.write(p, DType.FP16, v);
        assertEquals(0, NpyReader.readHeader(p).dataOffset() % 64);
        assertEquals(NpyReader.readHeader(p).dataOffset() + 2L * n, Files.size(p));
        try (Arena arena = Arena.ofConfined()) {
            assertArrayEquals(v, NpyReader.map(p, arena).toArray());
        }
    }

    @Test
    void writesFromAnOffHeapSegmentAndMapsItBack() throws IOException {
        int n = 3 << 20; // 6 MiB: enough to exercise the mapped path without slowing the suite
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(2L * n, 16);
            SplittableRandom rnd = new SplittableRandom(42);
            for (long i = 0; i < n; i++) {
                s.set(NpyArray.ELEMENT, 2 * i, (short) rnd.nextInt());
            }
            Path p = tmp.resolve("big.npy");
            NpyWriter.write(p, DType.BF16, s);
            NpyArray a = NpyReader.map(p, arena, DType.BF16);
            assertEquals(n, a.length());
            assertEquals(-1, MemorySegment.mismatch(s, 0, s.byteSize(), a.data(), 0, a.data().byteSize()));
            assertTrue(a.data().isReadOnly());
        }
    }

    @Test
    void overwritesAnExistingFileCompletely() throws IOException {
        Path p = tmp.resolve("x.npy");
        NpyWriter.write(p, DType.FP16, random(1000));
        short[] small = random(8);
        NpyWriter.write(p, DType.FP16, small);
        try (Arena arena = Arena.ofConfined()) {
            assertArrayEquals(small, NpyReader.map(p, arena).toArray());
        }
    }

    private static short[] random(int n) {
        SplittableRandom rnd = new SplittableRandom(n * 31L);
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            v[i] = (short) rnd.nextInt();
        }
        return v;
    }
}
