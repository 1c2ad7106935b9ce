package dev.qrref.cli.isa;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a demangled kernel name says: the all-reduce kernel {@code qr::twoshot_kernel<qr::CodecInt4,
 * qr::ArithNativeFp16, 2, (qr::PathId)0>} (codec, arithmetic policy, world size, data path) or the primitive-capture
 * kernel {@code capture_kernel<qr::ArithNativeFp16>} (policy only). Other functions have no policy and are not checked.
 *
 * @param family  {@code twoshot}, {@code capture} or {@code other}
 * @param policy  the {@code Arith*} struct, or null
 * @param codec   the codec of an all-reduce kernel, or null
 * @param world   the world size of an all-reduce kernel, or 0
 * @param path    the data path of an all-reduce kernel, or null
 */
public record KernelName(String family, String policy, QuantLevel codec, int world, DataPath path) {
    private static final Pattern TWOSHOT = Pattern.compile(
            "twoshot_kernel<qr::Codec([A-Za-z0-9]+), qr::(Arith[A-Za-z0-9]+), (\\d+), \\(qr::PathId\\)(\\d+)>");
    private static final Pattern CAPTURE = Pattern.compile("capture_kernel<qr::(Arith[A-Za-z0-9]+)>");

    public static KernelName of(String demangled) {
        Matcher t = TWOSHOT.matcher(demangled);
        if (t.find()) {
            // Codec<Name>: the codec's command-line name in lower case (CodecInt4 -> int4, CodecFp -> fp)
            QuantLevel codec = QuantLevel.fromName(t.group(1).toLowerCase(java.util.Locale.ROOT));
            // numerics.cuh's PathId numbers the data paths in the order of the spec's DataPath
            DataPath path = DataPath.values()[Integer.parseInt(t.group(4))];
            return new KernelName("twoshot", t.group(2), codec, Integer.parseInt(t.group(3)), path);
        }
        Matcher c = CAPTURE.matcher(demangled);
        if (c.find()) {
            return new KernelName("capture", c.group(1), null, 0, null);
        }
        return new KernelName("other", null, null, 0, null);
    }

    /** Short form for mismatch lines: {@code twoshot<int4, ArithNativeFp16, w2, fp16>}, {@code capture<ArithBf16>}. */
    public String shortName(String fallback) {
        return switch (family) {
            case "twoshot" -> "twoshot<" + codec.cliName() + ", " + policy + ", w" + world + ", " + path.id() + ">";
            case "capture" -> "capture<" + policy + ">";
            default -> fallback;
        };
    }
}
