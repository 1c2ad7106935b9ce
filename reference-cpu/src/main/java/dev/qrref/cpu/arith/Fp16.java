package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;

/**
 * IEEE binary16 conversions on raw patterns. {@link Float#float16ToFloat} is exact; {@link Float#floatToFloat16} rounds
 * to nearest, ties to even, keeps subnormals and overflows to infinity — the IEEE conversion every profile starts from.
 */
public final class Fp16 {
    private Fp16() {
    }

    public static final Format16 FORMAT = Format16.FP16;

    /** Exact value of an fp16 pattern. */
    public static float toFloat(int bits) {
        return Float.float16ToFloat((short) bits);
    }

    /** binary32 to binary16, round to nearest even, overflow to ±inf. NaN stays NaN (payload not specified). */
    public static int fromFloatRne(float f) {
        return Float.floatToFloat16(f) & 0xFFFF;
    }
}
