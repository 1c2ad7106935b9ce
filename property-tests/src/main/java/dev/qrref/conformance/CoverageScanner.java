package dev.qrref.conformance;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.TreeSet;
import java.util.Set;

/** Finds the coverage classes a case really exercises, by looking at its configuration and its tensors. */
public final class CoverageScanner {
    private CoverageScanner() {
    }

    /** Scans at most this many elements per rank: the classes sit in every part of a generated tensor. */
    private static final int SCAN_LIMIT = 1 << 20;

    public static Set<Coverage> scan(CaseSpec c, short[][] inputs, int effectiveMaxBlocks) {
        Set<Coverage> hit = new TreeSet<>();
        hit.add(Coverage.world(c.worldSize()));
        hit.add(Coverage.codec(c.level()));
        hit.add(Coverage.path(c.path()));
        if (c.n() % Geometry.TILE_ELEMENTS != 0) {
            hit.add(Coverage.TAIL_TILE);
        }
        if (Geometry.numTiles(c.n()) > effectiveMaxBlocks) {
            hit.add(Coverage.MULTI_ITERATION);
        }
        Format16 in = c.path().dtype.format;
        double lowAmplitude = cliffAmplitude(c.level());
        int limit = (int) Math.min(c.n(), SCAN_LIMIT) / Geometry.GROUP_SPAN * Geometry.GROUP_SPAN;
        for (int span = 0; span < limit; span += Geometry.GROUP_SPAN) {
            if (zeroOnEveryRank(inputs, span)) {
                hit.add(Coverage.ZERO_SPAN);
                break;
            }
        }
        for (short[] v : inputs) {
            for (int span = 0; span < limit; span += Geometry.GROUP_SPAN) {
                for (int half = 0; half < 2; half++) {
                    scanGroup(c.path(), in, v, span + half, lowAmplitude, hit);
                }
            }
        }
        return hit;
    }

    /**
     * The group amplitude below which the fp16 reciprocal of the encoding scale overflows (the cliff, dossier §7.2):
     * {@code |d| < 2^-16} for {@code d = M/L} (integer codecs) or {@code d = absmax/240} (FP8); 0 for the FP codec.
     */
    static double cliffAmplitude(QuantLevel q) {
        return switch (q.kind) {
            case RAW -> 0;
            case INTEGER -> q.levels() / 65504.0;
            case FP8 -> dev.qrref.spec.CodecConstants.FP8_TARGET_MAX / 65504.0;
        };
    }

    private static boolean zeroOnEveryRank(short[][] inputs, int span) {
        for (short[] v : inputs) {
            for (int i = span; i < span + Geometry.GROUP_SPAN; i++) {
                if ((v[i] & 0x7FFF) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void scanGroup(DataPath path, Format16 f, short[] v, int first, double lowAmplitude, Set<Coverage> hit) {
        boolean allZero = true;
        boolean allEqual = true;
        double maxMag = 0;
        boolean maxPositive = false;
        boolean maxNegative = false;
        for (int i = first; i < first + Geometry.GROUP_SPAN; i += 2) {
            int b = v[i] & 0xFFFF;
            if (f.isNaN(b)) {
                hit.add(Coverage.NAN);
                allZero = false;
                continue;
            }
            if (f.isInfinite(b)) {
                hit.add(Coverage.INF);
            }
            if (f.isSubnormal(b)) {
                hit.add(Coverage.SUBNORMAL);
            }
            allZero &= f.isZero(b);
            allEqual &= b == (v[first] & 0xFFFF);
            double x = f.toDouble(b);
            double mag = Math.abs(x);
            if (mag > maxMag) {
                maxMag = mag;
                maxPositive = x > 0;
                maxNegative = x < 0;
            } else if (mag == maxMag && mag > 0) {
                maxPositive |= x > 0;
                maxNegative |= x < 0;
            }
            // an fp16 value near the top of the range overflows in a sum of two; a bf16 value beyond 65504 in the cast
            if (Double.isFinite(x) && (path == DataPath.BF16_CAST ? mag >= 65520 : (f == Format16.FP16 && mag >= 32768))) {
                hit.add(Coverage.SATURATING_GROUP);
            }
        }
        if (allZero) {
            hit.add(Coverage.ZERO_GROUP);
        } else if (allEqual) {
            hit.add(Coverage.ALL_EQUAL_GROUP);
        }
        if (maxPositive && maxNegative) {
            hit.add(Coverage.TIE_GROUP);
        }
        if (!allZero && maxMag > 0 && maxMag < lowAmplitude) {
            hit.add(Coverage.LOW_AMPLITUDE_GROUP);
        }
    }

}
