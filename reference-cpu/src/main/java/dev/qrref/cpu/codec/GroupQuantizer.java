package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;

/**
 * The integer encode/decode pipeline shared by INT8, INT6 and INT4 (rules ENC-1..ENC-4, DEC-1), for one 64-element span
 * of 8 lanes: two interleaved groups, two scales, 64 codes. Packing the codes into bytes is each codec's own business.
 */
public final class GroupQuantizer {
    private final QuantLevel level;
    private final Arith16 a;
    private final CodecConstants k;
    private final int levels;
    private final float rangeMin;
    private final float rangeMax;
    /** Exact value of {@code code - L} for every code, computed the way the kernel decodes it. */
    private final float[] codeValue;

    public GroupQuantizer(QuantLevel level, Arith16 arith) {
        this.level = level;
        this.a = arith;
        this.k = CodecConstants.of(level, arith.format());
        this.levels = level.layout().levels();
        this.rangeMin = a.toFloat(k.rangeMin());
        this.rangeMax = a.toFloat(k.rangeMax());
        this.codeValue = new float[2 * levels];
        for (int code = 0; code < 2 * levels; code++) {
            codeValue[code] = a.toFloat(decodeOffset(code));
        }
    }

    public QuantLevel level() {
        return level;
    }

    public Arith16 arith() {
        return a;
    }

    public CodecConstants constants() {
        return k;
    }

    /**
     * {@code code - L} in T as the kernel forms it (exact): fp16 ORs the code into the fraction of 1024.0 and adds
     * {@code -(1024 + L)}; bf16 converts the code to bf16 and adds {@code -L}.
     */
    public int decodeOffset(int code) {
        if (a.format() == Format16.FP16) {
            return a.add(CodecConstants.FP16_MAGIC_1024 | code, k.decodeAdder());
        }
        return a.add(a.fromInt(code), k.rangeMin());
    }

    /** Decoding scale {@code d = T(M × SF)} (ENC-1). */
    public int decodingScale(int signedAbsMax) {
        return a.mul(signedAbsMax, k.scaleFactor());
    }

    /** Encoding scale {@code e = rcp(T(d + EPS))} (ENC-2). */
    public int encodingScale(int decodingScale) {
        return a.rcp(a.add(decodingScale, k.epsilon()));
    }

    /** One element's code: {@code w = T(x·e)}, clamp to [-L, L-1] in T (NaN → -L), rint ties-to-even, + L (ENC-3, ENC-4). */
    public int code(int x, int encodingScale) {
        return codeOfProduct(a.toFloat(x) * a.toFloat(encodingScale));
    }

    private int codeOfProduct(float product) {
        float w = a.toFloat(a.fromFloat(product));
        // max(w, RMIN) ignores a NaN w, then min(., RMAX): the clamp in T, done on exact values
        float c = w != w ? rangeMin : Math.min(Math.max(w, rangeMin), rangeMax);
        return (int) Math.rint(c) + levels;
    }

    /** Decoded value {@code T((code - L) × d)} (DEC-1). */
    public int decode(int code, int decodingScale) {
        return a.fromFloat(codeValue[code] * a.toFloat(decodingScale));
    }

    /**
     * Encodes the span {@code v[span .. span+63]}: writes 64 codes in element order to {@code codes} and returns the
     * scale word (even group's decoding scale in the low 16 bits, odd group's in the high 16 bits).
     */
    public int encodeSpan(short[] v, int span, int[] codes) {
        int dEven = decodingScale(GroupStatistics.signedAbsMax(a, v, span, 0));
        int dOdd = decodingScale(GroupStatistics.signedAbsMax(a, v, span, 1));
        float eEven = a.toFloat(encodingScale(dEven));
        float eOdd = a.toFloat(encodingScale(dOdd));
        for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
            codes[i] = codeOfProduct(a.toFloat(v[span + i] & 0xFFFF) * eEven);
            codes[i + 1] = codeOfProduct(a.toFloat(v[span + i + 1] & 0xFFFF) * eOdd);
        }
        return dEven | (dOdd << 16);
    }

    /** Decodes 64 codes in element order with the given scale word into {@code v[span .. span+63]}. */
    public void decodeSpan(int[] codes, int scaleWord, short[] v, int span) {
        float dEven = a.toFloat(scaleWord & 0xFFFF);
        float dOdd = a.toFloat(scaleWord >>> 16);
        for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
            v[span + i] = (short) a.fromFloat(codeValue[codes[i]] * dEven);
            v[span + i + 1] = (short) a.fromFloat(codeValue[codes[i + 1]] * dOdd);
        }
    }
}
