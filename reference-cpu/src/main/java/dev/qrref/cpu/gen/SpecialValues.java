package dev.qrref.cpu.gen;

import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.QuantLevel;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * Special-value tables per 16-bit format (TestFloat's special operands), every entry with both signs: zeros, the
 * subnormal and normal boundaries, values around powers of two, the overflow edge, infinities, quiet and signalling
 * NaNs, the codec constants; for bf16 also the values around the fp16 thresholds that the bf16→fp16 cast meets. All
 * are derived from the format's field widths, so the tables follow {@link Format16}.
 */
public final class SpecialValues {
    private SpecialValues() {
    }

    /** The table of {@code f}: sorted by pattern, no duplicates. */
    public static int[] of(Format16 f) {
        TreeSet<Integer> s = new TreeSet<>();
        int frac = f.fractionMask;
        int minNormal = 1 << f.fractionBits;
        // zero, the subnormal range and its boundary with the normals
        for (int v : new int[] {0, 1, 2, 3, frac >>> 1, frac - 1, frac, minNormal, minNormal + 1, minNormal | frac}) {
            s.add(v);
        }
        // 1, around 1, and the overflow edge
        s.add(f.one);
        s.add(f.one - 1);
        s.add(f.one + 1);
        s.add(f.one | f.quietBit); // 1.5
        s.add(f.maxFinite);
        s.add(f.maxFinite - 1);
        s.add(f.maxFinite & ~frac); // largest power of two
        s.add(f.positiveInfinity);
        // quiet NaNs (canonical, quiet bit alone) and signalling NaNs (lowest payload, highest signalling payload)
        s.add(f.canonicalNaN);
        s.add(f.positiveInfinity | f.quietBit);
        s.add(f.positiveInfinity | 1);
        s.add(f.positiveInfinity | (f.quietBit - 1));
        // each power of two in the chosen exponents, its neighbours, and 1.5 times it
        for (int e : powerExponents(f)) {
            int p = Patterns16.normal(f, false, e, 0);
            s.add(p);
            s.add(p - 1);
            s.add(p + 1);
            s.add(p | f.quietBit);
        }
        if (f == Format16.FP16) {
            // 65504 + 16 = 65520 is the overflow threshold (a tie that rounds to even = 65536 = inf);
            // 8, 16, 32 and their neighbours reach it from the largest finite values
            for (double v : new double[] {8, 16, 32, 15.9921875, 16.015625}) {
                s.add(Patterns16.exact(f, false, (long) (v * 1024), -10));
            }
        } else {
            for (int v : castBoundaries()) {
                s.add(v & 0x7FFF);
            }
        }
        for (int v : codecConstants(f)) {
            s.add(v & 0x7FFF);
        }
        int[] out = new int[2 * s.size()];
        int i = 0;
        for (int v : s) {
            out[i++] = v;
            out[i++] = v | f.signMask;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * bf16 values (positive) at and around the fp16 thresholds the bf16→fp16 cast meets: half the smallest subnormal
     * (the tie between 0 and 2^-24), the smallest subnormal, 1.5 × 2^-24 (a tie between subnormals), the largest
     * subnormal, the smallest normal 2^-14, the largest finite 65504, the overflow threshold 65520 and the first bf16
     * values beyond the fp16 range. For each threshold: the nearest bf16 values below and above and their neighbours.
     */
    public static int[] castBoundaries() {
        double[] thresholds = {0x1p-25, 0x1p-24, 0x1.8p-24, 0x1p-14, 1023 * 0x1p-24, 65504, 65520, 65536, 0x1p17};
        TreeSet<Integer> s = new TreeSet<>();
        for (double t : thresholds) {
            // bf16 is the upper half of binary32: truncating the binary32 bits gives the bf16 value at or below t
            int below = Float.floatToRawIntBits((float) t) >>> 16;
            for (int d = -2; d <= 3; d++) {
                s.add(below + d);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The integer codecs' 16-bit constants in {@code f} (scale factors, epsilon, clamp bounds, decode adders, 1024). */
    public static int[] codecConstants(Format16 f) {
        TreeSet<Integer> s = new TreeSet<>();
        for (QuantLevel q : QuantLevel.values()) {
            if (!q.quantized()) {
                continue;
            }
            CodecConstants c = CodecConstants.of(q, f);
            s.add(c.scaleFactor());
            s.add(c.epsilon());
            s.add(c.rangeMin());
            s.add(c.rangeMax());
            if (f == Format16.FP16) {
                s.add(c.decodeAdder());
            }
        }
        if (f == Format16.FP16) {
            s.add(CodecConstants.FP16_MAGIC_1024);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** fp16: every normal exponent. bf16: the ends of its range, around 1, and around the fp16 range's ends. */
    private static int[] powerExponents(Format16 f) {
        int lo = Patterns16.minExponent(f);
        int hi = Patterns16.maxExponent(f);
        if (f == Format16.FP16) {
            int[] all = new int[hi - lo + 1];
            for (int e = lo; e <= hi; e++) {
                all[e - lo] = e;
            }
            return all;
        }
        return new int[] {lo, lo + 1, lo + 2, -26, -25, -24, -15, -14, -13, -2, -1, 0, 1, 2, 15, 16, 17, hi - 1, hi};
    }
}
