package dev.qrref.cpu.oracle;

import dev.qrref.spec.Profile;

/**
 * The two 8-bit float formats the FP8 codec converts to, written from their definitions for the element-wise model
 * (dossier §4.6): 1 sign bit, 4 exponent bits, 3 fraction bits, no infinities.
 *
 * <ul>
 *   <li><b>e4m3fnuz</b> (AMD gfx942): bias 8; exponent field 0 holds subnormals {@code f × 2^-10}; every other field is
 *       normal, {@code (1 + f/8) × 2^(E-8)}, largest 240; the pattern {@code 0x80} (negative zero) is the only NaN, so
 *       there is no -0.</li>
 *   <li><b>e4m3fn</b> (OCP, NVIDIA and gfx950): bias 7; subnormals {@code f × 2^-9}; {@code S.1111.111} is NaN, so the
 *       largest value is {@code 1.75 × 2^8 = 448}; -0 exists.</li>
 * </ul>
 *
 * <p>Conversion from binary32 rounds to nearest, ties to even, as if the exponent range were unbounded, then looks at
 * the result: a magnitude above the largest finite value is an overflow, which the profile's saturation column decides.
 */
public final class Fp8Literal {
    private Fp8Literal() {
    }

    /** What a conversion does with a value whose rounded magnitude exceeds the format's largest finite value. */
    public enum Overflow {
        /** the NaN pattern, as the non-saturating conversions do (no infinity exists to go to) */
        NAN,
        /** the largest finite value of the sign */
        SATURATE
    }

    /** Fraction bits of both formats. */
    public static final int FRACTION_BITS = 3;
    /** Exponent bits of both formats. */
    public static final int EXPONENT_BITS = 4;
    private static final int SIGN = 0x80;
    private static final int FIELD_MAX = (1 << EXPONENT_BITS) - 1;
    private static final int FRACTION_MASK = (1 << FRACTION_BITS) - 1;

    /** One of the two formats, given by its bias and by where its NaN lives. */
    public enum Format {
        E4M3FNUZ("e4m3fnuz", 8, true),
        E4M3FN("e4m3fn", 7, false);

        private final String id;
        /** exponent bias */
        public final int bias;
        /** NaN is 0x80 (no -0) rather than S.1111.111 */
        public final boolean nanIsNegativeZero;

        Format(String id, int bias, boolean nanIsNegativeZero) {
            this.id = id;
            this.bias = bias;
            this.nanIsNegativeZero = nanIsNegativeZero;
        }

        public String id() {
            return id;
        }

        /** The NaN pattern a conversion produces. */
        public int nan() {
            return nanIsNegativeZero ? SIGN : (FIELD_MAX << FRACTION_BITS) | FRACTION_MASK;
        }

        public boolean isNaN(int code) {
            code &= 0xFF;
            return nanIsNegativeZero ? code == SIGN : (code & ~SIGN) == nan();
        }

        /** The largest finite pattern (positive): 0x7F = 240 for e4m3fnuz, 0x7E = 448 for e4m3fn. */
        public int maxFiniteCode() {
            int top = (FIELD_MAX << FRACTION_BITS) | FRACTION_MASK;
            return nanIsNegativeZero ? top : top - 1;
        }

        /** Exponent of the smallest normal value: {@code 1 - bias}. */
        int minNormalExponent() {
            return 1 - bias;
        }
    }

    /**
     * The format the FP8 codec converts to under a profile: the profile row's fp8 format column (gfx942 e4m3fnuz;
     * NVIDIA and gfx950 OCP e4m3fn), mapped onto this class's own definition of it by name.
     */
    public static Format formatOf(Profile profile) {
        return Format.valueOf(profile.fp8Format().name());
    }

    /**
     * What an overflow gives under a profile: the row's fp8 saturation column (NVIDIA's only f8 conversion is
     * {@code cvt.rn.satfinite}; the AMD rows assume the conversion without the clamp bit, which gives NaN).
     */
    public static Overflow overflowOf(Profile profile) {
        return profile.fp8Saturates() ? Overflow.SATURATE : Overflow.NAN;
    }

    /** The exact value of a code; NaN for the NaN pattern. */
    public static double toDouble(Format f, int code) {
        code &= 0xFF;
        if (f.isNaN(code)) {
            return Double.NaN;
        }
        double sign = (code & SIGN) != 0 ? -1.0 : 1.0;
        int field = (code >>> FRACTION_BITS) & FIELD_MAX;
        int fraction = code & FRACTION_MASK;
        if (field == 0) {
            return sign * Math.scalb((double) fraction, f.minNormalExponent() - FRACTION_BITS);
        }
        return sign * Math.scalb((double) ((1 << FRACTION_BITS) | fraction), field - f.bias - FRACTION_BITS);
    }

    /**
     * A binary32 value to fp8: round to nearest, ties to even, on the grid of the value's binade (the subnormal grid
     * below the smallest normal); then an overflow (infinite inputs included) to NaN, as the OCP definition prescribes
     * for conversions without saturation; NaN to the NaN pattern; a result of zero keeps its sign in e4m3fn and is +0
     * in e4m3fnuz.
     */
    public static int fromFloat(Format f, float value) {
        return fromFloat(f, value, Overflow.NAN);
    }

    /** The same with the overflow rule given. */
    public static int fromFloat(Format f, float value, Overflow overflow) {
        if (Float.isNaN(value)) {
            return f.nan();
        }
        int sign = Float.floatToRawIntBits(value) < 0 ? SIGN : 0;
        double m = Math.abs((double) value);
        if (Double.isInfinite(m)) {
            return overflowed(f, sign, overflow);
        }
        // the quantum (distance between neighbours) at m: 2^(e - 3) in binade e, the subnormal quantum below it
        int e = Math.max(m == 0 ? f.minNormalExponent() : Math.getExponent(m), f.minNormalExponent());
        double quantum = Math.scalb(1.0, e - FRACTION_BITS);
        double units = Math.rint(m / quantum); // exact division by a power of two; rint ties to even
        double rounded = units * quantum;
        if (rounded > toDouble(f, f.maxFiniteCode())) {
            return overflowed(f, sign, overflow);
        }
        if (rounded == 0) {
            return f.nanIsNegativeZero ? 0 : sign;
        }
        int field;
        int fraction;
        if (rounded < Math.scalb(1.0, f.minNormalExponent())) {
            field = 0;
            fraction = (int) units;
        } else {
            int re = Math.getExponent(rounded); // rounding may have carried into the next binade
            field = re + f.bias;
            fraction = (int) (rounded / Math.scalb(1.0, re - FRACTION_BITS)) - (1 << FRACTION_BITS);
        }
        return sign | (field << FRACTION_BITS) | fraction;
    }

    private static int overflowed(Format f, int sign, Overflow overflow) {
        return overflow == Overflow.NAN ? f.nan() : sign | f.maxFiniteCode();
    }
}
