package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;

/** bfloat16 conversions on raw patterns: bf16 is the upper half of binary32. */
public final class Bf16 {
    private Bf16() {
    }

    public static final Format16 FORMAT = Format16.BF16;

    /** Exact value of a bf16 pattern. */
    public static float toFloat(int bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * binary32 to bf16, round to nearest even (overflow to ±inf follows from the rounding). A NaN keeps its sign and
     * upper payload and gets the quiet bit, so it can never turn into an infinity.
     */
    public static int fromFloatRne(float f) {
        int b = Float.floatToRawIntBits(f);
        if ((b & 0x7F800000) == 0x7F800000 && (b & 0x007FFFFF) != 0) {
            return ((b >>> 16) | FORMAT.quietBit) & 0xFFFF;
        }
        int roundingBias = 0x7FFF + ((b >>> 16) & 1);
        return ((b + roundingBias) >>> 16) & 0xFFFF;
    }
}
