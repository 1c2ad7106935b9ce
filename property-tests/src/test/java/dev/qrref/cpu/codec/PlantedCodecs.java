package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.spec.QuantLevel;

/**
 * Builds CPU-model codecs around a quantizer with a planted fault, through the package-private seam of
 * {@link GroupQuantizer}. Test code only: it lives in the codec package to reach that seam.
 */
public final class PlantedCodecs {
    private PlantedCodecs() {
    }

    /** A quantizer whose code table holds {@code code} for the pattern {@code w} (every other entry untouched). */
    public static GroupQuantizer quantizer(QuantLevel level, Arith16 arith, int w, int code) {
        return new GroupQuantizer(level, arith, (bits, right) -> bits == w ? code : right);
    }

    /** The INT4 codec around {@code q}. */
    public static Codec int4(GroupQuantizer q) {
        return new Int4Codec(q);
    }
}
