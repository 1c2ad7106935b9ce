package dev.qrref.spec;

/**
 * The two 8-bit floating-point formats the FP8 codec converts to (dossier §4.6), each with 1 sign, 4 exponent and 3
 * fraction bits. Which one a call uses is a column of its numerics profile ({@link Profile#fp8Format()}).
 */
public enum Fp8Format {
    /** OCP e4m3fn (gfx950, NVIDIA): bias 7, max 448 ({@code 0x7E}), NaN = S.1111.111, a negative zero, no infinity. */
    E4M3FN(0, "e4m3fn", 7, false),
    /** e4m3fnuz (gfx942): bias 8, max 240 ({@code 0x7F}), NaN = {@code 0x80} only, no negative zero, no infinity. */
    E4M3FNUZ(1, "e4m3fnuz", 8, true);

    public static final int EXPONENT_BITS = 4;
    public static final int FRACTION_BITS = 3;
    public static final int SIGN_MASK = 0x80;
    private static final int EXPONENT_FIELD_MAX = (1 << EXPONENT_BITS) - 1;

    /** The integer the C ABI uses. */
    public final int code;
    private final String id;
    public final int exponentBias;
    /** fnuz: the only NaN is the negative-zero pattern {@code 0x80}; fn: NaN is an all-ones exponent and fraction. */
    public final boolean unsignedZero;
    /** Pattern of the largest finite value. */
    public final int maxFinite;

    Fp8Format(int code, String id, int exponentBias, boolean unsignedZero) {
        this.code = code;
        this.id = id;
        this.exponentBias = exponentBias;
        this.unsignedZero = unsignedZero;
        // fn gives its all-ones pattern to NaN, so its largest value has fraction 110; fnuz uses every pattern for numbers
        this.maxFinite = unsignedZero ? 0x7F : 0x7E;
    }

    public String id() {
        return id;
    }

    public boolean isNaN(int code) {
        code &= 0xFF;
        return unsignedZero ? code == SIGN_MASK : (code & 0x7F) == 0x7F;
    }

    /** The exact value of a code (every e4m3 value is exact in binary32, fp16 and bf16); NaN for NaN codes. */
    public double toDouble(int code) {
        code &= 0xFF;
        if (isNaN(code)) {
            return Double.NaN;
        }
        double sign = (code & SIGN_MASK) != 0 ? -1.0 : 1.0;
        int exp = (code >>> FRACTION_BITS) & EXPONENT_FIELD_MAX;
        int frac = code & ((1 << FRACTION_BITS) - 1);
        if (exp == 0) {
            return sign * Math.scalb((double) frac, 1 - exponentBias - FRACTION_BITS);
        }
        return sign * Math.scalb((double) (frac | (1 << FRACTION_BITS)), exp - exponentBias - FRACTION_BITS);
    }

    /** The largest finite magnitude: 448 or 240. */
    public double maxValue() {
        return toDouble(maxFinite);
    }

    /** The smallest positive subnormal: 2^-9 or 2^-10. */
    public double minSubnormal() {
        return toDouble(1);
    }

    public static Fp8Format fromCode(int code) {
        for (Fp8Format f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new InvalidArgumentException("unknown fp8 format " + code);
    }
}
