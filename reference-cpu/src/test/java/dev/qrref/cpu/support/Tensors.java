package dev.qrref.cpu.support;

import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.spec.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Small helpers to build per-rank test tensors. */
public final class Tensors {
    private Tensors() {
    }

    public static short[] gaussian(DType dtype, int n, long seed, double sigma) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            v[i] = (short) encode(dtype, (float) (rnd.nextGaussian() * sigma));
        }
        return v;
    }

    public static int encode(DType dtype, float f) {
        return dtype == DType.FP16 ? Fp16.fromFloatRne(f) : Bf16.fromFloatRne(f);
    }

    public static float decode(DType dtype, int bits) {
        return dtype == DType.FP16 ? Fp16.toFloat(bits) : Bf16.toFloat(bits);
    }

    /** Special values sprinkled into Gaussian data: a zero group, NaN, ±inf, subnormals, ±max. */
    public static short[] withSpecials(DType dtype, int n, long seed) {
        short[] v = gaussian(dtype, n, seed, 1.0);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] specials = dtype == DType.FP16
                ? new int[]{0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0x0001, 0x8001, 0x03FF, 0x7BFF, 0xFBFF, 0x0400}
                : new int[]{0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x0001, 0x8001, 0x007F, 0x7F7F, 0x4780, 0xC780, 0x4800};
        for (int i = 0; i < n / 97 + 1; i++) {
            v[rnd.nextInt(n)] = (short) specials[rnd.nextInt(specials.length)];
        }
        // one whole zero span (both groups) when there is room
        if (n >= 256) {
            int span = (rnd.nextInt(n / 64 - 1)) * 64;
            for (int i = 0; i < 64; i++) {
                v[span + i] = 0;
            }
        }
        return v;
    }

    public static MemorySegment segment(Arena arena, short[] v) {
        MemorySegment s = arena.allocate((long) v.length * 2, 16);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_SHORT_UNALIGNED, 0, v.length);
        return s;
    }

    public static short[] array(MemorySegment s, int n) {
        short[] v = new short[n];
        MemorySegment.copy(s, ValueLayout.JAVA_SHORT_UNALIGNED, 0, v, 0, n);
        return v;
    }
}
