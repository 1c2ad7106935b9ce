package dev.qrref.cpu.gen;

import dev.qrref.spec.Format16;
import java.util.SplittableRandom;

/**
 * Operand pairs built so that the exact result lands on or next to a rounding boundary, where a wrong rounding rule
 * shows: ties and near-ties, exact cancellation, the overflow threshold, the subnormal range and underflow to zero.
 * Uniform random operands reach these cases rarely (a bf16 sum only rounds at a tie when the operands' exponents are
 * within 8 of each other and the shifted-out bits are exactly 10…0). Pairs are packed as in {@link PairCases}.
 */
public final class StructuredPairs {
    private StructuredPairs() {
    }

    /** Pairs for {@code a + b}. */
    public static int[] sums(Format16 f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int a;
            int b;
            switch (r.nextInt(4)) {
                case 0 -> { // b is about half an ulp of a: a tie when b's fraction is zero, near-ties otherwise
                    a = Random16.finite(f, r);
                    // below the subnormal range half an ulp is not representable: the smallest values stand in
                    int half = Math.max(Patterns16.exponentOf(f, a) - f.fractionBits - 1,
                            Patterns16.minSubnormalExponent(f) + 1);
                    b = Random16.finite(f, r, half - 1, half + 1);
                }
                case 1 -> { // a + (-a ± k ulps): exact zero (+0 under RNE) or a result a few ulps from zero
                    a = Random16.finite(f, r);
                    b = neighbour(f, a ^ f.signMask, r.nextInt(7) - 3);
                }
                case 2 -> { // near the overflow threshold: max finite ± a few ulps plus about half an ulp of it
                    a = neighbour(f, f.maxFinite, -r.nextInt(4)) | (r.nextBoolean() ? f.signMask : 0);
                    int top = Patterns16.maxExponent(f);
                    int half = top - f.fractionBits - 1;
                    b = r.nextInt(4) == 0 ? Random16.finite(f, r, top - 1, top)
                            : Random16.finite(f, r, half - 1, half + 2);
                    if (r.nextInt(4) != 0) { // mostly the same sign, so the sum grows
                        b = (b & ~f.signMask) | (a & f.signMask);
                    }
                }
                default -> { // subnormal and lowest-normal operands: the fixed subnormal grid, carries into normals
                    int lo = Patterns16.minSubnormalExponent(f);
                    int hi = Patterns16.minExponent(f) + 1;
                    a = Random16.finite(f, r, lo, hi);
                    b = Random16.finite(f, r, lo, hi);
                }
            }
            out[i] = r.nextBoolean() ? PairCases.pack(a, b) : PairCases.pack(b, a);
        }
        return out;
    }

    /**
     * Pairs for {@code a × b}. Most are built from odd integer significands {@code u, v} whose product has exactly
     * {@code precision + 1} bits (an exact tie, since the product is odd), {@code precision} bits (exact) or
     * {@code precision + 2} bits (a near-tie), scaled so the product lands in the normal range, at the overflow
     * threshold, in the subnormal range or around half the smallest subnormal.
     */
    public static int[] products(Format16 f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        int i = 0;
        while (i < n) {
            int pair = r.nextInt(4) == 0 ? edgeProduct(f, r) : tieProduct(f, r);
            if (pair != -1) {
                out[i++] = pair;
            }
        }
        return out;
    }

    /** Pairs for max, min and |a| > |b|: equal and adjacent values, opposite signs, zeros, NaN operands. */
    public static int[] orderings(Format16 f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int a = Random16.finite(f, r);
            int b = switch (r.nextInt(5)) {
                case 0 -> neighbour(f, a, r.nextInt(5) - 2); // equal or adjacent
                case 1 -> neighbour(f, a ^ f.signMask, r.nextInt(3) - 1); // same magnitude, other sign
                case 2 -> { // signed zeros against zeros and the smallest subnormals
                    a = r.nextInt(3) | (r.nextBoolean() ? f.signMask : 0);
                    yield r.nextInt(3) | (r.nextBoolean() ? f.signMask : 0);
                }
                case 3 -> Random16.nan(f, r);
                default -> r.nextBoolean() ? f.positiveInfinity : f.positiveInfinity | f.signMask;
            };
            out[i] = r.nextBoolean() ? PairCases.pack(a, b) : PairCases.pack(b, a);
        }
        return out;
    }

    /** The pattern {@code k} ulps further from zero (negative k: towards zero), kept finite and on the same side. */
    static int neighbour(Format16 f, int bits, int k) {
        int sign = bits & f.signMask;
        int mag = Math.clamp((long) (bits & ~f.signMask) + k, 0, f.maxFinite);
        return sign | mag;
    }

    private static int tieProduct(Format16 f, SplittableRandom r) {
        int p = f.fractionBits + 1;
        long u = oddWithBits(r, 1 + r.nextInt(p));
        int t = p + switch (r.nextInt(4)) {
            case 0 -> 0; // exact
            case 3 -> 2; // near-tie
            default -> 1; // tie
        };
        // odd v with u·v of bit length t: v in [2^(t-1)/u, (2^t - 1)/u], at most p bits
        long vLo = ((1L << (t - 1)) + u - 1) / u;
        long vHi = Math.min(((1L << t) - 1) / u, (1L << p) - 1);
        if ((vLo | 1) > vHi) {
            return -1;
        }
        long v = vLo + r.nextLong(vHi - vLo + 1) | 1;
        if (v > vHi) {
            v -= 2;
        }
        if (v < vLo) {
            return -1;
        }
        int lead = targetExponent(f, r);
        int total = lead - (t - 1); // exponent of the product's last bit: ea + eb
        int minUnit = Patterns16.minSubnormalExponent(f);
        int top = Patterns16.maxExponent(f);
        int uBits = 64 - Long.numberOfLeadingZeros(u);
        int vBits = 64 - Long.numberOfLeadingZeros(v);
        int eaLo = Math.max(minUnit, total - (top - vBits + 1));
        int eaHi = Math.min(top - uBits + 1, total - minUnit);
        if (eaLo > eaHi) {
            return -1;
        }
        int ea = eaLo + r.nextInt(eaHi - eaLo + 1);
        int a = Patterns16.exact(f, r.nextBoolean(), u, ea);
        int b = Patterns16.exact(f, r.nextBoolean(), v, total - ea);
        if (a == Patterns16.NOT_REPRESENTABLE || b == Patterns16.NOT_REPRESENTABLE) {
            return -1;
        }
        return r.nextBoolean() ? PairCases.pack(a, b) : PairCases.pack(b, a);
    }

    /** Random significands, exponents chosen so the product's leading bit lands at a chosen exponent. */
    private static int edgeProduct(Format16 f, SplittableRandom r) {
        int a = Random16.finite(f, r);
        int lead = targetExponent(f, r);
        int eb = lead - Patterns16.exponentOf(f, a) - r.nextInt(2);
        if (eb < Patterns16.minSubnormalExponent(f) || eb > Patterns16.maxExponent(f)) {
            return -1;
        }
        return PairCases.pack(a, Random16.finite(f, r, eb, eb));
    }

    /** Where a product's leading bit should land: anywhere, at the overflow edge, at the subnormal edge, below it. */
    private static int targetExponent(Format16 f, SplittableRandom r) {
        int top = Patterns16.maxExponent(f);
        int minNormal = Patterns16.minExponent(f);
        int minSub = Patterns16.minSubnormalExponent(f);
        return switch (r.nextInt(5)) {
            case 0 -> top - 1 + r.nextInt(3); // max - 1 .. max + 1
            case 1 -> minNormal - 1 + r.nextInt(2); // the normal/subnormal boundary
            case 2 -> minSub + r.nextInt(minNormal - minSub); // inside the subnormal range
            case 3 -> minSub - 2 + r.nextInt(2); // underflow: around half the smallest subnormal
            default -> minSub + r.nextInt(top - minSub + 1);
        };
    }

    private static long oddWithBits(SplittableRandom r, int bits) {
        if (bits == 1) {
            return 1;
        }
        return (1L << (bits - 1)) | r.nextLong(1L << (bits - 1)) | 1;
    }
}
