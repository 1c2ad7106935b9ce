package dev.qrref.spec;

/**
 * The two 16-bit floating-point formats that travel through QuickReduce, described by their field widths.
 * Every mask, bias and special pattern below is derived from the widths, never typed twice.
 */
public enum Format16 {
    /** IEEE 754 binary16: 1 sign, 5 exponent, 10 fraction bits. */
    FP16("fp16", 5, 10),
    /** bfloat16: the upper half of an IEEE binary32: 1 sign, 8 exponent, 7 fraction bits. */
    BF16("bf16", 8, 7);

    public static final int WIDTH = 16;

    private final String id;
    public final int exponentBits;
    public final int fractionBits;
    /** {@code 0x8000} */
    public final int signMask;
    /** {@code 0x7C00} for fp16, {@code 0x7F80} for bf16 */
    public final int exponentMask;
    /** {@code 0x03FF} for fp16, {@code 0x007F} for bf16 */
    public final int fractionMask;
    /** 15 for fp16, 127 for bf16 */
    public final int exponentBias;
    /** +infinity: all exponent bits set, zero fraction */
    public final int positiveInfinity;
    /** largest finite value: {@code 0x7BFF} = 65504 for fp16, {@code 0x7F7F} for bf16 */
    public final int maxFinite;
    /** the canonical quiet NaN produced by NVIDIA hardware: {@code 0x7FFF} */
    public final int canonicalNaN;
    /** the fraction's most significant bit: set in quiet NaNs */
    public final int quietBit;
    /** 1.0 */
    public final int one;

    Format16(String id, int exponentBits, int fractionBits) {
        if (1 + exponentBits + fractionBits != WIDTH) {
            throw new AssertionError(id + ": fields do not add up to 16 bits");
        }
        this.id = id;
        this.exponentBits = exponentBits;
        this.fractionBits = fractionBits;
        this.signMask = 1 << (WIDTH - 1);
        this.fractionMask = (1 << fractionBits) - 1;
        this.exponentMask = ((1 << exponentBits) - 1) << fractionBits;
        this.exponentBias = (1 << (exponentBits - 1)) - 1;
        this.positiveInfinity = exponentMask;
        this.maxFinite = exponentMask - 1;
        this.canonicalNaN = exponentMask | fractionMask;
        this.quietBit = 1 << (fractionBits - 1);
        this.one = exponentBias << fractionBits;
    }

    /** Short lower-case name, as used on the command line. */
    public String id() {
        return id;
    }

    public boolean isNaN(int bits) {
        return (bits & exponentMask) == exponentMask && (bits & fractionMask) != 0;
    }

    public boolean isInfinite(int bits) {
        return (bits & ~signMask & 0xFFFF) == positiveInfinity;
    }

    public boolean isFinite(int bits) {
        return (bits & exponentMask) != exponentMask;
    }

    public boolean isZero(int bits) {
        return (bits & ~signMask & 0xFFFF) == 0;
    }

    public boolean isSubnormal(int bits) {
        return (bits & exponentMask) == 0 && (bits & fractionMask) != 0;
    }

    public boolean isNegative(int bits) {
        return (bits & signMask) != 0;
    }

    /** The pattern with the sign bit cleared. */
    public int abs(int bits) {
        return bits & ~signMask & 0xFFFF;
    }

    /** The exact value as a double (every fp16 and bf16 value is exact in binary64); NaN for NaN patterns. */
    public double toDouble(int bits) {
        bits &= 0xFFFF;
        double sign = isNegative(bits) ? -1.0 : 1.0;
        int exp = (bits & exponentMask) >>> fractionBits;
        int frac = bits & fractionMask;
        if (exp == (exponentMask >>> fractionBits)) {
            return frac == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exp == 0) {
            return sign * Math.scalb((double) frac, 1 - exponentBias - fractionBits);
        }
        return sign * Math.scalb((double) (frac | (1 << fractionBits)), exp - exponentBias - fractionBits);
    }

    /**
     * The pattern of a value this format holds exactly (small integers, powers of two, ...): the derivations of the
     * codec constants use it. Throws when {@code v} is not exactly representable.
     */
    public int exact(double v) {
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? signMask : 0;
        }
        int sign = v < 0 ? signMask : 0;
        double a = Math.abs(v);
        int e = Math.getExponent(a);
        int minExp = 1 - exponentBias;
        int maxExp = (exponentMask >>> fractionBits) - 1 - exponentBias;
        if (e > maxExp) {
            throw new ArithmeticException(v + " exceeds " + id);
        }
        int biased = e < minExp ? 0 : e + exponentBias;
        double unit = Math.scalb(1.0, (e < minExp ? minExp : e) - fractionBits);
        double units = a / unit;
        if (units != Math.rint(units)) {
            throw new ArithmeticException(v + " is not exact in " + id);
        }
        int frac = (int) units - (biased == 0 ? 0 : 1 << fractionBits);
        return sign | (biased << fractionBits) | frac;
    }

    /** Bits as {@code 0xABCD}. */
    public static String hex(int bits) {
        return String.format("0x%04X", bits & 0xFFFF);
    }
}
