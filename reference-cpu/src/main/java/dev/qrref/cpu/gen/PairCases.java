package dev.qrref.cpu.gen;

import dev.qrref.spec.Format16;
import java.util.SplittableRandom;

/**
 * Operand pairs for the binary 16-bit operations, packed one pair per {@code int}: {@code a} in the high half,
 * {@code b} in the low half ({@link #a}, {@link #b}). Structured pairs (results on rounding boundaries) are in
 * {@link StructuredPairs}.
 */
public final class PairCases {
    private PairCases() {
    }

    public static int pack(int a, int b) {
        return (a & 0xFFFF) << 16 | (b & 0xFFFF);
    }

    public static int a(int pair) {
        return pair >>> 16;
    }

    public static int b(int pair) {
        return pair & 0xFFFF;
    }

    /** Every special value against every special value ({@link SpecialValues#of}), both orders. */
    public static int[] specials(Format16 f) {
        int[] s = SpecialValues.of(f);
        int[] out = new int[s.length * s.length];
        int i = 0;
        for (int a : s) {
            for (int b : s) {
                out[i++] = pack(a, b);
            }
        }
        return out;
    }

    /** {@code n} pairs of uniformly random bit patterns. */
    public static int[] uniform(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = pack(Random16.pattern(r), Random16.pattern(r));
        }
        return out;
    }

    /**
     * {@code n} pairs of finite values: {@code a} anywhere in the range, {@code b}'s exponent within {@code ±spread} of
     * {@code a}'s. Uniform patterns rarely give bf16 operands close enough in magnitude to interact in a sum; a spread
     * of a few more than the fraction width makes every alignment shift likely.
     */
    public static int[] exponentSpread(Format16 f, long seed, int n, int spread) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int a = Random16.finite(f, r);
            int ea = Patterns16.exponentOf(f, a);
            int b = Random16.finite(f, r, ea - spread, ea + spread);
            out[i] = r.nextBoolean() ? pack(a, b) : pack(b, a);
        }
        return out;
    }

    /** Concatenation of case arrays. */
    public static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
