package dev.qrref.cli.audit;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Where a codec's arithmetic leaves the compute format, found by running the codec itself. */
public final class Thresholds {
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Thresholds() {
    }

    /**
     * The smallest positive group absmax M whose encoding scale {@code rcp(d + EPS)} fits {@code format} (computed
     * without saturation), where {@code d} is the decoding scale the codec itself stores for a group of values ±M (both
     * signs are tried, since EPS moves {@code d + EPS} towards or away from zero depending on the sign of d). Groups
     * below it fall off the reciprocal cliff. 0 when every positive M fits (no cliff, as on the native bf16 path), NaN
     * for the FP codec.
     */
    public static double cliff(QuantLevel level, Format16 format) {
        if (!level.quantized()) {
            return Double.NaN;
        }
        // the decoding scale does not depend on the profile (d = M x SF does not overflow), so any profile will do
        Codec codec = Codec.of(level, NumericsProfile.of(Profile.values()[0]), format);
        Arith16 plain = new Arith16(format, false);
        int eps = CodecConstants.of(level, format).epsilon();
        MemorySegment block = MemorySegment.ofArray(new byte[level.layout().stride()]);
        short[] row = new short[Geometry.ATOM_ELEMENTS];
        // fits(M) is monotone in M (|d| grows with M), so bisect over the positive finite patterns, which sort like values
        int lo = 1;
        int hi = format.maxFinite;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (fits(codec, plain, eps, block, row, mid, format)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (!fits(codec, plain, eps, block, row, lo, format)) {
            return Double.POSITIVE_INFINITY;
        }
        return lo == 1 ? 0 : format.toDouble(lo);
    }

    private static boolean fits(Codec codec, Arith16 plain, int eps, MemorySegment block, short[] row, int m, Format16 format) {
        for (int sign : new int[]{0, format.signMask}) {
            Arrays.fill(row, (short) (m | sign));
            codec.encodeAtom(row, 0, block, 0);
            int d = block.get(WORD, codec.layout().scaleOffset()) & 0xFFFF;
            if (!format.isFinite(plain.rcp(plain.add(d, eps)))) {
                return false;
            }
        }
        return true;
    }

    /** The largest finite value of the compute format: a cast or a sum beyond it overflows (or saturates). */
    public static double overflow(Format16 format) {
        return format.toDouble(format.maxFinite);
    }
}
