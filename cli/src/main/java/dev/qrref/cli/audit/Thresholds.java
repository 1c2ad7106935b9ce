package dev.qrref.cli.audit;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.QuantLevel;

/** Where a codec's arithmetic leaves the compute format, found by running its own constants through the arithmetic. */
public final class Thresholds {
    private Thresholds() {
    }

    /**
     * The smallest positive group absmax M whose encoding scale {@code rcp(M·SF + EPS)} fits {@code format} (computed
     * without saturation); groups below it fall off the reciprocal cliff. 0 when every positive M fits (no cliff, as on
     * the native bf16 path), NaN for the FP codec.
     */
    public static double cliff(QuantLevel level, Format16 format) {
        if (!level.quantized()) {
            return Double.NaN;
        }
        Arith16 plain = new Arith16(format, false);
        CodecConstants k = CodecConstants.of(level, format);
        // |rcp| falls as |M| grows, so the first M that fits is the threshold; EPS moves d + EPS towards or away from
        // zero depending on the sign of M, so both signs are tried and the larger threshold is the cliff
        double cliff = 0;
        for (int sign : new int[]{0, format.signMask}) {
            for (int m = 1; m <= format.maxFinite; m++) {
                int d = plain.mul(m | sign, k.scaleFactor());
                if (format.isFinite(plain.rcp(plain.add(d, k.epsilon())))) {
                    cliff = Math.max(cliff, m == 1 ? 0 : format.toDouble(m));
                    break;
                }
            }
        }
        return cliff;
    }

    /** The largest finite value of the compute format: a cast or a sum beyond it overflows (or saturates). */
    public static double overflow(Format16 format) {
        return format.toDouble(format.maxFinite);
    }
}
