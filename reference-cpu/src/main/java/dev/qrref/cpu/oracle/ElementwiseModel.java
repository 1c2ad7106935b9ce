package dev.qrref.cpu.oracle;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.GroupQuantizer;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;

/**
 * A second, deliberately plain implementation of what a QuickReduce call computes, element by element, without buffers,
 * slots, flags, blocks or bytes: output = D(E(sum over s of D(E(x_s)))) with groups taken straight from the definition
 * (GRP-1) and the signed absmax taken from its definition instead of the kernel's tree. It shares only the per-element
 * scale/code/decode steps with the model; the protocol, the layout, the packing and the group statistics are
 * independent. Tests compare the model against it.
 */
public final class ElementwiseModel {
    private ElementwiseModel() {
    }

    /** Returns the output (same for every rank) for {@code inputs[rank][element]} as 16-bit patterns. */
    public static short[] allreduce(short[][] inputs, int n, QuantLevel level, DataPath path, NumericsProfile profile) {
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
        short[] sum = new short[padded];
        for (int r = 0; r < w; r++) {
            short[] contribution = level.quantized() ? roundTrip(x[r], level, a) : x[r];
            for (int e = 0; e < padded; e++) {
                sum[e] = (short) a.add(sum[e] & 0xFFFF, contribution[e] & 0xFFFF);
            }
        }
        short[] out = level.quantized() ? roundTrip(sum, level, a) : sum;
        short[] result = new short[n];
        for (int e = 0; e < n; e++) {
            result[e] = (short) (path.casts() ? profile.castFp16ToBf16(out[e] & 0xFFFF) : out[e]);
        }
        return result;
    }

    /** Quantize and dequantize every group of a padded tensor. */
    public static short[] roundTrip(short[] v, QuantLevel level, Arith16 a) {
        GroupQuantizer q = GroupQuantizer.of(level, a);
        short[] out = new short[v.length];
        int[] members = new int[Geometry.GROUP_SIZE];
        for (int span = 0; span < v.length; span += Geometry.GROUP_SPAN) {
            for (int half = 0; half < 2; half++) {
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    members[m] = v[span + 2 * m + half] & 0xFFFF;
                }
                int d = q.decodingScale(signedAbsMax(a.format(), members));
                int e = q.encodingScale(d);
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    out[span + 2 * m + half] = (short) q.decode(q.code(members[m], e), d);
                }
            }
        }
        return out;
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
