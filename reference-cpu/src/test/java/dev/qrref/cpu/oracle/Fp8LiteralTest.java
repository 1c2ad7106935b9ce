package dev.qrref.cpu.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qrref.cpu.oracle.Fp8Literal.Format;
import dev.qrref.cpu.oracle.Fp8Literal.Overflow;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Fp8Literal} against a slow reference written here from the format definitions: every code's value as a
 * {@link BigDecimal}, and rounding as "the nearest representable value, ties to the even code, overflow past the
 * largest one", searched over the sorted values. Exhaustive over all 65,536 fp16 and all 65,536 bf16 inputs, in both
 * formats and under both overflow policies, and over all 256 codes back.
 */
class Fp8LiteralTest {

    /** One format as the definition states it, independently of the class under test. */
    record Def(Format format, int bias, boolean fnuz) {
        /** Value of a code, or null for NaN. */
        BigDecimal value(int code) {
            int sign = code >>> 7 & 1;
            int field = code >>> 3 & 0xF;
            int mant = code & 0x7;
            if (fnuz ? code == 0x80 : field == 0xF && mant == 0x7) {
                return null;
            }
            BigDecimal significand = field == 0 ? BigDecimal.valueOf(mant) : BigDecimal.valueOf(8 + mant);
            BigDecimal v = significand.multiply(pow2((field == 0 ? 1 : field) - bias - 3));
            return sign == 1 ? v.negate() : v;
        }

        /**
         * The value one quantum above the largest finite one, as an unbounded exponent range would continue the format,
         * and whether its code would be even: e4m3fn's 448 = 1.110b x 2^8 is followed by 1.111b x 2^8 = 480 (odd);
         * e4m3fnuz's 240 = 1.111b x 2^7 by 1.000b x 2^8 = 256 (even).
         */
        BigDecimal beyond() {
            return fnuz ? BigDecimal.valueOf(256) : BigDecimal.valueOf(480);
        }

        boolean beyondIsEven() {
            return fnuz;
        }
    }

    static final Def FNUZ = new Def(Format.E4M3FNUZ, 8, true);
    static final Def FN = new Def(Format.E4M3FN, 7, false);

    static Def def(Format f) {
        return f == Format.E4M3FNUZ ? FNUZ : FN;
    }

    static BigDecimal pow2(int e) {
        BigDecimal p = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(e)));
        return e >= 0 ? p : BigDecimal.ONE.divide(p);
    }

    /** Expected code of an exact value, or -1 for "the NaN pattern". */
    static int reference(Def d, double x, Overflow overflow) {
        if (Double.isNaN(x)) {
            return -1;
        }
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        int signBit = negative ? 0x80 : 0;
        int maxCode = d.fnuz ? 0x7F : 0x7E;
        int over = overflow == Overflow.NAN ? -1 : signBit | maxCode;
        if (Double.isInfinite(x)) {
            return over;
        }
        BigDecimal mag = new BigDecimal(x).abs();
        // the non-negative codes in increasing value order: 0x00 .. maxCode
        int lo = 0;
        int hi = maxCode;
        if (mag.compareTo(d.value(maxCode)) > 0) {
            BigDecimal mid = d.value(maxCode).add(d.beyond()).divide(BigDecimal.valueOf(2));
            int c = mag.compareTo(mid);
            boolean toBeyond = c > 0 || (c == 0 && d.beyondIsEven());
            return toBeyond ? over : signBit | maxCode;
        }
        while (hi - lo > 1) {
            int m = (lo + hi) >>> 1;
            if (d.value(m).compareTo(mag) <= 0) {
                lo = m;
            } else {
                hi = m;
            }
        }
        int pick;
        if (d.value(lo).compareTo(mag) == 0) {
            pick = lo;
        } else {
            BigDecimal below = mag.subtract(d.value(lo));
            BigDecimal above = d.value(hi).subtract(mag);
            int c = below.compareTo(above);
            pick = c < 0 ? lo : c > 0 ? hi : (lo % 2 == 0 ? lo : hi);
        }
        if (pick == 0) {
            return d.fnuz ? 0 : signBit;
        }
        return signBit | pick;
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyCodeDecodesToItsDefinedValue(Format f) {
        Def d = def(f);
        int nans = 0;
        for (int code = 0; code < 256; code++) {
            BigDecimal want = d.value(code);
            double got = Fp8Literal.toDouble(f, code);
            if (want == null) {
                nans++;
                assertTrue(Double.isNaN(got) && f.isNaN(code), f.id() + String.format(" 0x%02X is NaN", code));
                continue;
            }
            assertEquals(0, want.compareTo(new BigDecimal(got)), f.id() + String.format(" 0x%02X", code));
            assertEquals(code == 0x80, Double.doubleToRawLongBits(got) == Long.MIN_VALUE, f.id() + String.format(" 0x%02X sign of zero", code));
        }
        assertEquals(f == Format.E4M3FNUZ ? 1 : 2, nans, f.id() + " NaN patterns");
    }

    @Test
    void goldenFactsOfTheTwoFormats() {
        assertEquals(240.0, Fp8Literal.toDouble(Format.E4M3FNUZ, 0x7F));
        assertEquals(448.0, Fp8Literal.toDouble(Format.E4M3FN, 0x7E));
        assertEquals(0x1p-10, Fp8Literal.toDouble(Format.E4M3FNUZ, 0x01));
        assertEquals(0x1p-9, Fp8Literal.toDouble(Format.E4M3FN, 0x01));
        assertEquals(0x80, Format.E4M3FNUZ.nan());
        assertEquals(0x7F, Format.E4M3FN.nan());
        assertTrue(Format.E4M3FN.isNaN(0xFF));
        assertEquals(0x00, Fp8Literal.fromFloat(Format.E4M3FNUZ, -0.0f), "no -0 in e4m3fnuz");
        assertEquals(0x80, Fp8Literal.fromFloat(Format.E4M3FN, -0.0f));
        assertEquals(0x7F, Fp8Literal.fromFloat(Format.E4M3FNUZ, 247.99f), "below the 240/256 midpoint");
        assertEquals(0x80, Fp8Literal.fromFloat(Format.E4M3FNUZ, 248f), "the tie goes to 256 (even), which overflows");
        assertEquals(0x7E, Fp8Literal.fromFloat(Format.E4M3FN, 464f), "the 448/480 tie goes to 448 (even)");
        assertEquals(0x7F, Fp8Literal.fromFloat(Format.E4M3FN, 465f), "past it: overflow");
        assertEquals(0x7F, Fp8Literal.fromFloat(Format.E4M3FN, Float.NEGATIVE_INFINITY), "inf has no pattern: NaN");
        assertEquals(0xFE, Fp8Literal.fromFloat(Format.E4M3FN, Float.NEGATIVE_INFINITY, Overflow.SATURATE));
        // the profile rows: NVIDIA converts with satfinite, the AMD rows without the clamp bit
        assertEquals(Overflow.SATURATE, Fp8Literal.overflowOf(Profile.CUDA));
        assertEquals(Overflow.NAN, Fp8Literal.overflowOf(Profile.CDNA3));
        assertEquals(Overflow.NAN, Fp8Literal.overflowOf(Profile.CDNA4));
        assertEquals(Format.E4M3FNUZ, Fp8Literal.formatOf(Profile.CDNA3));
        assertEquals(Format.E4M3FN, Fp8Literal.formatOf(Profile.CDNA4));
        assertEquals(Format.E4M3FN, Fp8Literal.formatOf(Profile.CUDA));
    }

    @ParameterizedTest
    @EnumSource(Format16.class)
    void everySixteenBitInputRoundsAsTheDefinitionSays(Format16 in) {
        List<String> wrong = new ArrayList<>();
        long checked = 0;
        for (Format f : Format.values()) {
            for (Overflow o : Overflow.values()) {
                for (int bits = 0; bits < 1 << 16; bits++) {
                    double x = in.toDouble(bits);
                    int want = reference(def(f), x, o);
                    int got = Fp8Literal.fromFloat(f, (float) x, o);
                    boolean same = want < 0 ? f.isNaN(got) : got == want;
                    checked++;
                    if (!same && wrong.size() < 10) {
                        wrong.add(String.format("%s->%s overflow=%s in=0x%04X (%s) => got 0x%02X want %s", in.id(), f.id(), o, bits, x, got,
                                want < 0 ? "NaN" : String.format("0x%02X", want)));
                    }
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
        assertEquals(2L * 2 * 65536, checked);
    }

    @Test
    void theReferenceReachesEveryRoundingCase() {
        // ties that go down and up, subnormal results, overflow by rounding: the exhaustive test must have met each
        assertEquals(0x04, reference(FN, 0x1p-9 * 4.5, Overflow.NAN), "subnormal tie to even (4)");
        assertEquals(0x06, reference(FN, 0x1p-9 * 5.5, Overflow.NAN), "subnormal tie to even (6)");
        assertEquals(0x00, reference(FNUZ, -0x1p-12, Overflow.NAN), "a negative underflow is +0 in e4m3fnuz");
        assertEquals(0x80, reference(FN, -0x1p-12, Overflow.NAN), "and -0 in e4m3fn");
        assertEquals(0x08, reference(FN, 0x1p-6 * (1 - 0x1p-5), Overflow.NAN), "rounds up into the smallest normal");
        assertEquals(Format16.FP16.toDouble(0x5BC0), 248.0, "248 is an fp16 value, so the fp16 sweep reaches this tie");
    }
}
