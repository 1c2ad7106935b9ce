package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Fp8;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;

/**
 * The FP8 encode/decode pipeline (dossier §4.6), for one 64-element span of 8 lanes: two interleaved groups, two scales,
 * 64 codes. Per group: {@code a = max |x|} (abs first, then the max tree; NaN ignored), {@code d = T(a × SF)} with the
 * positive SF ≈ 1/240, {@code e = rcp(T(d + EPS))}, {@code w = T(x × e)} without a clamp, code = fp8(w) in the profile's
 * format; decode {@code T(T(fp8 value) × d)}.
 */
public final class Fp8Quantizer {
    private final Arith16 a;
    private final Fp8 fp8;
    private final CodecConstants k;

    public Fp8Quantizer(Arith16 arith, Fp8 fp8) {
        this.a = arith;
        this.fp8 = fp8;
        this.k = CodecConstants.of(QuantLevel.FP8, arith.format());
    }

    public Arith16 arith() {
        return a;
    }

    public Fp8 fp8() {
        return fp8;
    }

    public CodecConstants constants() {
        return k;
    }

    /** Decoding scale {@code d = T(a × SF)}. */
    public int decodingScale(int absMax) {
        return a.mul(absMax, k.scaleFactor());
    }

    /** Encoding scale {@code e = rcp(T(d + EPS))}. */
    public int encodingScale(int decodingScale) {
        return a.rcp(a.add(decodingScale, k.epsilon()));
    }

    /** {@code w = T(x × e)}: rounded to T, not clamped. */
    public int scaled(int x, int encodingScale) {
        return a.mul(x, encodingScale);
    }

    /** One element's fp8 code: the T value w widened exactly to binary32, then converted. */
    public int code(int x, int encodingScale) {
        return fp8.fromFloat(a.toFloat(scaled(x, encodingScale)));
    }

    /** Decoded value {@code T(T(fp8 value) × d)} (the fp8 value is exact in T). */
    public int decode(int code, int decodingScale) {
        return a.mul(a.fromFloat(fp8.toFloat(code)), decodingScale);
    }

    /** Encodes {@code v[span .. span+63]}: 64 codes in element order, returns the scale word {d_even, d_odd}. */
    public int encodeSpan(short[] v, int span, int[] codes) {
        long m = GroupStatistics.absMaxPair(a.format(), v, span);
        int dEven = decodingScale((int) (m & 0xFFFF));
        int dOdd = decodingScale((int) (m >>> 16));
        int eEven = encodingScale(dEven);
        int eOdd = encodingScale(dOdd);
        for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
            codes[i] = code(v[span + i] & 0xFFFF, eEven);
            codes[i + 1] = code(v[span + i + 1] & 0xFFFF, eOdd);
        }
        return dEven | (dOdd << 16);
    }

    /** Decodes 64 codes with the scale word into {@code v[span .. span+63]}. */
    public void decodeSpan(int[] codes, int scaleWord, short[] v, int span) {
        int dEven = scaleWord & 0xFFFF;
        int dOdd = scaleWord >>> 16;
        for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
            v[span + i] = (short) decode(codes[i], dEven);
            v[span + i + 1] = (short) decode(codes[i + 1], dOdd);
        }
    }
}
