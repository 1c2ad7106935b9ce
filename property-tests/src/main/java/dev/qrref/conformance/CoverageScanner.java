package dev.qrref.conformance;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import java.util.EnumSet;
import java.util.Set;

/** Finds the coverage classes a case really exercises, by looking at its configuration and its tensors. */
public final class CoverageScanner {
    private CoverageScanner() {
    }

    /** Scans at most this many elements per rank: the classes sit in every part of a generated tensor. */
    private static final int SCAN_LIMIT = 1 << 20;

    public static Set<Coverage> scan(CaseSpec c, short[][] inputs, int effectiveMaxBlocks) {
        Set<Coverage> hit = EnumSet.noneOf(Coverage.class);
        hit.add(switch (c.worldSize()) {
            case 2 -> Coverage.W2;
            case 4 -> Coverage.W4;
            default -> Coverage.W8;
        });
        hit.add(switch (c.level()) {
            case F16 -> Coverage.CODEC_FP;
            case INT8 -> Coverage.CODEC_INT8;
            case INT6 -> Coverage.CODEC_INT6;
            case INT4 -> Coverage.CODEC_INT4;
        });
        hit.add(switch (c.path()) {
            case FP16 -> Coverage.PATH_FP16;
            case BF16 -> Coverage.PATH_BF16;
            case BF16_CAST -> Coverage.PATH_BF16_CAST;
        });
        if (c.n() % Geometry.TILE_ELEMENTS != 0) {
            hit.add(Coverage.TAIL_TILE);
        }
        if (Geometry.numTiles(c.n()) > effectiveMaxBlocks) {
            hit.add(Coverage.MULTI_ITERATION);
        }
        Format16 in = c.path().dtype.format;
        double lowAmplitude = c.level().quantized() ? c.level().layout().levels() / 65504.0 : 0;
        int limit = (int) Math.min(c.n(), SCAN_LIMIT) / Geometry.GROUP_SPAN * Geometry.GROUP_SPAN;
        for (int span = 0; span < limit && !hit.contains(Coverage.ZERO_SPAN_ALL_RANKS); span += Geometry.GROUP_SPAN) {
            if (zeroOnEveryRank(inputs, span)) {
                hit.add(Coverage.ZERO_SPAN_ALL_RANKS);
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
