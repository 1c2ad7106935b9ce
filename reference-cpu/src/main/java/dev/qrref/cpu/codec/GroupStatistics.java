package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;

/**
 * The signed absmax of one quantization group, computed with the kernel's exact reduction tree (rules GRP-1..GRP-3).
 *
 * <p>A 64-element span (8 lanes × 8 elements) holds two interleaved groups: {@code half = 0} takes the even positions
 * (the low halves of the packed words), {@code half = 1} the odd positions. Lane {@code k} of the group holds elements
 * {@code 8k .. 8k+7} of the span, i.e. words {@code w0..w3} with {@code w_i = (x[8k+2i], x[8k+2i+1])}.
 */
public final class GroupStatistics {
    private GroupStatistics() {
    }

    /** Lane k's value of word i in the given half. */
    private static int x(short[] v, int span, int lane, int word, int half) {
        return v[span + Geometry.VECTOR_ELEMENTS * lane + 2 * word + half] & 0xFFFF;
    }

    /** Per-thread max: {@code max(max(w0, w1), max(w2, w3))}. */
    static int threadMax(Arith16 a, short[] v, int span, int lane, int half) {
        int p = a.max(x(v, span, lane, 0, half), x(v, span, lane, 1, half));
        int q = a.max(x(v, span, lane, 2, half), x(v, span, lane, 3, half));
        return a.max(p, q);
    }

    static int threadMin(Arith16 a, short[] v, int span, int lane, int half) {
        int p = a.min(x(v, span, lane, 0, half), x(v, span, lane, 1, half));
        int q = a.min(x(v, span, lane, 2, half), x(v, span, lane, 3, half));
        return a.min(p, q);
    }

    /**
     * The leader lane's result of the shuffle-down tree: for s = 1, 2, 4 lane L combines its own value (first operand)
     * with lane L+s's, so lane 0 ends with {@code ((m0⊕m1)⊕(m2⊕m3))⊕((m4⊕m5)⊕(m6⊕m7))}.
     */
    static int groupMax(Arith16 a, short[] v, int span, int half) {
        int m0 = threadMax(a, v, span, 0, half);
        int m1 = threadMax(a, v, span, 1, half);
        int m2 = threadMax(a, v, span, 2, half);
        int m3 = threadMax(a, v, span, 3, half);
        int m4 = threadMax(a, v, span, 4, half);
        int m5 = threadMax(a, v, span, 5, half);
        int m6 = threadMax(a, v, span, 6, half);
        int m7 = threadMax(a, v, span, 7, half);
        return a.max(a.max(a.max(m0, m1), a.max(m2, m3)), a.max(a.max(m4, m5), a.max(m6, m7)));
    }

    static int groupMin(Arith16 a, short[] v, int span, int half) {
        int m0 = threadMin(a, v, span, 0, half);
        int m1 = threadMin(a, v, span, 1, half);
        int m2 = threadMin(a, v, span, 2, half);
        int m3 = threadMin(a, v, span, 3, half);
        int m4 = threadMin(a, v, span, 4, half);
        int m5 = threadMin(a, v, span, 5, half);
        int m6 = threadMin(a, v, span, 6, half);
        int m7 = threadMin(a, v, span, 7, half);
        return a.min(a.min(a.min(m0, m1), a.min(m2, m3)), a.min(a.min(m4, m5), a.min(m6, m7)));
    }

    /**
     * M: {@code (|max| > |min|) ? max : min} with an ordered strict comparison, so a tie (or a NaN) picks the minimum,
     * i.e. the negative element of equal magnitude.
     */
    public static int signedAbsMax(Arith16 a, short[] v, int span, int half) {
        int mx = groupMax(a, v, span, half);
        int mn = groupMin(a, v, span, half);
        return a.absGreater(mx, mn) ? mx : mn;
    }

    /**
     * FP8's group scale source {@code a = max |x|}: the absolute values first, then the max tree (dossier §3, last
     * line). NaN elements are ignored; all-NaN gives NaN.
     */
    public static int absMax(Arith16 a, short[] v, int span, int half) {
        int[] m = new int[Geometry.GROUP_THREADS];
        Format16 f = a.format();
        for (int lane = 0; lane < Geometry.GROUP_THREADS; lane++) {
            int p = a.max(f.abs(x(v, span, lane, 0, half)), f.abs(x(v, span, lane, 1, half)));
            int q = a.max(f.abs(x(v, span, lane, 2, half)), f.abs(x(v, span, lane, 3, half)));
            m[lane] = a.max(p, q);
        }
        return a.max(a.max(a.max(m[0], m[1]), a.max(m[2], m[3])), a.max(a.max(m[4], m[5]), a.max(m[6], m[7])));
    }

    /**
     * {@link #absMax} of both groups of the span in one pass (even in bits 0..15, odd in 16..31): the largest
     * non-NaN magnitude, the shape of the tree being irrelevant for non-negative values.
     */
    public static long absMaxPair(Format16 format, short[] v, int span) {
        int inf = format.positiveInfinity;
        int maxE = -1;
        int maxO = -1;
        for (int i = span; i < span + Geometry.GROUP_SPAN; i += 2) {
            int e = v[i] & 0x7FFF;
            int o = v[i + 1] & 0x7FFF;
            maxE = e > inf ? maxE : Math.max(maxE, e);
            maxO = o > inf ? maxO : Math.max(maxO, o);
        }
        int even = maxE < 0 ? format.canonicalNaN : maxE;
        int odd = maxO < 0 ? format.canonicalNaN : maxO;
        return even | ((long) odd << 16);
    }

    // ---- the same result without the tree, for speed ---------------------------------------------------------------
    // Under every profile max and min are lattice operations on the non-NaN values (maxNum/minNum with -0 < +0 is IEEE
    // totalOrder restricted to non-NaNs, NaN operands ignored), so the tree's result does not depend on its shape: it is
    // the plain maximum and minimum of the group's non-NaN values in totalOrder, a NaN only when every value is NaN
    // (whose payload the model does not promise). A sign-magnitude 16-bit pattern maps to an int key that orders
    // like totalOrder: (bits & 0x7FFF) XOR (all ones if negative). GroupStatisticsTest compares both paths.

    private static int key(int bits) {
        return (bits & 0x7FFF) ^ ((bits << 16) >> 31);
    }

    private static int bitsOfKey(int key) {
        return key >= 0 ? key : (~key & 0x7FFF) | 0x8000;
    }

    /** M of the group {@code v[span + half], v[span + half + 2], …} (32 values), exactly as the tree computes it. */
    public static int signedAbsMaxFast(Format16 format, short[] v, int span, int half) {
        long both = signedAbsMaxPair(format, v, span);
        return half == 0 ? (int) (both & 0xFFFF) : (int) (both >>> 16);
    }

    /** M of both groups of the span in one pass: the even group's in bits 0..15, the odd group's in bits 16..31. */
    public static long signedAbsMaxPair(Format16 format, short[] v, int span) {
        int inf = format.positiveInfinity;
        int maxE = Integer.MIN_VALUE;
        int minE = Integer.MAX_VALUE;
        int maxO = Integer.MIN_VALUE;
        int minO = Integer.MAX_VALUE;
        for (int i = span; i < span + Geometry.GROUP_SPAN; i += 2) {
            int e = v[i] & 0xFFFF;
            int o = v[i + 1] & 0xFFFF;
            int ke = key(e);
            int ko = key(o);
            boolean nanE = (e & 0x7FFF) > inf;
            boolean nanO = (o & 0x7FFF) > inf;
            maxE = Math.max(maxE, nanE ? Integer.MIN_VALUE : ke);
            minE = Math.min(minE, nanE ? Integer.MAX_VALUE : ke);
            maxO = Math.max(maxO, nanO ? Integer.MIN_VALUE : ko);
            minO = Math.min(minO, nanO ? Integer.MAX_VALUE : ko);
        }
        return select(format, maxE, minE) | ((long) select(format, maxO, minO) << 16);
    }

    private static int select(Format16 format, int max, int min) {
        if (max == Integer.MIN_VALUE) {
            return format.canonicalNaN; // every value is NaN
        }
        int mx = bitsOfKey(max);
        int mn = bitsOfKey(min);
        return (mx & 0x7FFF) > (mn & 0x7FFF) ? mx : mn;
    }
}
