package dev.qrref.cpu.oracle;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;

/**
 * A second, deliberately plain implementation of what a QuickReduce call computes, element by element, without buffers,
 * slots, flags, blocks or bytes: output = D(E(sum over s of D(E(x_s)))). The quantizer is written here from the
 * dossier's formulas (§3, §4.1, §4.2, §4.6–§4.8, §7), slowly and one step at a time: groups from their definition
 * (GRP-1), M from its definition instead of the kernel's tree, {@code d = T(M × SF)}, {@code e = rcp(T(d + EPS))},
 * {@code w = T(x × e)}, clamp in T (NaN to RMIN), rint ties to even, code + BIAS, decode {@code T((code - L) × d)}; for
 * FP8 the conversion of {@code w} to fp8 and back ({@link Fp8Literal}).
 *
 * <p>It uses only the profile's 16-bit operations ({@link Arith16} add, mul, rcp, max, min; the casts of
 * {@link NumericsProfile}), which are checked on their own against an exact model, and the constants of {@code spec}
 * ({@link Recipe}). It shares nothing with the model's quantizer, codecs, group statistics or tables, so a fault there
 * shows up as a difference. Tests and the CPU conformance compare the model against it.
 */
public final class ElementwiseModel {
    private ElementwiseModel() {
    }

    /** Returns the output (same for every rank) for {@code inputs[rank][element]} as 16-bit patterns. */
    public static short[] allreduce(short[][] inputs, int n, QuantLevel level, DataPath path, NumericsProfile profile) {
        return allreduce(inputs, n, level.quantized() ? Recipe.of(level, path.compute, profile.id()) : null, path, profile);
    }

    /**
     * The same with the codec given by its recipe for {@code path.compute} (null: the FP codec, no quantization), so
     * that a codec can be modelled before it has a {@link QuantLevel}.
     */
    public static short[] allreduce(short[][] inputs, int n, Recipe recipe, DataPath path, NumericsProfile profile) {
        Format16 f = path.compute;
        Arith16 a = profile.arith(f);
        int w = inputs.length;
        int padded = (int) (Geometry.numTiles(n) * Geometry.TILE_ELEMENTS);
        short[][] x = new short[w][padded];
        for (int r = 0; r < w; r++) {
            for (int e = 0; e < n; e++) {
                int v = inputs[r][e] & 0xFFFF;
                x[r][e] = (short) (path.casts() ? profile.castBf16ToFp16(v) : v);
            }
        }
        // RED-1/RED-2: the sum starts at +0 and adds the senders' decoded contributions in rank order
        short[] sum = new short[padded];
        for (int r = 0; r < w; r++) {
            short[] contribution = recipe != null ? roundTrip(x[r], recipe, a) : x[r];
            for (int e = 0; e < padded; e++) {
                sum[e] = (short) a.add(sum[e] & 0xFFFF, contribution[e] & 0xFFFF);
            }
        }
        short[] out = recipe != null ? roundTrip(sum, recipe, a) : sum;
        short[] result = new short[n];
        for (int e = 0; e < n; e++) {
            result[e] = (short) (path.casts() ? profile.castFp16ToBf16(out[e] & 0xFFFF) : out[e]);
        }
        return result;
    }

    /** Quantizes and dequantizes every group of a padded tensor in the compute format {@code compute}. */
    public static short[] roundTrip(short[] v, QuantLevel level, NumericsProfile profile, Format16 compute) {
        return roundTrip(v, Recipe.of(level, compute, profile.id()), profile.arith(compute));
    }

    /** Quantizes and dequantizes every group of a padded tensor (a multiple of 64 elements). */
    public static short[] roundTrip(short[] v, Recipe recipe, Arith16 a) {
        short[] out = new short[v.length];
        int[] members = new int[Geometry.GROUP_SIZE];
        // GRP-1: in every 64-element span the even elements form one group and the odd elements the other
        for (int span = 0; span < v.length; span += Geometry.GROUP_SPAN) {
            for (int half = 0; half < 2; half++) {
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    members[m] = v[span + 2 * m + half] & 0xFFFF;
                }
                int[] decoded = roundTripGroup(members, recipe, a);
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    out[span + 2 * m + half] = (short) decoded[m];
                }
            }
        }
        return out;
    }

    /** One group through encode and decode. */
    public static int[] roundTripGroup(int[] members, Recipe recipe, Arith16 a) {
        int d = decodingScale(members, recipe, a);
        int e = a.rcp(a.add(d, recipe.epsilon()));
        int[] out = new int[members.length];
        for (int m = 0; m < members.length; m++) {
            int w = a.mul(members[m], e);
            out[m] = recipe.isFp8() ? fp8RoundTrip(w, d, recipe, a) : integerRoundTrip(w, d, recipe, a);
        }
        return out;
    }

    /** {@code d = T(M × SF)} with M chosen as the recipe says. */
    public static int decodingScale(int[] members, Recipe recipe, Arith16 a) {
        Format16 f = a.format();
        int m = recipe.scale() == Recipe.Scale.SIGNED_ABSMAX ? signedAbsMax(f, members) : absMax(f, members);
        return a.mul(m, recipe.scaleFactor());
    }

    /** Clamp in T, rint ties to even, bias; then {@code T((code - L) × d)} with {@code code - L} formed exactly. */
    private static int integerRoundTrip(int w, int d, Recipe r, Arith16 a) {
        Format16 f = a.format();
        // max(w, RMIN) is maxNum: a NaN w is dropped and RMIN remains
        int clamped = a.min(a.max(w, r.rangeMin()), r.rangeMax());
        int q = (int) Math.rint(f.toDouble(clamped));
        int code = (short) (q + r.bias()); // int16 add, as the packed add of the kernel
        int offset;
        if (r.decodeAdder() != 0) {
            // fp16: 1024 + code by OR-ing the code into 1024.0's fraction, then + (-(1024 + L)), both exact
            offset = a.add(CodecConstants.FP16_MAGIC_1024 | code, r.decodeAdder());
        } else {
            offset = a.add(exactly(f, code), r.rangeMin());
        }
        return a.mul(offset, d);
    }

    /** {@code w} widened to binary32 (exact), converted to fp8, decoded back exactly to binary32 and T, times d. */
    private static int fp8RoundTrip(int w, int d, Recipe r, Arith16 a) {
        Format16 f = a.format();
        int code = Fp8Literal.fromFloat(r.fp8(), (float) f.toDouble(w), r.fp8Overflow());
        return a.mul(exactly(f, Fp8Literal.toDouble(r.fp8(), code)), d);
    }

    /**
     * M from its definition: the non-NaN element of largest magnitude; between equal magnitudes the negative one; when
     * every element is a zero, -0 if any is -0 else +0; NaN only when every element is NaN.
     */
    public static int signedAbsMax(Format16 f, int[] members) {
        double[] magnitude = Magnitudes.of(f);
        int best = -1;
        double mbest = 0;
        for (int b : members) {
            if (f.isNaN(b)) {
                continue;
            }
            double mb = magnitude[b];
            if (best < 0 || mb > mbest || (mb == mbest && f.isNegative(b))) {
                best = b;
                mbest = mb;
            }
        }
        return best < 0 ? members[0] : best;
    }

    /** The FP8 scale element from its definition: the largest |x| over the non-NaN elements; |NaN| when all are NaN. */
    public static int absMax(Format16 f, int[] members) {
        int best = -1;
        for (int b : members) {
            int mag = f.abs(b);
            if (f.isNaN(mag)) {
                continue;
            }
            if (best < 0 || f.toDouble(mag) > f.toDouble(best)) {
                best = mag;
            }
        }
        return best < 0 ? f.abs(members[0]) : best;
    }

    /**
     * The pattern of {@code value} in {@code f}, which must hold it exactly (small integers, fp8 values); NaN gives the
     * format's canonical NaN. Built from the format's field widths.
     */
    static int exactly(Format16 f, double value) {
        if (Double.isNaN(value)) {
            return f.canonicalNaN;
        }
        int sign = value < 0 || (value == 0 && 1 / value < 0) ? f.signMask : 0;
        double m = Math.abs(value);
        if (m == 0) {
            return sign;
        }
        int minNormal = 1 - f.exponentBias;
        int e = Math.max(Math.getExponent(m), minNormal);
        double units = Math.scalb(m, f.fractionBits - e); // the significand in units of the last place
        if (units != Math.rint(units) || e > f.exponentBias) {
            throw new IllegalStateException(value + " is not exact in " + f.id());
        }
        int significand = (int) units;
        if (significand < 1 << f.fractionBits) {
            return sign | significand; // subnormal: exponent field 0
        }
        return sign | ((e + f.exponentBias) << f.fractionBits) | (significand & f.fractionMask);
    }

    /** |value| of every pattern of each format, from {@link Format16#toDouble} once (the conformance runs call M a lot). */
    private static final class Magnitudes {
        private static final double[][] TABLES = new double[Format16.values().length][];

        static {
            for (Format16 f : Format16.values()) {
                double[] t = new double[1 << Format16.WIDTH];
                for (int b = 0; b < t.length; b++) {
                    t[b] = Math.abs(f.toDouble(b));
                }
                TABLES[f.ordinal()] = t;
            }
        }

        static double[] of(Format16 f) {
            return TABLES[f.ordinal()];
        }
    }
}
