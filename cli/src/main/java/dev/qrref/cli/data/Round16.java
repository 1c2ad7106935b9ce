package dev.qrref.cli.data;

import dev.qrref.spec.DType;

/**
 * binary64 → fp16 / bf16 with one correct rounding (nearest, ties to even; overflow to ±inf). Rounding to binary32 with
 * RNE first and then to 16 bits would round twice and can miss a tie; rounding to binary32 <em>to odd</em> first does
 * not: with at least two more significand bits than the target (24 ≥ 11 + 2 and ≥ 8 + 2), round-to-odd followed by
 * round-to-nearest-even equals a single round-to-nearest-even (Boldo and Melquiond, "Emulation of FMA and correctly
 * rounded sums: proved algorithms using rounding to odd", IEEE TC 2008). The last step is the JDK's binary32 → binary16
 * conversion (an intrinsic) or bf16 rounding on the binary32 bits.
 */
public final class Round16 {
    private Round16() {
    }

    /** binary64 → binary32 rounded to odd: truncate toward zero, then set the last bit if anything was cut off. */
    static float toOdd(double x) {
        float f = (float) x;
        if ((double) f == x || x != x) {
            return f;
        }
        int bits = Float.floatToRawIntBits(f);
        if (Math.abs((double) f) > Math.abs(x)) {
            bits--; // RNE went away from zero (possibly to infinity): one step back toward zero
        }
        return Float.intBitsToFloat(bits | 1);
    }

    public static int fp16(double x) {
        return Float.floatToFloat16(toOdd(x)) & 0xFFFF;
    }

    public static int bf16(double x) {
        if (x != x) {
            return 0x7FC0;
        }
        int b = Float.floatToRawIntBits(toOdd(x));
        // RNE on the top 16 bits; a carry into the exponent is the correct result (up to infinity)
        return ((b + 0x7FFF + ((b >>> 16) & 1)) >>> 16) & 0xFFFF;
    }

    public static int of(DType dtype, double x) {
        return dtype == DType.FP16 ? fp16(x) : bf16(x);
    }

    /** Exact value of a pattern of {@code dtype}. */
    public static double value(DType dtype, int bits) {
        return dtype == DType.FP16 ? Float.float16ToFloat((short) bits) : Float.intBitsToFloat(bits << 16);
    }
}
