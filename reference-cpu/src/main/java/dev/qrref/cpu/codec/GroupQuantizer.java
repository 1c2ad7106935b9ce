package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.function.IntBinaryOperator;

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
    /** fp16 without saturation: the conversions need no profile check. */
    private final boolean plainFp16;
    /** The code of every 16-bit pattern w: clamp, rint and bias precomputed ({@link #codeOfW}), 64 KiB. */
    private final byte[] codeOfBits;
    /** The Vector API version of encodeSpan/decodeSpan, or null: the scalar code below is the reference. */
    private final SpanKernel fast;

    /** Shared quantizers per arithmetic: index {@code 2·level + (vector ? 1 : 0)}. */
    private static final java.util.Map<Arith16, GroupQuantizer[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The shared quantizer of integer codec {@code level} in {@code arith} (immutable; its 64 KiB code table is built
     * once).
     */
    public static GroupQuantizer of(QuantLevel level, Arith16 arith) {
        return of(level, arith, FastPath.enabled());
    }

    /** As {@link #of(QuantLevel, Arith16)}, on the Vector API path or ({@code vector} false) the scalar reference path. */
    public static GroupQuantizer of(QuantLevel level, Arith16 arith, boolean vector) {
        GroupQuantizer[] cached = CACHE.computeIfAbsent(arith, k -> new GroupQuantizer[2 * QuantLevel.values().length]);
        int slot = 2 * level.ordinal() + (vector ? 1 : 0);
        GroupQuantizer q = cached[slot];
        if (q == null) {
            q = new GroupQuantizer(level, arith, vector);
            cached[slot] = q; // a benign race: two threads may build equal quantizers
        }
        return q;
    }

    public GroupQuantizer(QuantLevel level, Arith16 arith) {
        this(level, arith, FastPath.enabled());
    }

    /** With {@code vector} false the scalar reference path runs even where the Vector API is available. */
    public GroupQuantizer(QuantLevel level, Arith16 arith, boolean vector) {
        this(level, arith, vector, (w, code) -> code);
    }

    /**
     * Test seam for planted faults: {@code edit} receives every entry of the code table as it is built (the pattern of
     * {@code w} and its code) and returns the code to store. Only tests use it, to show that a check catches a fault of
     * the fast path; it acts at construction, never per element. The planted quantizer is on the scalar path, which
     * reads the table for every element.
     */
    GroupQuantizer(QuantLevel level, Arith16 arith, IntBinaryOperator edit) {
        this(level, arith, false, edit);
    }

    private GroupQuantizer(QuantLevel level, Arith16 arith, boolean vector, IntBinaryOperator edit) {
        if (level.kind != QuantLevel.Kind.INTEGER) {
            throw new IllegalArgumentException(level + " is not an integer codec");
        }
        this.level = level;
        this.a = arith;
        this.k = CodecConstants.of(level, arith.format());
        this.levels = level.layout().levels();
        this.rangeMin = a.toFloat(k.rangeMin());
        this.rangeMax = a.toFloat(k.rangeMax());
        this.plainFp16 = arith.format() == Format16.FP16 && !arith.saturates();
        this.codeOfBits = new byte[1 << Format16.WIDTH];
        for (int w = 0; w < codeOfBits.length; w++) {
            codeOfBits[w] = (byte) edit.applyAsInt(w, codeOfW(a.toFloat(w)));
        }
        this.codeValue = new float[2 * levels];
        for (int code = 0; code < 2 * levels; code++) {
            codeValue[code] = a.toFloat(decodeOffset(code));
        }
        this.fast = vector && FastPath.available() ? VectorSpanKernel.create(this) : null;
    }

    /** Whether the Vector API path runs for this quantizer. */
    public boolean vectorized() {
        return fast != null;
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
     * {@code code - L} in T as the kernel forms it (exact): fp16 INT8/INT6/INT4 OR the code into the fraction of 1024.0
     * and add {@code -(1024 + L)}; bf16, and INT3 in fp16, convert the code to T and add {@code RMIN = -L}.
     */
    public int decodeOffset(int code) {
        if (a.format() == Format16.FP16 && level.fp16Decode == QuantLevel.Fp16Decode.MAGIC_1024) {
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
        return codeOfBits[a.fromFloat(product)] & 0xFF;
    }

    /** Clamp, rint and bias of an exact T value {@code w}. */
    private int codeOfW(float w) {
        // max(w, RMIN) ignores a NaN w (so NaN becomes RMIN), then min(., RMAX): written as compares, which a NaN fails
        float c = w >= rangeMin ? w : rangeMin;
        c = c <= rangeMax ? c : rangeMax;
        // rint with ties to even: adding and removing 1.5 * 2^23 rounds |c| < 2^22 to an integer in binary32 arithmetic
        return (int) ((c + RINT_MAGIC) - RINT_MAGIC) + levels;
    }

    private static final float RINT_MAGIC = 0x1.8p23f;

    /** Decoded value {@code T((code - L) × d)} (DEC-1). */
    public int decode(int code, int decodingScale) {
        return a.fromFloat(codeValue[code] * a.toFloat(decodingScale));
    }

    /**
     * Encodes the span {@code v[span .. span+63]}: writes 64 codes in element order to {@code codes} and returns the
     * scale word (even group's decoding scale in the low 16 bits, odd group's in the high 16 bits).
     */
    public int encodeSpan(short[] v, int span, int[] codes) {
        // kept small: inlined into the codecs, it must not drag the scalar path into their compiled code
        return fast != null ? fast.encodeSpan(v, span, codes) : encodeSpanScalar(v, span, codes);
    }

    private int encodeSpanScalar(short[] v, int span, int[] codes) {
        long m = GroupStatistics.signedAbsMaxPair(a.format(), v, span);
        int dEven = decodingScale((int) (m & 0xFFFF));
        int dOdd = decodingScale((int) (m >>> 16));
        encodeHalf(v, span, 0, codes, a.toFloat(encodingScale(dEven)));
        encodeHalf(v, span, 1, codes, a.toFloat(encodingScale(dOdd)));
        return dEven | (dOdd << 16);
    }

    /** Codes of one group (every other element of the span, from {@code half}) with encoding scale {@code e}. */
    private void encodeHalf(short[] v, int span, int half, int[] codes, float e) {
        if (plainFp16) {
            // the common case spelled out with the conversion intrinsics; same operations as codeOfProduct
            for (int i = half; i < Geometry.GROUP_SPAN; i += 2) {
                codes[i] = codeOfBits[Float.floatToFloat16(Float.float16ToFloat(v[span + i]) * e) & 0xFFFF] & 0xFF;
            }
            return;
        }
        for (int i = half; i < Geometry.GROUP_SPAN; i += 2) {
            codes[i] = codeOfProduct(a.toFloat(v[span + i] & 0xFFFF) * e);
        }
    }

    /** Decodes 64 codes in element order with the given scale word into {@code v[span .. span+63]}. */
    public void decodeSpan(int[] codes, int scaleWord, short[] v, int span) {
        if (fast != null) {
            fast.decodeSpan(codes, scaleWord, v, span);
        } else {
            decodeSpanScalar(codes, scaleWord, v, span);
        }
    }

    private void decodeSpanScalar(int[] codes, int scaleWord, short[] v, int span) {
        float dEven = a.toFloat(scaleWord & 0xFFFF);
        float dOdd = a.toFloat(scaleWord >>> 16);
        if (codeValue.length <= Geometry.GROUP_SIZE / 2) {
            // fewer codes than half a group (INT4: 16): decode each code once per group, then look the values up
            short[] even = new short[codeValue.length];
            short[] odd = new short[codeValue.length];
            for (int c = 0; c < codeValue.length; c++) {
                even[c] = (short) a.fromFloat(codeValue[c] * dEven);
                odd[c] = (short) a.fromFloat(codeValue[c] * dOdd);
            }
            for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
                v[span + i] = even[codes[i]];
                v[span + i + 1] = odd[codes[i + 1]];
            }
            return;
        }
        for (int i = 0; i < Geometry.GROUP_SPAN; i += 2) {
            v[span + i] = (short) a.fromFloat(codeValue[codes[i]] * dEven);
            v[span + i + 1] = (short) a.fromFloat(codeValue[codes[i + 1]] * dOdd);
        }
    }
}
