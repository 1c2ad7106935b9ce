package dev.qrref.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qrref.cli.Qr;
import dev.qrref.cli.audit.Hazard;
import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cli.data.Round16;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The worked audits of the guide: tensors built to reproduce two reported failures, audited by the real
 * {@code qr audit} command (run in-process during the build) whose output is shown as printed. The tensors and the HTML
 * reports are copied into the site so that a reader can rerun the audit. Writes {@code audit-*.adoc}.
 *
 * <ul>
 *   <li>the reciprocal cliff (SGLang #40084): two ranks of N(0,1) bf16 activations, except one group per rank whose
 *       values are scaled so that its absmax is bf16(1e-3), audited under INT8 with the cast;</li>
 *   <li>the cast overflow (vLLM #55345, SGLang #34473): two ranks of N(0,1) bf16 activations, one of which holds
 *       bf16(1e30), audited under FP and INT8 with the cast.</li>
 * </ul>
 */
final class AuditDemo {
    private AuditDemo() {
    }

    static final int N = 16384;
    static final long SEED = 40084;

    static void write(Out out) throws IOException {
        Path base = out.site.resolve("audit");
        // the cliff: one group of each rank (the even group of elements 0..63) scaled to absmax 1e-3
        short[][] cliff = gaussian(SEED);
        RandomInputs shape = new RandomInputs(SEED + 1, DType.BF16, false);
        for (int r = 0; r < cliff.length; r++) {
            short[] g = shape.head(r, 32);
            double max = 0;
            for (short v : g) {
                max = Math.max(max, Math.abs(Round16.value(DType.BF16, v & 0xFFFF)));
            }
            for (int m = 0; m < 32; m++) {
                cliff[r][2 * m] = (short) Round16.bf16(Round16.value(DType.BF16, g[m] & 0xFFFF) * 1e-3 / max);
            }
        }
        JsonNode c = run(out, base, "cliff", cliff, "--cast-bf16-to-fp16", "--codecs", "int8", "--worst", "2");

        // the cast overflow: rank 0's element 10 is 1e30
        short[][] cast = gaussian(SEED + 2);
        cast[0][10] = (short) Round16.bf16(1e30);
        JsonNode k = run(out, base, "cast", cast, "--cast-bf16-to-fp16", "--codecs", "fp,int8", "--worst", "1");

        StringBuilder attrs = new StringBuilder();
        attrs.append(Adoc.attr("audit-n", Integer.toString(N)));
        String cliffAt = "/codecs/int8/profiles/";
        for (String p : List.of("cuda", "cdna3", "cdna4")) {
            JsonNode s = c.at(cliffAt + p);
            attrs.append(Adoc.attr("audit-cliff-sqnr-" + p, db(s.get("sqnr_db"))));
            attrs.append(Adoc.attr("audit-cliff-group-sqnr-" + p, db(s.at("/hazards/reciprocal_cliff/sqnr_db"))));
            attrs.append(Adoc.attr("audit-cliff-gain-" + p, gain(s.at("/hazards/reciprocal_cliff/worst"), 1)));
            attrs.append(Adoc.attr("audit-cliff-phase2-groups-" + p, s.at("/hazards/reciprocal_cliff/phase2/groups").asText()));
        }
        attrs.append(Adoc.attr("audit-cliff-gain2-cdna3", gain(c.at(cliffAt + "cdna3/hazards/reciprocal_cliff/worst"), 2)));
        attrs.append(Adoc.attr("audit-cliff-threshold", num(c.at("/thresholds/reciprocal_cliff/int8").asDouble())));
        attrs.append(Adoc.attr("audit-cliff-recommendation", c.get("recommendation").asText()));
        for (String p : List.of("cuda", "cdna3")) {
            attrs.append(Adoc.attr("audit-cast-int8-nonfinite-" + p, k.at("/codecs/int8/profiles/" + p + "/nonfinite_from_finite").asText()));
            attrs.append(Adoc.attr("audit-cast-fp-nonfinite-" + p, k.at("/codecs/fp/profiles/" + p + "/nonfinite_from_finite").asText()));
            attrs.append(Adoc.attr("audit-cast-int8-maxerr-" + p, num(k.at("/codecs/int8/profiles/" + p + "/max_abs_error").asDouble())));
        }
        attrs.append(Adoc.attr("audit-cast-spread", k.at("/codecs/int8/profiles/cuda/hazards/cast_overflow/phase1/spread").asText()));
        attrs.append(Adoc.attr("audit-cast-recommendation", k.get("recommendation").asText()));
        out.adoc("audit-attrs.adoc", attrs.toString());

        List<List<String>> rows = new ArrayList<>();
        for (Hazard h : Hazard.values()) {
            rows.add(List.of(Adoc.mono(h.id()), Adoc.text(h.elementLevel() ? "elements" : "groups"), Adoc.text(h.description())));
        }
        out.adoc("audit-hazards.adoc", Adoc.table("The hazards qr audit counts", "2,1,6", List.of("hazard", "touches", "what happened"), rows));
    }

    private static short[][] gaussian(long seed) {
        RandomInputs gen = new RandomInputs(seed, DType.BF16, false);
        return new short[][]{gen.head(0, N), gen.head(1, N)};
    }

    /** Writes the rank files, runs {@code qr audit} on them, writes the literal block; returns the report's JSON. */
    private static JsonNode run(Out out, Path base, String name, short[][] ranks, String... options) throws IOException {
        Path dir = base.resolve(name);
        Path report = base.resolve(name + "-report");
        Files.createDirectories(dir);
        for (int r = 0; r < ranks.length; r++) {
            NpyWriter.write(dir.resolve("rank" + r + ".npy"), DType.BF16, ranks[r]);
        }
        List<String> args = new ArrayList<>(List.of("audit", "--inputs", dir.toString()));
        args.addAll(List.of(options));
        args.addAll(List.of("--out", report.toString()));
        StringWriter so = new StringWriter();
        StringWriter se = new StringWriter();
        int code = Qr.run(new PrintWriter(so, true), new PrintWriter(se, true), args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException("qr audit of the " + name + " demo failed (exit " + code + "): " + se);
        }
        // shown as a reader would type it, from the folder that holds the two demo folders
        String shown = "./qr audit --inputs " + name + "/ " + String.join(" ", options) + " --out " + name + "-report/";
        String text = so.toString().replace(report.toString(), name + "-report").replace(dir.toString(), name);
        out.adoc("audit-" + name + ".adoc", Adoc.literal("Output of the audit (run during the documentation build)", "$ " + shown + "\n" + text));
        try {
            return new ObjectMapper().readTree(report.resolve("audit.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String db(JsonNode v) {
        return v == null || v.isNull() ? "exact" : String.format(Locale.ROOT, "%.1f dB", v.asDouble());
    }

    /** The gain of the first group of {@code phase} among the worst ones. */
    private static String gain(JsonNode worst, int phase) {
        for (JsonNode w : worst) {
            if (w.get("phase").asInt() == phase && !w.get("gain").isNull()) {
                return String.format(Locale.ROOT, "%.3f", w.get("gain").asDouble());
            }
        }
        throw new IllegalStateException("the cliff demo found no phase-" + phase + " cliff group: " + worst);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
