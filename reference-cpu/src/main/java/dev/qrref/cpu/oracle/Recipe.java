package dev.qrref.cpu.oracle;

import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;

/**
 * What one quantizing codec does to a group, as the dossier's numbers (§4.1, §4.2, §4.6): the only input of the
 * element-wise model's quantizer besides the 16-bit operations. The numbers come from {@code spec}; nothing here is
 * shared with the CPU model's fast path.
 *
 * @param scale       how the group's scale element M is chosen
 * @param scaleFactor SF: {@code d = T(M × SF)}
 * @param epsilon     EPS: {@code e = rcp(T(d + EPS))}
 * @param rangeMin    RMIN = -L (integer codecs): lower clamp of {@code w}, and what a NaN {@code w} becomes
 * @param rangeMax    RMAX = L - 1 (integer codecs): upper clamp
 * @param bias        BIAS = L (integer codecs): {@code code = rint(w) + BIAS}
 * @param decodeAdder fp16 constant {@code -(1024 + L)} when the decode ORs the code into 1024.0 and adds it; 0 when it
 *                    converts the code to T exactly and adds RMIN (bf16, INT3)
 * @param fp8         the 8-bit format the FP8 codec converts {@code w} to, or null for the integer codecs
 * @param fp8Overflow what the FP8 conversion gives past the format's range (null for the integer codecs)
 */
public record Recipe(Scale scale, int scaleFactor, int epsilon, int rangeMin, int rangeMax, int bias, int decodeAdder,
                     Fp8Literal.Format fp8, Fp8Literal.Overflow fp8Overflow) {

    /** Which group element scales the group (dossier §3). */
    public enum Scale {
        /** the signed element of largest magnitude, ties to the negative one (integer codecs) */
        SIGNED_ABSMAX,
        /** the largest magnitude, sign dropped (FP8) */
        ABSMAX
    }

    /** An integer codec (clamp, rint, bias). */
    public static Recipe integer(int scaleFactor, int epsilon, int rangeMin, int rangeMax, int bias, int decodeAdder) {
        return new Recipe(Scale.SIGNED_ABSMAX, scaleFactor, epsilon, rangeMin, rangeMax, bias, decodeAdder, null, null);
    }

    /** The FP8 codec: abs-max scale, no clamp, conversion of {@code w} to {@code format} with {@code overflow}. */
    public static Recipe fp8(int scaleFactor, int epsilon, Fp8Literal.Format format, Fp8Literal.Overflow overflow) {
        return new Recipe(Scale.ABSMAX, scaleFactor, epsilon, 0, 0, 0, 0, format, overflow);
    }

    /** The recipe of {@code level} in the compute format {@code compute} under {@code profile}, from the spec's constants. */
    public static Recipe of(QuantLevel level, Format16 compute, Profile profile) {
        if (!level.quantized()) {
            throw new IllegalArgumentException(level.cliName() + " does not quantize");
        }
        CodecConstants k = CodecConstants.of(level, compute);
        if (level.kind == QuantLevel.Kind.FP8) {
            return fp8(k.scaleFactor(), k.epsilon(), Fp8Literal.formatOf(profile), Fp8Literal.overflowOf(profile));
        }
        return integer(k.scaleFactor(), k.epsilon(), k.rangeMin(), k.rangeMax(), k.bias(), k.decodeAdder());
    }

    public boolean isFp8() {
        return fp8 != null;
    }
}
