package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Classifiers over all 65,536 patterns of both formats, against an independent reading of the exact value. */
class Format16Test {

    @Test
    void classifiersAgreeWithTheDecodedValueForEveryPattern() {
        for (Format16 f : Format16.values()) {
            int nan = 0;
            int inf = 0;
            int zero = 0;
            int sub = 0;
            for (int b = 0; b < 0x10000; b++) {
                double v = f.toDouble(b);
                assertEquals(Double.isNaN(v), f.isNaN(b), f + " isNaN " + Format16.hex(b));
                assertEquals(Double.isInfinite(v), f.isInfinite(b), f + " isInfinite " + Format16.hex(b));
                assertEquals(!Double.isNaN(v) && !Double.isInfinite(v), f.isFinite(b), f + " isFinite " + Format16.hex(b));
                assertEquals(v == 0.0, f.isZero(b), f + " isZero " + Format16.hex(b));
                double minNormal = Math.scalb(1.0, 1 - f.exponentBias);
                assertEquals(v != 0.0 && Math.abs(v) < minNormal, f.isSubnormal(b), f + " isSubnormal " + Format16.hex(b));
                nan += f.isNaN(b) ? 1 : 0;
                inf += f.isInfinite(b) ? 1 : 0;
                zero += f.isZero(b) ? 1 : 0;
                sub += f.isSubnormal(b) ? 1 : 0;
            }
            assertEquals(2 * ((1 << f.fractionBits) - 1), nan, f + " NaN count");
            assertEquals(2, inf);
            assertEquals(2, zero);
            assertEquals(2 * ((1 << f.fractionBits) - 1), sub, f + " subnormal count");
        }
        assertEquals(65504.0, Format16.FP16.toDouble(Format16.FP16.maxFinite));
        assertEquals(0x7BFF, Format16.FP16.maxFinite);
        assertEquals(0x7F7F, Format16.BF16.maxFinite);
        assertEquals(0x3C00, Format16.FP16.one);
        assertEquals(0x3F80, Format16.BF16.one);
        // bf16 is the upper half of binary32
        for (int b = 0; b < 0x10000; b++) {
            if (!Format16.BF16.isNaN(b)) {
                assertEquals(Float.intBitsToFloat(b << 16), (float) Format16.BF16.toDouble(b));
            }
        }
    }
}
