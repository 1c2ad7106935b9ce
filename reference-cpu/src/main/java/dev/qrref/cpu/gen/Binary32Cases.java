package dev.qrref.cpu.gen;

import dev.qrref.spec.Format16;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * binary32 inputs for the conversions binary32 → fp16 / bf16, as raw binary32 bit patterns (so NaN payloads survive):
 * every 16-bit value, every midpoint between neighbouring values (ties), each midpoint ± 1 binary32 ulp, the overflow
 * threshold and the subnormal boundaries (which are such midpoints: half the smallest subnormal, half an ulp above the
 * largest finite value), binary32 specials, then random inputs.
 */
public final class Binary32Cases {
    private Binary32Cases() {
    }

    /**
     * The structured set for {@code f}: for each non-negative non-NaN pattern its value, the midpoint to the next
     * pattern (for the largest finite value: the overflow threshold), and that midpoint ± 1 binary32 ulp; all with both
     * signs; then {@link #specials}.
     */
    public static int[] structured(Format16 f) {
        int[] out = new int[8 * (f.positiveInfinity + 1) + specials().length];
        int n = 0;
        for (int bits = 0; bits <= f.positiveInfinity; bits++) {
            float v = Float.intBitsToFloat(Patterns16.toBinary32Bits(f, bits));
            out[n++] = Float.floatToRawIntBits(v);
            if (bits == f.positiveInfinity) {
                continue;
            }
            // the next value up; past the largest finite value the exponent range would go on at 2^(emax+1), which is
            // beyond binary32 for bf16, hence double
            double next = bits == f.maxFinite ? Math.scalb(1.0, Patterns16.maxExponent(f) + 1)
                    : Float.intBitsToFloat(Patterns16.toBinary32Bits(f, bits + 1));
            // v and next differ in their last significand bit, so the midpoint has one bit more: exact in binary32
            float mid = (float) ((v + next) / 2);
            out[n++] = Float.floatToRawIntBits(mid);
            out[n++] = Float.floatToRawIntBits(Math.nextDown(mid));
            out[n++] = Float.floatToRawIntBits(Math.nextUp(mid));
        }
        int half = n;
        for (int i = 0; i < half; i++) {
            out[n++] = out[i] ^ 0x80000000;
        }
        for (int s : specials()) {
            out[n++] = s;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * binary32 values every conversion must handle: zeros, infinities, the extremes of binary32, binary32 subnormals,
     * and NaNs whose payload lies only in the low 16 bits (truncating those to bf16 would give an infinity).
     */
    public static int[] specials() {
        int[] pos = {0x00000000, 0x00000001, 0x00000002, 0x003FFFFF, 0x00400000, 0x007FFFFF, 0x00800000, 0x00800001,
            0x3F800000, 0x7F7FFFFF, 0x7F7F7FFF, 0x7F7F8000, 0x7F7F8001, 0x7F7FFFFE, 0x7F800000,
            0x7F800001, 0x7F800100, 0x7F8000FF, 0x7F808000, 0x7FBFFFFF, 0x7FC00000, 0x7FC00001, 0x7FFFFFFF};
        int[] out = new int[2 * pos.length];
        for (int i = 0; i < pos.length; i++) {
            out[2 * i] = pos[i];
            out[2 * i + 1] = pos[i] | 0x80000000;
        }
        return out;
    }

    /**
     * {@code n} random inputs: a quarter uniform binary32 bit patterns, the rest with random sign and fraction and an
     * exponent within the format's range widened by 3 on both sides (subnormal results, underflow to zero, overflow).
     */
    public static int[] random(Format16 f, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int lo = Patterns16.minSubnormalExponent(f) - 3;
        int hi = Patterns16.maxExponent(f) + 3;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (r.nextInt(4) == 0) {
                out[i] = r.nextInt();
                continue;
            }
            int e = Math.clamp(lo + r.nextInt(hi - lo + 1), -149, 127);
            // a binary32 with that leading exponent: normal, or subnormal below 2^-126 (the unit is then one bit)
            int unit = Float.floatToRawIntBits(Math.scalb(1.0f, e));
            int frac = r.nextBoolean() ? r.nextInt(1 << 23) : structuredFraction(r);
            int magnitude = e >= -126 ? unit | frac : unit | (frac & (unit - 1));
            out[i] = magnitude | (r.nextBoolean() ? 0x80000000 : 0);
        }
        return out;
    }

    /** The structured set followed by random inputs up to {@code total} (at least the structured set). */
    public static int[] all(Format16 f, long seed, int total) {
        int[] s = structured(f);
        return PairCases.concat(s, random(f, seed, Math.max(0, total - s.length)));
    }

    /**
     * A 23-bit fraction made of one run of ones and one of zeros, sometimes with one bit flipped: the bits below a
     * 16-bit format's last place are then often a tie or within one binary32 ulp of one.
     */
    private static int structuredFraction(SplittableRandom r) {
        int k = r.nextInt(24);
        int ones = (1 << k) - 1;
        int x = r.nextBoolean() ? ones : ~ones & 0x7FFFFF;
        return x ^ (r.nextInt(4) == 0 ? 1 << r.nextInt(23) : 0);
    }
}
