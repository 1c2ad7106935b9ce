package dev.qrref.cli;

import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cli.data.Round16;
import dev.qrref.cli.explain.Fp8Trace;
import dev.qrref.cli.explain.Fp8TraceText;
import dev.qrref.cli.explain.GroupTrace;
import dev.qrref.cli.explain.TraceText;
import dev.qrref.spec.DType;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code qr explain}: a step-by-step trace of one quantization group through the model's encoder and decoder. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Traces ONE quantization group of 32 values through a quantizing codec, step by step: the inputs and their bits, "
                    + "the max/min tree and the signed absmax M (which element, tie rule), d = M*SF, EPS, e = rcp(d+EPS), "
                    + "and for each element w = x*e, the clamp, q = rint(w), the code, where its bits sit in the atom "
                    + "block, the decoded value and its error; then the packed bytes of the 8 lanes and the scale word. "
                    + "FP8 shows its abs-max a = max |x|, d = a*SF, and each w converted to the profile's e4m3 format "
                    + "(e4m3fn or e4m3fnuz), with what lies beyond its range.",
            "Every number comes from the CPU model's own steps and codec."},
        footer = {"", "Examples:",
            "  qr explain --codec int4 --values 3,-2.9,1,0.5,0,-1.4   # the dossier's example",
            "  qr explain --codec int8 --dtype bf16 --cast-bf16-to-fp16 --seed 7",
            "  qr explain --codec int4 --profile cdna3 --values 0,0   # an all-zero group",
            "  qr explain --codec fp8 --profile cdna3 --values 3,-2.9,1",
            "  qr explain --codec fp8 --values 0.001,-0.001   # below the reciprocal cliff"})
public final class ExplainCommand implements Callable<Integer> {
    /** The CPU model's default profile, used when no --profile is given. */
    static final Profile DEFAULT_PROFILE = Profile.CUDA;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--codec"}, required = true, paramLabel = "CODEC", converter = Converters.Codec.class,
            description = "A quantizing codec: ${COMPLETION-CANDIDATES} (fp sends raw values and has no group to trace).")
    QuantLevel codec;

    @Mixin
    NumericsOptions numerics;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.Seed.class,
            description = "Trace the group of seeded N(0,1) values that 'qr allreduce --random N --seed S' gives rank 0 at "
                    + "elements 0, 2, ..., 62 (the default, with seed 1).")
    Long seed;

    @Option(names = "--values", split = ",", paramLabel = "V",
            description = "Up to 32 comma-separated values (decimal, inf, -inf, nan, or 0x-hex bit patterns of the dtype), "
                    + "rounded to the dtype; missing ones are 0.")
    List<String> values;

    @Override
    public Integer call() {
        if (!codec.quantized()) {
            throw CliException.usage("--codec " + codec.cliName() + " sends raw values and has nothing to quantize: choose one of "
                    + java.util.Arrays.stream(QuantLevel.values()).filter(QuantLevel::quantized).map(QuantLevel::cliName)
                            .collect(java.util.stream.Collectors.joining(", ")));
        }
        if (seed != null && values != null) {
            throw CliException.usage("give --seed or --values, not both");
        }
        DType dtype = numerics.dtype();
        Profile profile = numerics.profileOr(DEFAULT_PROFILE);
        short[] span = new short[GroupTrace.SPAN];
        String source;
        if (values != null) {
            if (values.size() > GroupTrace.GROUP) {
                throw CliException.usage("--values: " + values.size() + " values given, a group holds " + GroupTrace.GROUP);
            }
            for (int m = 0; m < values.size(); m++) {
                span[2 * m] = (short) parse(values.get(m).strip(), dtype);
            }
            source = values.size() + " value(s) from --values rounded to " + dtype.id()
                    + (values.size() < GroupTrace.GROUP ? ", padded with zeros" : "") + "; the odd group is all zeros";
        } else {
            long s = seed == null ? 1 : seed;
            span = new RandomInputs(s, dtype, false).head(0, GroupTrace.SPAN);
            source = "N(0,1) with seed " + s + ": rank 0, elements 0..63 of 'qr allreduce --random N --seed " + s + " --dtype "
                    + dtype.id() + "'";
        }
        // render completely before printing: a failure leaves no half-printed trace
        java.io.StringWriter text = new java.io.StringWriter();
        if (codec.kind == QuantLevel.Kind.FP8) {
            Fp8TraceText.print(Fp8Trace.of(numerics.path(), profile, span), source, new java.io.PrintWriter(text));
        } else {
            TraceText.print(GroupTrace.of(codec, numerics.path(), profile, span), source, new java.io.PrintWriter(text));
        }
        spec.commandLine().getOut().print(text);
        return ExitCodes.OK;
    }

    /** One --values entry as bits of {@code dtype}. */
    static int parse(String v, DType dtype) {
        String s = v.toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            try {
                int bits = Integer.parseInt(s.substring(2), 16);
                if (bits > 0xFFFF) {
                    throw CliException.usage("--values: '" + v + "' has more than 16 bits");
                }
                return bits;
            } catch (NumberFormatException e) {
                throw CliException.usage("--values: '" + v + "' is not a hex bit pattern");
            }
        }
        double d = switch (s) {
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> {
                // Double.parseDouble would also take "1d", "0x1p3" and "NaN" spelled oddly: accept plain decimals only
                if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)(e[+-]?\\d+)?")) {
                    throw CliException.usage("--values: '" + v + "' is not a number (use decimals, inf, -inf, nan or 0x-hex bits)");
                }
                yield Double.parseDouble(s);
            }
        };
        return Round16.of(dtype, d);
    }
}
