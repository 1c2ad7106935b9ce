package dev.qrref.cpu.gen;

import dev.qrref.spec.Format16;
import java.util.SplittableRandom;

/** Random 16-bit operands: uniform bit patterns, and finite values with a chosen exponent range. */
public final class Random16 {
    private Random16() {
    }

    /** Any of the 65,536 patterns, uniformly (NaNs and infinities included). */
    public static int pattern(SplittableRandom r) {
        return r.nextInt(1 << Format16.WIDTH);
    }

    /**
     * A fraction field: half the time uniform, half the time a TestFloat-style structured pattern (a run of ones or
     * zeros at the top or bottom, a single bit, all ones, zero), which reaches carries, ties and exact results far more
     * often than uniform bits do.
     */
    public static int fraction(Format16 f, SplittableRandom r) {
        int w = f.fractionBits;
        int all = f.fractionMask;
        if (r.nextBoolean()) {
            return r.nextInt(all + 1);
        }
        int k = r.nextInt(w + 1);
        int lowOnes = (1 << k) - 1;
        return switch (r.nextInt(6)) {
            case 0 -> lowOnes; // 0…01…1
            case 1 -> all & ~lowOnes; // 1…10…0
            case 2 -> k == w ? 0 : 1 << k; // a single bit
            case 3 -> all ^ (k == w ? 0 : 1 << k); // all ones but one
            case 4 -> all;
            default -> 0;
        };
    }

    /**
     * A finite value with random sign and {@link #fraction}, whose leading bit has an exponent drawn uniformly from
     * {@code [lo, hi]}, clamped to the format's finite range; exponents below the normal range give subnormals.
     */
    public static int finite(Format16 f, SplittableRandom r, int lo, int hi) {
        lo = Math.max(lo, Patterns16.minSubnormalExponent(f));
        hi = Math.min(hi, Patterns16.maxExponent(f));
        if (lo > hi) {
            throw new IllegalArgumentException(f.id() + ": empty exponent range");
        }
        int e = lo == hi ? lo : lo + r.nextInt(hi - lo + 1);
        boolean negative = r.nextBoolean();
        int frac = fraction(f, r);
        if (e >= Patterns16.minExponent(f)) {
            return Patterns16.normal(f, negative, e, frac);
        }
        // subnormal: the leading one sits k places above the smallest subnormal, the fraction's top bits follow it
        int k = e - Patterns16.minSubnormalExponent(f);
        int units = (1 << k) | (frac >>> (f.fractionBits - k));
        return (negative ? f.signMask : 0) | units;
    }

    /** A finite value anywhere in the format's range, subnormals included, exponents uniform. */
    public static int finite(Format16 f, SplittableRandom r) {
        return finite(f, r, Patterns16.minSubnormalExponent(f), Patterns16.maxExponent(f));
    }

    /** A NaN with random sign and payload, quiet or signalling. */
    public static int nan(Format16 f, SplittableRandom r) {
        int payload = 1 + r.nextInt(f.fractionMask);
        return (r.nextBoolean() ? f.signMask : 0) | f.exponentMask | payload;
    }
}
