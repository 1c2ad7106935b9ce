package dev.qrref.cpu.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Profile;
import org.junit.jupiter.api.Test;

/**
 * The fp8 conversion against a slow reference that finds the nearest code by searching every code (ties to the code
 * with an even last bit, the virtual code past the largest one standing for overflow), on every fp16 and bf16 input, in
 * both formats and both out-of-range rules; and the profiles' choice of format and rule.
 */
class Fp8Test {

    /** The reference: the code nearest to {@code v} on the format's grid, RNE, overflow per {@code saturate}. */
    static int reference(Fp8Format f, boolean saturate, double v) {
        int nan = f.unsignedZero ? 0x80 : 0x7F;
        if (Double.isNaN(v)) {
            return nan;
        }
        int sign = (v < 0 || (v == 0 && 1 / v < 0)) ? 0x80 : 0;
        double a = Math.abs(v);
        double max = f.maxValue();
        // the virtual next value past the largest: the spacing of the top binade, once more
        double beyond = max + (max - f.toDouble(f.maxFinite - 1));
        if (a >= beyond) {
            return saturate ? sign | f.maxFinite : nan;  // (also keeps the distances below exact in binary64)
        }
        int best = -1;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int c = 0; c <= f.maxFinite + 1; c++) {
            double cv = c == f.maxFinite + 1 ? beyond : f.toDouble(c);
            double err = Math.abs(cv - a);
            if (err < bestErr || (err == bestErr && (c & 1) == 0)) {
                best = c;
                bestErr = err;
            }
        }
        if (Double.isInfinite(a) || best == f.maxFinite + 1) {
            return saturate ? sign | f.maxFinite : nan;
        }
        if (best == 0 && f.unsignedZero) {
            return 0;
        }
        return sign | best;
    }

    @Test
    void everySixteenBitInputConvertsToTheNearestCode() {
        for (Fp8Format f : Fp8Format.values()) {
            for (boolean sat : new boolean[]{false, true}) {
                Fp8 fp8 = new Fp8(f, sat);
                for (Format16 in : Format16.values()) {
                    int wrong = 0;
                    String first = "";
                    for (int b = 0; b < 0x10000; b++) {
                        double v = in.toDouble(b);
                        int got = fp8.fromFloat((float) v);
                        int want = reference(f, sat, v);
                        boolean same = got == want || (f.isNaN(got) && f.isNaN(want));
                        if (!same && wrong++ == 0) {
                            first = String.format("in=%s got=0x%02X want=0x%02X", Format16.hex(b), got, want);
                        }
                    }
                    assertEquals(0, wrong, f + (sat ? " saturating" : "") + " from " + in + ": first " + first);
                }
            }
        }
    }

    @Test
    void theBoundariesOfTheRange() {
        Fp8 fnNan = new Fp8(Fp8Format.E4M3FN, false);
        Fp8 fnSat = new Fp8(Fp8Format.E4M3FN, true);
        Fp8 fnuz = new Fp8(Fp8Format.E4M3FNUZ, false);
        assertEquals(0x7E, fnNan.fromFloat(464f), "464 is a tie between 448 (even) and 480: 448");
        assertEquals(0x7F, fnNan.fromFloat(464.5f), "past the tie: NaN without saturation");
        assertEquals(0x7E, fnSat.fromFloat(1e6f));
        assertEquals(0xFE, fnSat.fromFloat(Float.NEGATIVE_INFINITY));
        assertEquals(0x7F, fnuz.fromFloat(247.9f));
        assertEquals(0x80, fnuz.fromFloat(248f), "248 ties to 256 (even), which does not exist: NaN");
        assertEquals(0x00, fnuz.fromFloat(-0.0f), "fnuz has no -0");
        assertEquals(0x80, fnNan.fromFloat(-0.0f));
        assertEquals(0x01, fnNan.fromFloat((float) Math.scalb(1.0, -9)));
        assertEquals(0x00, fnNan.fromFloat((float) Math.scalb(1.0, -10)), "half the smallest subnormal ties to 0");
        assertEquals(0x01, fnuz.fromFloat((float) Math.scalb(1.0, -10)));
        assertTrue(Float.isNaN(fnuz.toFloat(0x80)));
        assertEquals(-448f, fnNan.toFloat(0xFE));
    }

    @Test
    void profilesPickTheirFormatAndRuleFromTheirRow() {
        assertEquals(Fp8Format.E4M3FN, NumericsProfile.of(Profile.CUDA).fp8().format());
        assertTrue(NumericsProfile.of(Profile.CUDA).fp8().saturates(), "NVIDIA's cvt is .satfinite");
        assertEquals(Fp8Format.E4M3FNUZ, NumericsProfile.of(Profile.CDNA3).fp8().format());
        assertEquals(Fp8Format.E4M3FN, NumericsProfile.of(Profile.CDNA4).fp8().format());
        assertEquals(0x7F, NumericsProfile.of(Profile.CDNA4).fp8().fromFloat(Float.POSITIVE_INFINITY), "cdna4: inf -> NaN");
        assertEquals(0x7E, NumericsProfile.of(Profile.CUDA).fp8().fromFloat(Float.POSITIVE_INFINITY), "cuda: inf -> 448");
    }
}
