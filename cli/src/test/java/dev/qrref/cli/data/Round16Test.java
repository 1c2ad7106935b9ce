package dev.qrref.cli.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** binary64 → 16 bits, checked against an exact BigDecimal rounding, with ties and near-ties in every binade. */
class Round16Test {

    /**
     * Exact RNE of a double to {@code f}, by search over the patterns. Every comparison is exact in binary64: 16-bit
     * values are binary64 values, and the midpoint of two neighbours has at most 13 significant bits.
     */
    static int exact(Format16 f, double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException();
        }
        int sign = x < 0 || (x == 0 && 1 / x < 0) ? f.signMask : 0;
        double ax = Math.abs(x);
        double max = f.toDouble(f.maxFinite);
        double threshold = max + (max - f.toDouble(f.maxFinite - 1)) / 2;
        if (ax >= threshold) {
            return sign | f.positiveInfinity;
        }
        int lo = 0;
        int hi = f.maxFinite;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (f.toDouble(mid) <= ax) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (f.toDouble(lo) == ax || lo == f.maxFinite) {
            return sign | lo;
        }
        double midpoint = (f.toDouble(lo) + f.toDouble(lo + 1)) / 2;
        int pick = ax < midpoint ? lo : ax > midpoint ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1);
        return sign | pick;
    }

    private static void check(Format16 f, double x) {
        int got = f == Format16.FP16 ? Round16.fp16(x) : Round16.bf16(x);
        int want = exact(f, x);
        if (got != want) {
            assertEquals(Format16.hex(want), Format16.hex(got), f.id() + " of " + x + " (" + Double.toHexString(x) + ")");
        }
    }

    @Test
    void tiesAndNearTiesBetweenEveryPairOfNeighbours() {
        for (Format16 f : Format16.values()) {
            int step = f == Format16.FP16 ? 1 : 7; // bf16: a sample of the 32,640 positive finite patterns
            for (int bits = 0; bits < f.maxFinite; bits += step) {
                double a = f.toDouble(bits);
                double b = f.toDouble(bits + 1);
                double mid = (a + b) / 2; // exact in binary64
                for (double x : new double[]{a, mid, Math.nextDown(mid), Math.nextUp(mid), b}) {
                    check(f, x);
                    check(f, -x);
                }
            }
            double max = f.toDouble(f.maxFinite);
            double halfUlp = (max - f.toDouble(f.maxFinite - 1)) / 2;
            for (double x : new double[]{max + halfUlp, Math.nextDown(max + halfUlp), Math.nextUp(max + halfUlp), 1e300,
                Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 0.0, -0.0}) {
                check(f, x);
                check(f, -x);
            }
        }
    }

    @Test
    void doubleRoundingThroughBinary32WouldBeWrongHere() {
        // 1 + 2^-11 + 2^-40: above the fp16 tie 1 + 2^-11 by less than half a binary32 ulp, so (float) x lands on
        // the tie and RNE then rounds down to 1; the correct fp16 result is the next value up
        double x = 1 + 0x1p-11 + 0x1p-40;
        assertEquals(0x3C00, Float.floatToFloat16((float) x) & 0xFFFF, "the double-rounding trap");
        assertEquals(0x3C01, Round16.fp16(x));
        check(Format16.FP16, x);
    }

    @Test
    void randomDoubles() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            double x = r.nextGaussian() * Math.scalb(1.0, r.nextInt(-30, 20));
            check(Format16.FP16, x);
            check(Format16.BF16, x);
            double y = Math.scalb(r.nextGaussian(), r.nextInt(-140, 130));
            check(Format16.BF16, y);
        }
    }

    @Test
    void nanAndValues() {
        assertEquals(0x7E00, Round16.fp16(Double.NaN));
        assertEquals(0x7FC0, Round16.bf16(Double.NaN));
        assertEquals(-2.5, Round16.value(DType.FP16, 0xC100));
        assertEquals(1.0, Round16.value(DType.BF16, 0x3F80));
    }
}
