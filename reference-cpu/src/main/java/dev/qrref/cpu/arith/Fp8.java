package dev.qrref.cpu.arith;

import dev.qrref.spec.Fp8Format;

/**
 * The FP8 codec's conversions (dossier §4.6): binary32 → e4m3 with round to nearest, ties to even, and e4m3 → binary32
 * (exact), in one {@link Fp8Format}. What happens beyond the format's range is a column of the profile: saturation to
 * ±max (NVIDIA's {@code cvt.rn.satfinite}) or NaN (the conversion without its clamp bit). NaN converts to NaN; in the
 * fnuz format, whose only NaN is {@code 0x80}, a negative value that rounds to zero becomes {@code 0x00}.
 */
public final class Fp8 {
    private final Fp8Format format;
    private final boolean saturate;
    /** Smallest exponent of a normal value, and the spacing of the subnormals. */
    private final int minNormalExponent;
    private final int nanCode;
    private final float[] values = new float[256];

    public Fp8(Fp8Format format, boolean saturate) {
        this.format = format;
        this.saturate = saturate;
        this.minNormalExponent = 1 - format.exponentBias;
        this.nanCode = format.unsignedZero ? Fp8Format.SIGN_MASK : 0x7F;
        for (int c = 0; c < 256; c++) {
            values[c] = (float) format.toDouble(c);
        }
    }

    public Fp8Format format() {
        return format;
    }

    public boolean saturates() {
        return saturate;
    }

    /** The exact value of a code; NaN for the NaN codes. */
    public float toFloat(int code) {
        return values[code & 0xFF];
    }

    /** binary32 → e4m3, RNE; out of range per the profile. */
    public int fromFloat(float f) {
        if (Float.isNaN(f)) {
            return nanCode;
        }
        int sign = Float.floatToRawIntBits(f) < 0 ? Fp8Format.SIGN_MASK : 0;
        float a = Math.abs(f);
        if (Float.isInfinite(a)) {
            return overflow(sign);
        }
        // Scale so that one unit is the spacing at a's binade (or the subnormal spacing), then round half to even.
        int e = Math.max(Math.getExponent(a), minNormalExponent);
        float units = Math.scalb(a, Fp8Format.FRACTION_BITS - e);  // exact: a power-of-two scaling
        float r = (float) Math.rint(units);                          // ties to even
        int q = (int) r;
        int code;
        if (q == 0) {
            code = 0;
        } else if (e == minNormalExponent && q < (1 << Fp8Format.FRACTION_BITS)) {
            code = q;  // subnormal
        } else {
            int exp = e;
            if (q == 1 << (Fp8Format.FRACTION_BITS + 1)) {  // rounded up into the next binade
                q >>= 1;
                exp++;
            }
            int biased = exp + format.exponentBias;
            code = (biased << Fp8Format.FRACTION_BITS) | (q & ((1 << Fp8Format.FRACTION_BITS) - 1));
        }
        if (code > format.maxFinite) {
            return overflow(sign);
        }
        if (code == 0 && format.unsignedZero) {
            return 0;  // fnuz has no -0: its pattern is the NaN
        }
        return sign | code;
    }

    private int overflow(int sign) {
        return saturate ? sign | format.maxFinite : nanCode;
    }

    @Override
    public String toString() {
        return format.id() + (saturate ? "+satfinite" : "+nan-on-overflow");
    }
}
