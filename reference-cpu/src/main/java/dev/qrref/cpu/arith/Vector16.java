package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Arith16}'s conversions and add over arrays, on the Vector API (only loaded when {@link FastPath#available()}).
 * A lane holds one 16-bit pattern in an {@code int}; the conversions use integer and binary32 operations that give the
 * bits of {@link Fp16}/{@link Bf16} and {@link Arith16#fromFloat} for every input, NaN patterns included (Vector16Test
 * compares them with the scalar methods on all 2^16 patterns and on binary32 inputs around every rounding boundary).
 *
 * <p>How the code is written, and why: no method of this project takes or returns a vector. C2 boxes a vector on the
 * heap when it crosses a call that is not inlined, and it does not inline a call it deems rare (a format or profile that
 * a JVM meets second, for instance), whatever its size; the Vector API's own methods are always inlined. So every loop
 * below spells its conversions out, the same steps in every place, under the same comments:
 * <ul>
 *   <li>fp16 → binary32: the exponent and fraction shifted into binary32 position read as 2^-112 times the value,
 *       subnormals included; infinities and NaNs get all exponent bits, the fraction kept, NaNs the quiet bit.</li>
 *   <li>binary32 → fp16: in the normal range the exponent is rebiased and the 13 dropped bits rounded to nearest even
 *       (a carry may reach the exponent); below 2^-14 the binary32 sum |x| + 0.5 rounds |x| to the subnormal step 2^-24
 *       and its fraction is the pattern; min() with 0x7C00 turns every overflow into inf; under saturation a finite value
 *       that overflowed becomes 0x7BFF; a NaN becomes the canonical 0x7FFF, as {@link Arith16#fromFloat} gives it.</li>
 *   <li>binary32 → bf16: add 0x7FFF plus the lowest kept bit, keep the upper half; a NaN becomes the canonical
 *       0x7FFF.</li>
 * </ul>
 */
public final class Vector16 {
    private Vector16() {
    }

    /** The widest vectors the CPU runs well; 64 (one group span) is a multiple of their lane count. */
    public static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    public static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class, INTS.vectorShape());
    /** Shorts with as many lanes as {@link #INTS}: loads widen them, stores narrow back. */
    public static final VectorSpecies<Short> SHORTS = VectorSpecies.of(short.class, VectorShape.forBitSize(INTS.vectorBitSize() / 2));
    public static final int LANES = INTS.length();

    public static final int F32_FRACTION_BITS = 23;
    public static final int F32_ABS = 0x7FFFFFFF;
    public static final int F32_INF = 0x7F800000;
    public static final int F32_QUIET = 1 << (F32_FRACTION_BITS - 1);

    private static final Format16 H = Format16.FP16;
    private static final Format16 B = Format16.BF16;
    public static final int SIGN = H.signMask;
    public static final int MAGNITUDE = SIGN - 1;
    /** Fraction bits dropped when rounding binary32 to fp16 (13) and to bf16 (16). */
    public static final int DROP_FP16 = F32_FRACTION_BITS - H.fractionBits;
    public static final int DROP_BF16 = F32_FRACTION_BITS - B.fractionBits;
    /** Round to nearest even at bit DROP: add this and the lowest kept bit, then drop the bits. */
    public static final int ROUND_FP16 = (1 << (DROP_FP16 - 1)) - 1;
    public static final int ROUND_BF16 = (1 << (DROP_BF16 - 1)) - 1;
    /** The exponent rebias from binary32 to fp16 in place in binary32 bits, with the rounding constant folded in. */
    public static final int FP16_REBIAS_ROUND = -((127 - H.exponentBias) << F32_FRACTION_BITS) + ROUND_FP16;
    /** The smallest normal fp16 as binary32 bits: below it the fp16 step is 2^-24. */
    public static final int FP16_MIN_NORMAL_F32 = (127 + 1 - H.exponentBias) << F32_FRACTION_BITS;
    /** 2^112 scales the fp16 fields shifted into binary32 position to their value (normal and subnormal alike). */
    public static final float FP16_SCALE = Float.intBitsToFloat((127 + 127 - H.exponentBias) << F32_FRACTION_BITS);
    /** binary32 0.5: adding it rounds |x| below 2^-14 to a multiple of 2^-24, the fp16 subnormal step. */
    public static final float HALF = 0.5f;
    public static final int HALF_BITS = Float.floatToRawIntBits(HALF);
    public static final int FP16_INF = H.positiveInfinity;
    public static final int FP16_MAX = H.maxFinite;
    public static final int FP16_NAN = H.positiveInfinity | H.quietBit;
    public static final int FP16_FRACTION = H.fractionMask;
    public static final int BF16_INF = B.positiveInfinity;
    public static final int BF16_MAX = B.maxFinite;
    public static final int BF16_QUIET = B.quietBit;
    /** The one NaN pattern {@link Arith16#fromFloat} gives (payloads are not modelled). */
    public static final int FP16_CANONICAL_NAN = H.canonicalNaN;
    public static final int BF16_CANONICAL_NAN = B.canonicalNaN;

    /** Width of the vectors in bits. */
    public static int bits() {
        return INTS.vectorBitSize();
    }

    /** {@code out[i] = a.toFloat(in[i])} for {@code i < count}, a multiple of {@link #LANES}. */
    public static void toFloat(Format16 f, short[] in, float[] out, int count) {
        if (f == Format16.FP16) {
            toFloatFp16(in, out, count);
        } else {
            toFloatBf16(in, out, count);
        }
    }

    private static void toFloatFp16(short[] in, float[] out, int count) {
        for (int i = 0; i < count; i += LANES) {
            IntVector h = (IntVector) ShortVector.fromArray(SHORTS, in, i).convertShape(VectorOperators.S2I, INTS, 0);
            // fp16 -> binary32
            IntVector abs = h.and(MAGNITUDE);
            IntVector shifted = abs.lanewise(VectorOperators.LSHL, DROP_FP16);
            IntVector wide = shifted.or(F32_INF).lanewise(VectorOperators.OR, F32_QUIET, abs.compare(VectorOperators.GT, FP16_INF));
            shifted.reinterpretAsFloats().mul(FP16_SCALE).reinterpretAsInts().blend(wide, abs.compare(VectorOperators.GE, FP16_INF))
                    .or(h.and(SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(out, i);
        }
    }

    private static void toFloatBf16(short[] in, float[] out, int count) {
        for (int i = 0; i < count; i += LANES) {
            IntVector h = (IntVector) ShortVector.fromArray(SHORTS, in, i).convertShape(VectorOperators.S2I, INTS, 0);
            h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(out, i);
        }
    }

    /** {@code out[i] = a.fromFloat(in[i])} for {@code i < count}, a multiple of {@link #LANES}. */
    public static void fromFloat(Arith16 a, float[] in, short[] out, int count) {
        if (a.format() == Format16.FP16) {
            fromFloatFp16(in, out, count, a.saturates());
        } else {
            fromFloatBf16(in, out, count, a.saturates());
        }
    }

    private static void fromFloatFp16(float[] in, short[] out, int count, boolean saturate) {
        for (int i = 0; i < count; i += LANES) {
            IntVector b = FloatVector.fromArray(FLOATS, in, i).reinterpretAsInts();
            // binary32 -> fp16
            IntVector abs = b.and(F32_ABS);
            IntVector r = abs.add(FP16_REBIAS_ROUND).add(abs.lanewise(VectorOperators.LSHR, DROP_FP16).and(1)).lanewise(VectorOperators.LSHR, DROP_FP16)
                    .blend(abs.reinterpretAsFloats().add(HALF).reinterpretAsInts().sub(HALF_BITS), abs.compare(VectorOperators.LT, FP16_MIN_NORMAL_F32))
                    .min(FP16_INF)
                    .blend(b.lanewise(VectorOperators.LSHR, DROP_FP16).and(FP16_FRACTION).or(FP16_NAN), abs.compare(VectorOperators.GT, F32_INF));
            if (saturate) {
                r = r.blend(FP16_MAX, r.compare(VectorOperators.EQ, FP16_INF).and(abs.compare(VectorOperators.NE, F32_INF)));
            }
            ((ShortVector) r.or(b.lanewise(VectorOperators.LSHR, 16).and(SIGN)).blend(FP16_CANONICAL_NAN, abs.compare(VectorOperators.GT, F32_INF)).convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(out, i);
        }
    }

    private static void fromFloatBf16(float[] in, short[] out, int count, boolean saturate) {
        for (int i = 0; i < count; i += LANES) {
            IntVector b = FloatVector.fromArray(FLOATS, in, i).reinterpretAsInts();
            // binary32 -> bf16
            IntVector abs = b.and(F32_ABS);
            IntVector r = b.add(ROUND_BF16).add(b.lanewise(VectorOperators.LSHR, DROP_BF16).and(1)).lanewise(VectorOperators.LSHR, DROP_BF16)
                    .blend(b.lanewise(VectorOperators.LSHR, DROP_BF16).or(BF16_QUIET), abs.compare(VectorOperators.GT, F32_INF))
                    .and(MAGNITUDE);
            if (saturate) {
                r = r.blend(BF16_MAX, r.compare(VectorOperators.EQ, BF16_INF).and(abs.compare(VectorOperators.NE, F32_INF)));
            }
            ((ShortVector) r.or(b.lanewise(VectorOperators.LSHR, 16).and(SIGN)).blend(BF16_CANONICAL_NAN, abs.compare(VectorOperators.GT, F32_INF)).convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(out, i);
        }
    }

    /** {@code acc[i] = a.add(acc[i], b[i])} for {@code i < count}, a multiple of {@link #LANES}. */
    public static void addInto(Arith16 a, short[] acc, short[] b, int count) {
        if (a.format() == Format16.FP16) {
            addIntoFp16(acc, b, count, a.saturates());
        } else {
            addIntoBf16(acc, b, count, a.saturates());
        }
    }

    private static void addIntoFp16(short[] acc, short[] b, int count, boolean saturate) {
        for (int i = 0; i < count; i += LANES) {
            IntVector h = (IntVector) ShortVector.fromArray(SHORTS, acc, i).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector g = (IntVector) ShortVector.fromArray(SHORTS, b, i).convertShape(VectorOperators.S2I, INTS, 0);
            // fp16 -> binary32, both operands
            IntVector habs = h.and(MAGNITUDE);
            IntVector hs = habs.lanewise(VectorOperators.LSHL, DROP_FP16);
            FloatVector x = hs.reinterpretAsFloats().mul(FP16_SCALE).reinterpretAsInts()
                    .blend(hs.or(F32_INF).lanewise(VectorOperators.OR, F32_QUIET, habs.compare(VectorOperators.GT, FP16_INF)), habs.compare(VectorOperators.GE, FP16_INF))
                    .or(h.and(SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            IntVector gabs = g.and(MAGNITUDE);
            IntVector gs = gabs.lanewise(VectorOperators.LSHL, DROP_FP16);
            FloatVector y = gs.reinterpretAsFloats().mul(FP16_SCALE).reinterpretAsInts()
                    .blend(gs.or(F32_INF).lanewise(VectorOperators.OR, F32_QUIET, gabs.compare(VectorOperators.GT, FP16_INF)), gabs.compare(VectorOperators.GE, FP16_INF))
                    .or(g.and(SIGN).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
            IntVector s = x.add(y).reinterpretAsInts();
            // binary32 -> fp16
            IntVector abs = s.and(F32_ABS);
            IntVector r = abs.add(FP16_REBIAS_ROUND).add(abs.lanewise(VectorOperators.LSHR, DROP_FP16).and(1)).lanewise(VectorOperators.LSHR, DROP_FP16)
                    .blend(abs.reinterpretAsFloats().add(HALF).reinterpretAsInts().sub(HALF_BITS), abs.compare(VectorOperators.LT, FP16_MIN_NORMAL_F32))
                    .min(FP16_INF)
                    .blend(s.lanewise(VectorOperators.LSHR, DROP_FP16).and(FP16_FRACTION).or(FP16_NAN), abs.compare(VectorOperators.GT, F32_INF));
            if (saturate) {
                r = r.blend(FP16_MAX, r.compare(VectorOperators.EQ, FP16_INF).and(abs.compare(VectorOperators.NE, F32_INF)));
            }
            ((ShortVector) r.or(s.lanewise(VectorOperators.LSHR, 16).and(SIGN)).blend(FP16_CANONICAL_NAN, abs.compare(VectorOperators.GT, F32_INF)).convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(acc, i);
        }
    }

    private static void addIntoBf16(short[] acc, short[] b, int count, boolean saturate) {
        for (int i = 0; i < count; i += LANES) {
            IntVector h = (IntVector) ShortVector.fromArray(SHORTS, acc, i).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector g = (IntVector) ShortVector.fromArray(SHORTS, b, i).convertShape(VectorOperators.S2I, INTS, 0);
            IntVector s = h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().add(g.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats())
                    .reinterpretAsInts();
            // binary32 -> bf16
            IntVector abs = s.and(F32_ABS);
            IntVector r = s.add(ROUND_BF16).add(s.lanewise(VectorOperators.LSHR, DROP_BF16).and(1)).lanewise(VectorOperators.LSHR, DROP_BF16)
                    .blend(s.lanewise(VectorOperators.LSHR, DROP_BF16).or(BF16_QUIET), abs.compare(VectorOperators.GT, F32_INF))
                    .and(MAGNITUDE);
            if (saturate) {
                r = r.blend(BF16_MAX, r.compare(VectorOperators.EQ, BF16_INF).and(abs.compare(VectorOperators.NE, F32_INF)));
            }
            ((ShortVector) r.or(s.lanewise(VectorOperators.LSHR, 16).and(SIGN)).blend(BF16_CANONICAL_NAN, abs.compare(VectorOperators.GT, F32_INF)).convertShape(VectorOperators.I2S, SHORTS, 0)).intoArray(acc, i);
        }
    }
}
