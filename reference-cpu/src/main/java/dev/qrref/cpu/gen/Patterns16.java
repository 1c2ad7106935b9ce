package dev.qrref.cpu.gen;

import dev.qrref.spec.Format16;

/**
 * Building 16-bit patterns from fields and from exact values, for the generators. Exponents here are unbiased
 * exponents of the leading significand bit: {@code 1.0} has exponent 0, the smallest normal has {@link #minExponent},
 * the largest finite value has {@link #maxExponent}.
 */
public final class Patterns16 {
    /** Returned by {@link #exact} when the value is not representable. */
    public static final int NOT_REPRESENTABLE = -1;

    private Patterns16() {
    }

    /** Exponent of the smallest normal: {@code 1 - bias} (-14 for fp16, -126 for bf16). */
    public static int minExponent(Format16 f) {
        return 1 - f.exponentBias;
    }

    /** Exponent of the largest finite value: {@code bias} (15 for fp16, 127 for bf16). */
    public static int maxExponent(Format16 f) {
        return f.exponentBias;
    }

    /** Exponent of the smallest subnormal: {@code minExponent - fractionBits} (-24 for fp16, -133 for bf16). */
    public static int minSubnormalExponent(Format16 f) {
        return minExponent(f) - f.fractionBits;
    }

    /** The normal pattern {@code ±1.fraction × 2^exponent}; {@code exponent} must lie in the normal range. */
    public static int normal(Format16 f, boolean negative, int exponent, int fraction) {
        if (exponent < minExponent(f) || exponent > maxExponent(f)) {
            throw new IllegalArgumentException(f.id() + ": exponent " + exponent + " is not a normal exponent");
        }
        return (negative ? f.signMask : 0) | (exponent + f.exponentBias) << f.fractionBits | (fraction & f.fractionMask);
    }

    /** Exponent of the leading significand bit of a finite non-zero pattern. */
    public static int exponentOf(Format16 f, int bits) {
        int field = (bits & f.exponentMask) >>> f.fractionBits;
        if (field != 0) {
            return field - f.exponentBias;
        }
        int frac = bits & f.fractionMask;
        if (frac == 0) {
            throw new IllegalArgumentException(f.id() + ": zero has no exponent");
        }
        return minSubnormalExponent(f) + (31 - Integer.numberOfLeadingZeros(frac));
    }

    /**
     * The pattern of exactly {@code ±significand × 2^exponent}, subnormals included, or {@link #NOT_REPRESENTABLE} when
     * that value needs more significand bits than the format has at that magnitude, or overflows.
     */
    public static int exact(Format16 f, boolean negative, long significand, int exponent) {
        if (significand < 0) {
            throw new IllegalArgumentException("negative significand " + significand);
        }
        int sign = negative ? f.signMask : 0;
        if (significand == 0) {
            return sign;
        }
        int lead = exponent + 63 - Long.numberOfLeadingZeros(significand);
        if (lead > maxExponent(f)) {
            return NOT_REPRESENTABLE;
        }
        // the field counts units of the last place at this magnitude
        int ulpExponent = Math.max(lead, minExponent(f)) - f.fractionBits;
        int shift = exponent - ulpExponent;
        long units;
        if (shift >= 0) {
            units = significand << shift;
        } else if (-shift < 64 && (significand & ((1L << -shift) - 1)) == 0) {
            units = significand >>> -shift;
        } else {
            return NOT_REPRESENTABLE;
        }
        if (lead < minExponent(f)) {
            return sign | (int) units;
        }
        return sign | (lead + f.exponentBias) << f.fractionBits | ((int) units & f.fractionMask);
    }

    /** The binary32 bits of a finite or infinite pattern's value, or a quiet binary32 NaN for NaN patterns. */
    public static int toBinary32Bits(Format16 f, int bits) {
        int sign = (bits & f.signMask) << 16;
        if (f.isNaN(bits)) {
            return sign | 0x7FC00000;
        }
        if (f.isInfinite(bits)) {
            return sign | 0x7F800000;
        }
        int frac = bits & f.fractionMask;
        int field = (bits & f.exponentMask) >>> f.fractionBits;
        long significand = field == 0 ? frac : frac | (1L << f.fractionBits);
        int exponent = (field == 0 ? minExponent(f) : field - f.exponentBias) - f.fractionBits;
        // every fp16 and bf16 value is exact in binary32, so scalb does not round here
        return sign | Float.floatToRawIntBits(Math.scalb((float) significand, exponent));
    }
}
