package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Vector16;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The integer pipeline of {@link GroupQuantizer} for one span on the Vector API. The lanes of a vector are consecutive
 * elements, so even lanes belong to the even group and odd lanes to the odd group, each with its own scale. The group
 * scales come from GroupQuantizer's scalar methods (memoized per M); the per-element steps are vectorized. Generic in
 * the codec: only {@code L}, the clamp bounds and the compute format enter.
 *
 * <p>One subclass per compute format, so that each is compiled with its own conversions and no format branch (a JVM that
 * runs both formats would otherwise compile both into every caller, and the vector code is large). No method here takes
 * or returns a vector (see {@link Vector16} why).
 */
abstract sealed class VectorSpanKernel implements SpanKernel {
    static final int LANES = Vector16.LANES;
    static final int VECTORS = Geometry.GROUP_SPAN / LANES;
    static final VectorMask<Integer> EVEN = VectorMask.fromLong(Vector16.INTS, 0x5555_5555_5555_5555L);
    static final VectorMask<Integer> ODD = EVEN.not();
    static final VectorMask<Float> EVEN_F = EVEN.cast(Vector16.FLOATS);
    /** rint with ties to even: adding 1.5·2^23 leaves the rounded integer in the low fraction bits. */
    static final float RINT_MAGIC = 0x1.8p23f;
    static final int RINT_MAGIC_BITS = Float.floatToRawIntBits(RINT_MAGIC);

    final GroupQuantizer q;
    final Arith16 a;
    final boolean saturate;
    final int levels;
    final float rangeMin;
    final float rangeMax;
    /** Subtracted from the bits of {@code c + RINT_MAGIC} to give {@code rint(c) + L}. */
    final int codeOffset;
    private final int magnitudeMask;
    private final int infinity;
    private final int canonicalNaN;
    /**
     * Memo of the scalar scale steps per M: {@code d | e << 16} with {@code d = T(M·SF)} and {@code e = rcp(T(d + EPS))},
     * filled on first use (0 = not yet: no M gives d = e = +0). The fp16 steps cost about 20 ns per group in scalar
     * code, a third of a span's encode; a racing fill writes the same value.
     */
    private final int[] scaleMemo = new int[1 << Format16.WIDTH];

    private VectorSpanKernel(GroupQuantizer q) {
        this.q = q;
        this.a = q.arith();
        this.saturate = a.saturates();
        this.levels = q.level().layout().levels();
        this.rangeMin = -levels;
        this.rangeMax = levels - 1;
        this.codeOffset = RINT_MAGIC_BITS - levels;
        Format16 f = a.format();
        this.magnitudeMask = f.signMask - 1;
        this.infinity = f.positiveInfinity;
        this.canonicalNaN = f.canonicalNaN;
    }

    /**
     * The kernel for {@code q}, or null when q's pipeline is not the one this class implements: its decode offsets must
     * be the exact integers {@code code - L} and its clamp bounds {@code -L} and {@code L - 1}.
     */
    static SpanKernel create(GroupQuantizer q) {
        if (Geometry.GROUP_SPAN % LANES != 0 || LANES % 2 != 0) {
            return null;
        }
        Arith16 a = q.arith();
        int levels = q.level().layout().levels();
        if (levels <= 0) {
            return null;
        }
        for (int code = 0; code < 2 * levels; code++) {
            if (a.toFloat(q.decodeOffset(code)) != (float) (code - levels)) {
                return null;
            }
        }
        if (a.toFloat(q.constants().rangeMin()) != -levels || a.toFloat(q.constants().rangeMax()) != levels - 1) {
            return null;
        }
        return a.format() == Format16.FP16 ? new Fp16Kernel(q) : new Bf16Kernel(q);
    }

    /**
     * The scales of the span's two groups: M of each group, then {@code d | e << 16} of the even group in the low 32 bits
     * and of the odd group in the high 32 bits.
     */
    final long scales(short[] v, int span) {
        // M: the largest magnitude, ties to the negative element, NaNs left out (as GroupStatistics computes it):
        // key = (magnitude·2 + sign) + 1, 0 for a NaN; the max over the even lanes is the even group's
        IntVector best = IntVector.zero(Vector16.INTS);
        for (int j = 0; j < VECTORS; j++) {
            IntVector x = (IntVector) ShortVector.fromArray(Vector16.SHORTS, v, span + j * LANES)
                    .convertShape(VectorOperators.S2I, Vector16.INTS, 0);
            IntVector mag = x.and(magnitudeMask);
            IntVector key = mag.lanewise(VectorOperators.LSHL, 1).or(x.lanewise(VectorOperators.LSHR, 15).and(1)).add(1);
            best = best.max(key.blend(0, mag.compare(VectorOperators.GT, infinity)));
        }
        int even = scalesOf(signedAbsMax(best.reduceLanes(VectorOperators.MAX, EVEN)));
        int odd = scalesOf(signedAbsMax(best.reduceLanes(VectorOperators.MAX, ODD)));
        return (even & 0xFFFF_FFFFL) | ((long) odd << 32);
    }

    /** The pattern of M from its key (see {@link #scales}); key 0 means every value of the group is NaN. */
    private int signedAbsMax(int key) {
        if (key == 0) {
            return canonicalNaN;
        }
        int k = key - 1;
        return (k >>> 1) | ((k & 1) << 15);
    }

    /** {@code d | e << 16} of a group whose signed absmax is {@code m}, from GroupQuantizer's scalar steps (memoized). */
    private int scalesOf(int m) {
        int s = scaleMemo[m];
        if (s == 0) {
            int d = q.decodingScale(m);
            s = d | (q.encodingScale(d) << 16);
            scaleMemo[m] = s;
        }
        return s;
    }

    /** The scale word (even d low, odd d high) of {@link #scales}' result. */
    static int scaleWord(long scales) {
        return (int) (scales & 0xFFFF) | ((int) (scales >>> 32) << 16);
    }

    /** The encoding scale of the even group (bits 16..31) or the odd group (bits 48..63). */
    final float encodingScale(long scales, boolean odd) {
        return a.toFloat((int) (scales >>> (odd ? 48 : 16)) & 0xFFFF);
    }

    // Encoding, per element: w = T(x·e), clamp, rint, bias. Rounding x·e to the format's precision (the dropped fraction
    // bits rounded off to nearest even) is all of T that matters: the clamp maps every value that would overflow or
    // saturate to L-1 or -L, and every fp16 subnormal to code L, whatever its rounding. A NaN product clamps to -L, as
    // max(w, RMIN) does. Decoding: T((code - L)·d), where code - L is exact in binary32 and equals GroupQuantizer's
    // decode offset (create() checks it). The conversions are spelled out as in Vector16 (see there why).

    /** fp16 compute format. */
    static final class Fp16Kernel extends VectorSpanKernel {
        Fp16Kernel(GroupQuantizer q) {
            super(q);
        }

        @Override
        public int encodeSpan(short[] v, int span, int[] codes) {
            long scales = scales(v, span);
            FloatVector e = FloatVector.broadcast(Vector16.FLOATS, encodingScale(scales, true)).blend(encodingScale(scales, false), EVEN_F);
            for (int j = 0; j < VECTORS; j++) {
                IntVector h = (IntVector) ShortVector.fromArray(Vector16.SHORTS, v, span + j * LANES)
                        .convertShape(VectorOperators.S2I, Vector16.INTS, 0);
                // fp16 -> binary32
                IntVector abs = h.and(Vector16.MAGNITUDE);
                IntVector shifted = abs.lanewise(VectorOperators.LSHL, Vector16.DROP_FP16);
                IntVector wide = shifted.or(Vector16.F32_INF)
                        .lanewise(VectorOperators.OR, Vector16.F32_QUIET, abs.compare(VectorOperators.GT, Vector16.FP16_INF));
                FloatVector x = shifted.reinterpretAsFloats().mul(Vector16.FP16_SCALE).reinterpretAsInts()
                        .blend(wide, abs.compare(VectorOperators.GE, Vector16.FP16_INF))
                        .or(h.and(Vector16.SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
                FloatVector p = x.mul(e);
                IntVector pb = p.reinterpretAsInts();
                FloatVector w = pb.add(Vector16.ROUND_FP16).add(pb.lanewise(VectorOperators.LSHR, Vector16.DROP_FP16).and(1))
                        .and(-(1 << Vector16.DROP_FP16)).reinterpretAsFloats();
                FloatVector c = w.max(rangeMin).min(rangeMax).blend(rangeMin, p.test(VectorOperators.IS_NAN));
                c.add(RINT_MAGIC).reinterpretAsInts().sub(codeOffset).intoArray(codes, j * LANES);
            }
            return scaleWord(scales);
        }

        @Override
        public void decodeSpan(int[] codes, int scaleWord, short[] v, int span) {
            FloatVector d = FloatVector.broadcast(Vector16.FLOATS, a.toFloat(scaleWord >>> 16)).blend(a.toFloat(scaleWord & 0xFFFF), EVEN_F);
            for (int j = 0; j < VECTORS; j++) {
                FloatVector value = (FloatVector) IntVector.fromArray(Vector16.INTS, codes, j * LANES).sub(levels)
                        .convert(VectorOperators.I2F, 0);
                IntVector b = value.mul(d).reinterpretAsInts();
                // binary32 -> fp16
                IntVector abs = b.and(Vector16.F32_ABS);
                IntVector r = abs.add(Vector16.FP16_REBIAS_ROUND).add(abs.lanewise(VectorOperators.LSHR, Vector16.DROP_FP16).and(1))
                        .lanewise(VectorOperators.LSHR, Vector16.DROP_FP16)
                        .blend(abs.reinterpretAsFloats().add(Vector16.HALF).reinterpretAsInts().sub(Vector16.HALF_BITS),
                                abs.compare(VectorOperators.LT, Vector16.FP16_MIN_NORMAL_F32))
                        .min(Vector16.FP16_INF)
                        .blend(b.lanewise(VectorOperators.LSHR, Vector16.DROP_FP16).and(Vector16.FP16_FRACTION).or(Vector16.FP16_NAN),
                                abs.compare(VectorOperators.GT, Vector16.F32_INF));
                if (saturate) {
                    r = r.blend(Vector16.FP16_MAX, r.compare(VectorOperators.EQ, Vector16.FP16_INF).and(abs.compare(VectorOperators.NE, Vector16.F32_INF)));
                }
                // a NaN product (a NaN scale) gives the one NaN pattern of Arith16
                ((ShortVector) r.or(b.lanewise(VectorOperators.LSHR, 16).and(Vector16.SIGN))
                        .blend(Vector16.FP16_CANONICAL_NAN, abs.compare(VectorOperators.GT, Vector16.F32_INF))
                        .convertShape(VectorOperators.I2S, Vector16.SHORTS, 0)).intoArray(v, span + j * LANES);
            }
        }
    }

    /** bf16 compute format (the native bf16 path). */
    static final class Bf16Kernel extends VectorSpanKernel {
        Bf16Kernel(GroupQuantizer q) {
            super(q);
        }

        @Override
        public int encodeSpan(short[] v, int span, int[] codes) {
            long scales = scales(v, span);
            FloatVector e = FloatVector.broadcast(Vector16.FLOATS, encodingScale(scales, true)).blend(encodingScale(scales, false), EVEN_F);
            for (int j = 0; j < VECTORS; j++) {
                IntVector h = (IntVector) ShortVector.fromArray(Vector16.SHORTS, v, span + j * LANES)
                        .convertShape(VectorOperators.S2I, Vector16.INTS, 0);
                FloatVector p = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().mul(e);
                IntVector pb = p.reinterpretAsInts();
                FloatVector w = pb.add(Vector16.ROUND_BF16).add(pb.lanewise(VectorOperators.LSHR, Vector16.DROP_BF16).and(1))
                        .and(-(1 << Vector16.DROP_BF16)).reinterpretAsFloats();
                FloatVector c = w.max(rangeMin).min(rangeMax).blend(rangeMin, p.test(VectorOperators.IS_NAN));
                c.add(RINT_MAGIC).reinterpretAsInts().sub(codeOffset).intoArray(codes, j * LANES);
            }
            return scaleWord(scales);
        }

        @Override
        public void decodeSpan(int[] codes, int scaleWord, short[] v, int span) {
            FloatVector d = FloatVector.broadcast(Vector16.FLOATS, a.toFloat(scaleWord >>> 16)).blend(a.toFloat(scaleWord & 0xFFFF), EVEN_F);
            for (int j = 0; j < VECTORS; j++) {
                FloatVector value = (FloatVector) IntVector.fromArray(Vector16.INTS, codes, j * LANES).sub(levels)
                        .convert(VectorOperators.I2F, 0);
                IntVector b = value.mul(d).reinterpretAsInts();
                // binary32 -> bf16
                IntVector abs = b.and(Vector16.F32_ABS);
                IntVector r = b.add(Vector16.ROUND_BF16).add(b.lanewise(VectorOperators.LSHR, Vector16.DROP_BF16).and(1))
                        .lanewise(VectorOperators.LSHR, Vector16.DROP_BF16)
                        .blend(b.lanewise(VectorOperators.LSHR, Vector16.DROP_BF16).or(Vector16.BF16_QUIET), abs.compare(VectorOperators.GT, Vector16.F32_INF))
                        .and(Vector16.MAGNITUDE);
                if (saturate) {
                    r = r.blend(Vector16.BF16_MAX, r.compare(VectorOperators.EQ, Vector16.BF16_INF).and(abs.compare(VectorOperators.NE, Vector16.F32_INF)));
                }
                // a NaN product (a NaN scale) gives the one NaN pattern of Arith16
                ((ShortVector) r.or(b.lanewise(VectorOperators.LSHR, 16).and(Vector16.SIGN))
                        .blend(Vector16.BF16_CANONICAL_NAN, abs.compare(VectorOperators.GT, Vector16.F32_INF))
                        .convertShape(VectorOperators.I2S, Vector16.SHORTS, 0)).intoArray(v, span + j * LANES);
            }
        }
    }
}
