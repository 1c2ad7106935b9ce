package dev.qrref.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The 16-bit arithmetic constants of the quantized codecs, per codec and compute format (rules ENC-1..ENC-4, DEC-1).
 * The scale factors are the upstream literals of the codec's row; the rest follow from {@code L} and the format.
 * {@code SpecConstantsTest} decodes each one and checks it against its derivation and the dossier's literal.
 *
 * @param scaleFactor  SF: integer codecs -1/L (decoding scale {@code d = M × SF}); FP8 about +1/240
 * @param epsilon      added to {@code d} before the reciprocal: 2^-24 for fp16, bf16(1e-7) for bf16
 * @param rangeMin     integer codecs: -L, the lower clamp of {@code w} (0 for FP8: no clamp)
 * @param rangeMax     integer codecs: L-1, the upper clamp (0 for FP8)
 * @param bias         integer codecs: L as a 16-bit integer, added to the rounded code (0 for FP8)
 * @param decodeAdder  fp16 integer codecs that decode through 1024.0: -(1024 + L); 0 otherwise
 */
public record CodecConstants(QuantLevel level, Format16 format, int scaleFactor, int epsilon, int rangeMin, int rangeMax,
                             int bias, int decodeAdder) {

    /** fp16 1024.0: OR-ing a code below 1024 into its fraction gives {@code 1024 + code} exactly. */
    public static final int FP16_MAGIC_1024 = 0x6400;
    /** fp16 2^-24, the smallest positive subnormal (upstream {@code kScaleEpsilon} for half). */
    public static final int FP16_EPSILON = 0x0001;
    /** bf16 nearest to 1e-7: 1.6796875 × 2^-24 (upstream {@code kScaleEpsilon} for bf16). */
    public static final int BF16_EPSILON = 0x33D7;
    /** The magnitude FP8 scales a group's absmax to: SF ≈ 1/240 (the e4m3fnuz maximum). */
    public static final int FP8_TARGET_MAX = 240;

    public static CodecConstants of(QuantLevel level, Format16 format) {
        if (!level.quantized()) {
            throw new IllegalArgumentException("the FP codec has no quantization constants");
        }
        boolean h = format == Format16.FP16;
        int sf = h ? level.scaleFactorFp16 : level.scaleFactorBf16;
        int eps = h ? FP16_EPSILON : BF16_EPSILON;
        if (level.kind == QuantLevel.Kind.FP8) {
            return new CodecConstants(level, format, sf, eps, 0, 0, 0, 0);
        }
        int l = level.levels();
        int adder = h && level.fp16Decode == QuantLevel.Fp16Decode.MAGIC_1024 ? format.exact(-(1024.0 + l)) : 0;
        return new CodecConstants(level, format, sf, eps, format.exact(-l), format.exact(l - 1), l, adder);
    }

    static List<Constant> constants() {
        List<Constant> out = new ArrayList<>();
        String g = "codec arithmetic";
        for (QuantLevel q : QuantLevel.values()) {
            if (!q.quantized()) {
                continue;
            }
            boolean fp8 = q.kind == QuantLevel.Kind.FP8;
            int l = q.levels();
            for (Format16 f : Format16.values()) {
                CodecConstants c = of(q, f);
                String p = q.cName() + "_" + f.name() + "_";
                String t = " (" + f.id() + ")";
                out.add(fp8
                        ? new Constant(p + "SCALE_FACTOR", c.scaleFactor, 16, f.toDouble(c.scaleFactor) + t,
                                f == Format16.FP16 ? "fp16 nearest to 1/240 (upstream literal)"
                                        : "bf16 of the fp16 constant, a tie rounded to even (upstream literal)", g)
                        : new Constant(p + "SCALE_FACTOR", c.scaleFactor, 16, "-1/" + l + t, "-1/L, exact power of two", g));
                out.add(new Constant(p + "EPSILON", c.epsilon, 16, f == Format16.FP16 ? "2^-24" + t : "1.6796875 x 2^-24" + t,
                        f == Format16.FP16 ? "smallest positive subnormal (upstream kScaleEpsilon)" : "bf16 nearest to 1e-7 (upstream kScaleEpsilon)", g));
                if (!fp8) {
                    out.add(new Constant(p + "RANGE_MIN", c.rangeMin, 16, "-" + l + t, "-L", g));
                    out.add(new Constant(p + "RANGE_MAX", c.rangeMax, 16, (l - 1) + t, "L-1", g));
                }
                if (!fp8 && f == Format16.FP16) {
                    boolean magic = q.fp16Decode == QuantLevel.Fp16Decode.MAGIC_1024;
                    out.add(new Constant(p + "DECODE_MAGIC", magic ? 1 : 0, 32, magic ? "1: through 1024.0" : "0: int to half + RMIN",
                            "how code - L is formed (QuantLevel.fp16Decode)", g));
                    out.add(new Constant(p + "DECODE_ADDER", c.decodeAdder, 16, magic ? "-" + (1024 + l) + t : "0 (unused)",
                            magic ? "-(1024 + L)" : "no 1024.0 trick for this codec", g));
                }
            }
            if (!fp8) {
                out.add(new Constant(q.cName() + "_BIAS", of(q, Format16.FP16).bias, 16, Integer.toString(l), "L, added as int16", g));
            }
        }
        out.add(new Constant("FP16_MAGIC_1024", FP16_MAGIC_1024, 16, "1024.0 (fp16)", "exponent 10, fraction 0: fraction bits count units", g));
        out.add(new Constant("FP8_TARGET_MAX", FP8_TARGET_MAX, 32, "240", "FP8 maps a group's absmax to about 240 (SF = 1/240)", g));
        return out;
    }
}
