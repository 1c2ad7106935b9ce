package dev.qrref.docs;

import dev.qrref.cpu.arith.Fp8;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Profile;
import java.util.ArrayList;
import java.util.List;

/**
 * The fp8 formats of the FP8 codec per numerics profile: the format's fields ({@link Fp8Format}), the profile's rule
 * beyond the range ({@link Profile#fp8Saturates()}) and how the project knows it (the profile's "fp8 conversion" fact).
 * The range edge is found with the model's conversion ({@link Fp8}). Writes {@code fp8-formats.adoc} and
 * {@code fp8-attrs.adoc}.
 */
final class Fp8Formats {
    private Fp8Formats() {
    }

    /** The operation name of the profiles' fact about the fp8 conversion. */
    static final String FACT = "fp8 conversion";

    static void write(Out out) {
        List<List<String>> rows = new ArrayList<>();
        for (Profile p : Profile.values()) {
            Fp8Format f = p.fp8Format();
            Profile.Fact fact = fact(p);
            rows.add(List.of(Adoc.mono(p.id()), Adoc.mono(f.id()), Integer.toString(f.exponentBias),
                    Num.g(f.maxValue()) + " (" + hex8(f.maxFinite) + ")", Num.g(f.minSubnormal()), nanCodes(f),
                    f.unsignedZero ? "no (a negative value that rounds to zero gives +0)" : "yes (" + hex8(Fp8Format.SIGN_MASK) + ")",
                    Num.g(Format16.FP16.toDouble(firstBeyond(f))), beyond(p),
                    Adoc.text(fact.status()) + ": " + Adoc.text(fact.source())));
        }
        out.adoc("fp8-formats.adoc", Adoc.table("The FP8 codec's conversion per profile (Profile, Fp8Format; the range edge found with the "
                        + "model's conversion)", "1,1,1,1,1,1,2,1,1,4",
                List.of("Profile", "Format", "Exponent bias", "Largest finite", "Smallest subnormal", "NaN codes", "Negative zero",
                        "Smallest fp16 w beyond the range", "Beyond the range, and ±inf", "Status and source"), rows, "", "small"));
        out.adoc("fp8-attrs.adoc", attrs());
    }

    /**
     * {@code fp8-fraction-bits}, {@code fp8-exponent-bits}; per format {@code fp8-<format>-bias}, {@code -max},
     * {@code -max-code}, {@code -nan}, {@code -beyond-from}, {@code -min-sub}, {@code -min-normal}, {@code -profiles}; per
     * profile {@code fp8-<profile>-format},
     * {@code -beyond}, {@code -status}.
     */
    static String attrs() {
        StringBuilder sb = new StringBuilder();
        sb.append(Adoc.attr("fp8-fraction-bits", Integer.toString(Fp8Format.FRACTION_BITS)))
                .append(Adoc.attr("fp8-exponent-bits", Integer.toString(Fp8Format.EXPONENT_BITS)));
        for (Fp8Format f : Fp8Format.values()) {
            String p = "fp8-" + f.id() + "-";
            List<String> users = new ArrayList<>();
            for (Profile pr : Profile.values()) {
                if (pr.fp8Format() == f) {
                    users.add(pr.id());
                }
            }
            sb.append(Adoc.attr(p + "bias", Integer.toString(f.exponentBias)))
                    .append(Adoc.attr(p + "max", Num.g(f.maxValue())))
                    .append(Adoc.attr(p + "max-code", hex8(f.maxFinite)))
                    .append(Adoc.attr(p + "nan", nanCodes(f)))
                    .append(Adoc.attr(p + "beyond-from", Num.g(Format16.FP16.toDouble(firstBeyond(f)))))
                    .append(Adoc.attr(p + "min-sub", Num.g(f.minSubnormal())))
                    .append(Adoc.attr(p + "min-normal", Num.g(f.toDouble(1 << Fp8Format.FRACTION_BITS))))
                    .append(Adoc.attr(p + "profiles", String.join(" and ", users)));
        }
        for (Profile pr : Profile.values()) {
            String p = "fp8-" + pr.id() + "-";
            sb.append(Adoc.attr(p + "format", pr.fp8Format().id()))
                    .append(Adoc.attr(p + "beyond", beyond(pr)))
                    .append(Adoc.attr(p + "status", fact(pr).status()));
        }
        return sb.toString();
    }

    static Profile.Fact fact(Profile p) {
        return p.facts().stream().filter(f -> f.operation().equals(FACT)).findFirst()
                .orElseThrow(() -> new IllegalStateException("profile " + p.id() + " has no fact named '" + FACT + "'"));
    }

    /** What a value beyond the range (or ±inf) converts to under {@code p}. */
    static String beyond(Profile p) {
        return p.fp8Saturates() ? "±" + Num.g(p.fp8Format().maxValue()) : "NaN";
    }

    /** The smallest positive fp16 value that the conversion without saturation turns into NaN: where the range ends. */
    static int firstBeyond(Fp8Format f) {
        Fp8 fp8 = new Fp8(f, false);
        for (int bits = 1; bits < Format16.FP16.positiveInfinity; bits++) {
            if (f.isNaN(fp8.fromFloat((float) Format16.FP16.toDouble(bits)))) {
                return bits;
            }
        }
        throw new IllegalStateException(f.id() + ": no finite fp16 value lies beyond the range");
    }

    static String nanCodes(Fp8Format f) {
        List<String> codes = new ArrayList<>();
        for (int c = 0; c < 256; c++) {
            if (f.isNaN(c)) {
                codes.add(hex8(c));
            }
        }
        return String.join(", ", codes);
    }

    static String hex8(int code) {
        return String.format("0x%02X", code & 0xFF);
    }
}
