package dev.qrref.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The 16-bit arithmetic constants of the integer codecs, per codec and compute format (rules ENC-1..ENC-4, DEC-1). All values
 * are the upstream literals; {@code SpecConstantsTest} decodes each one and checks it against its derivation.
 *
 * @param scaleFactor  SF = -1/L: decoding scale {@code d = M × SF}
 * @param epsilon      added to {@code d} before the reciprocal: 2^-24 for fp16, bf16(1e-7) for bf16
 * @param rangeMin     -L: lower clamp of {@code w}
 * @param rangeMax     L-1: upper clamp of {@code w}
 * @param bias         L as a 16-bit integer, added to the rounded code
 * @param decodeAdder  fp16 only: -(1024 + L), added to {@code 0x6400 | code} to get {@code code - L} exactly; 0 for bf16
 */
public record CodecConstants(QuantLevel level, Format16 format, int scaleFactor, int epsilon, int rangeMin, int rangeMax,
                             int bias, int decodeAdder) {

    /** fp16 1024.0: OR-ing a code below 1024 into its fraction gives {@code 1024 + code} exactly. */
    public static final int FP16_MAGIC_1024 = 0x6400;

    public static CodecConstants of(QuantLevel level, Format16 format) {
        boolean h = format == Format16.FP16;
        return switch (level) {
            case INT8 -> new CodecConstants(level, format, h ? 0xA000 : 0xBC00, h ? 0x0001 : 0x33D7,
                    h ? 0xD800 : 0xC300, h ? 0x57F0 : 0x42FE, 0x0080, h ? 0xE480 : 0);
            case INT6 -> new CodecConstants(level, format, h ? 0xA800 : 0xBD00, h ? 0x0001 : 0x33D7,
                    h ? 0xD000 : 0xC200, h ? 0x4FC0 : 0x41F8, 0x0020, h ? 0xE420 : 0);
            case INT4 -> new CodecConstants(level, format, h ? 0xB000 : 0xBE00, h ? 0x0001 : 0x33D7,
                    h ? 0xC800 : 0xC100, h ? 0x4700 : 0x40E0, 0x0008, h ? 0xE408 : 0);
            case F16 -> throw new IllegalArgumentException("the FP codec has no quantization constants");
        };
    }

    static List<Constant> constants() {
        List<Constant> out = new ArrayList<>();
        String g = "codec arithmetic";
        for (QuantLevel q : List.of(QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4)) {
            int l = q.layout().levels();
            for (Format16 f : Format16.values()) {
                CodecConstants c = of(q, f);
                String p = q.name() + "_" + f.name() + "_";
                String t = " (" + f.id() + ")";
                out.add(new Constant(p + "SCALE_FACTOR", c.scaleFactor, 16, "-1/" + l + t, "-1/L, exact power of two", g));
                out.add(new Constant(p + "EPSILON", c.epsilon, 16, f == Format16.FP16 ? "2^-24" + t : "1.6796875 x 2^-24" + t,
                        f == Format16.FP16 ? "smallest positive subnormal (upstream kScaleEpsilon)" : "bf16 nearest to 1e-7 (upstream kScaleEpsilon)", g));
                out.add(new Constant(p + "RANGE_MIN", c.rangeMin, 16, "-" + l + t, "-L", g));
                out.add(new Constant(p + "RANGE_MAX", c.rangeMax, 16, (l - 1) + t, "L-1", g));
                if (f == Format16.FP16) {
                    out.add(new Constant(p + "DECODE_ADDER", c.decodeAdder, 16, "-" + (1024 + l) + t, "-(1024 + L)", g));
                }
            }
            out.add(new Constant(q.name() + "_BIAS", of(q, Format16.FP16).bias, 16, Integer.toString(l), "L, added as int16", g));
        }
        out.add(new Constant("FP16_MAGIC_1024", FP16_MAGIC_1024, 16, "1024.0 (fp16)", "exponent 10, fraction 0: fraction bits count units", g));
        return out;
    }
}
