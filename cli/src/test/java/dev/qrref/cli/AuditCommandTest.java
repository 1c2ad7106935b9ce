package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qrref.cli.audit.AuditReport;
import dev.qrref.cli.audit.Hazard;
import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.DType;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qr audit} end to end: input layouts, the JSON shape, the reports, and invariance to threads and chunking. */
class AuditCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Three tiles and a tail: the last tile is partial. */
    static final int N = 3 * 16384 + 88;

    @TempDir
    Path tmp;

    /** Seeded N(0,1) rank files with special values (zeros, NaN, inf, subnormals, huge values) mixed in. */
    List<Path> rankFiles(int w, int n, DType dtype, boolean specials) throws IOException {
        RandomInputs gen = new RandomInputs(14, dtype, specials);
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < w; r++) {
            Path p = tmp.resolve("r" + r + ".npy");
            NpyWriter.write(p, dtype, gen.head(r, n));
            files.add(p);
        }
        return files;
    }

    static List<String> args(List<Path> files, String... more) {
        List<String> a = new ArrayList<>(List.of("audit", "--inputs"));
        files.forEach(f -> a.add(f.toString()));
        a.addAll(List.of(more));
        return a;
    }

    static CliRun run(List<String> args) {
        return CliRun.of(args.toArray(String[]::new));
    }

    static JsonNode json(CliRun r) throws IOException {
        assertEquals(0, r.exitCode(), r::toString);
        return JSON.readTree(r.out());
    }

    @Test
    void jsonHasTheDocumentedShapeForEveryCodecProfileAndHazard() throws IOException {
        JsonNode j = json(run(args(rankFiles(2, N, DType.FP16, true), "--json", "--threads", "2")));
        assertEquals(Set.of("world_size", "dtype", "data_path", "calls", "elements_per_rank", "inputs", "profiles", "min_sqnr_db",
                "thresholds", "codecs", "recommendation", "recommendation_reason"), names(j));
        assertEquals(2, j.get("world_size").asInt());
        assertEquals(N, j.get("elements_per_rank").asLong());
        Set<String> codecs = Arrays.stream(QuantLevel.values()).map(QuantLevel::cliName).collect(Collectors.toSet());
        Set<String> profiles = Arrays.stream(Profile.values()).map(Profile::id).collect(Collectors.toSet());
        Set<String> hazards = Arrays.stream(Hazard.values()).map(Hazard::id).collect(Collectors.toSet());
        assertEquals(codecs, names(j.get("codecs")));
        for (JsonNode c : j.get("codecs")) {
            assertEquals(Set.of("wire_bits_per_element", "sqnr_db", "rel_mae", "max_abs_error", "nonfinite_from_finite", "meets",
                    "hazards", "profiles"), names(c));
            assertEquals(hazards, names(c.get("hazards")));
            c.get("hazards").forEach(h -> assertEquals(Set.of("groups", "elements"), names(h)));
            assertEquals(profiles, names(c.get("profiles")));
            for (JsonNode p : c.get("profiles")) {
                assertEquals(Set.of("sqnr_db", "rel_mae", "max_abs_error", "nonfinite_from_finite", "hazards"), names(p));
                assertEquals(hazards, names(p.get("hazards")));
                for (JsonNode h : p.get("hazards")) {
                    assertEquals(Set.of("groups", "elements", "phase1", "phase2", "sqnr_db", "rel_mae", "max_abs_error",
                            "nonfinite_from_finite", "worst"), names(h));
                    assertEquals(Set.of("groups", "elements", "spread"), names(h.get("phase1")));
                    for (JsonNode w : h.get("worst")) {
                        assertEquals(Set.of("phase", "rank", "call", "tile", "atom", "group", "element", "trigger_element", "severity",
                                "gain", "detail", "explain"), names(w));
                    }
                }
            }
        }
        String rec = j.get("recommendation").asText();
        assertTrue(codecs.contains(rec) || rec.equals(AuditReport.FP_ONLY), rec);
        // the specials put every kind of hazard into these tensors: the counts are not all zero
        assertTrue(j.at("/codecs/int4/profiles/cuda/hazards/zero_group/groups").asLong() > 0, j.at("/codecs/int4").toString());
        assertTrue(j.at("/codecs/int4/profiles/cuda/hazards/inf_input/groups").asLong() > 0);
    }

    @Test
    void helpDocumentsEveryJsonKey() throws IOException {
        JsonNode j = json(run(args(rankFiles(2, 16384, DType.FP16, true), "--json", "--codecs", "int8", "--profile", "cdna3")));
        String help = CliRun.of("audit", "--help").out();
        Set<String> keys = new TreeSet<>();
        collect(j, keys);
        for (String k : keys) {
            boolean data = k.equals("int8") || k.equals("cdna3") || Arrays.stream(Hazard.values()).anyMatch(h -> h.id().equals(k));
            assertTrue(data || help.contains("\"" + k + "\""), "qr audit --help does not document the JSON key '" + k + "'");
        }
        for (Hazard h : Hazard.values()) {
            assertTrue(help.contains(h.id()), h.id());
        }
    }

    private static void collect(JsonNode n, Set<String> keys) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                keys.add(k);
                collect(n.get(k), keys);
            }
        } else if (n.isArray()) {
            n.forEach(e -> collect(e, keys));
        }
    }

    /** Same bits for any thread count and any chunk size (the chunks split the tensor at different tiles). */
    @Test
    void sameReportForAnyThreadCountAndChunking() throws IOException {
        List<Path> files = rankFiles(4, N, DType.BF16, true);
        List<String> base = args(files, "--json", "--cast-bf16-to-fp16", "--codecs", "fp,int8,int4");
        CliRun one = run(concat(base, "--threads", "1"));
        CliRun three = run(concat(base, "--threads", "3", "--chunk-tiles", "1"));
        CliRun two = run(concat(base, "--threads", "2", "--chunk-tiles", "2"));
        assertEquals(0, one.exitCode(), one::toString);
        assertEquals(one.out(), three.out());
        assertEquals(one.out(), two.out());
        String text1 = run(concat(args(files, "--cast-bf16-to-fp16", "--codecs", "int8"), "--threads", "1")).out();
        String text3 = run(concat(args(files, "--cast-bf16-to-fp16", "--codecs", "int8"), "--threads", "3", "--chunk-tiles", "1")).out();
        assertEquals(text1, text3);
    }

    /** Per-rank files, one split file, a folder of rank files and a folder of rank folders are the same audit. */
    @Test
    void inputLayoutsAgree() throws IOException {
        int n = 16384 + 64;
        List<Path> files = rankFiles(2, n, DType.FP16, true);
        List<String> opts = List.of("--json", "--codecs", "int6", "--profile", "cuda,cdna3");
        ObjectNode perRank = (ObjectNode) json(run(args(files, opts.toArray(String[]::new))));

        short[] both = new short[2 * n];
        RandomInputs gen = new RandomInputs(14, DType.FP16, true);
        System.arraycopy(gen.head(0, n), 0, both, 0, n);
        System.arraycopy(gen.head(1, n), 0, both, n, n);
        Path stacked = tmp.resolve("stacked.npy");
        NpyWriter.write(stacked, DType.FP16, both);
        ObjectNode split = (ObjectNode) json(run(concat(args(List.of(stacked), opts.toArray(String[]::new)), "--world-size", "2")));

        Path flat = Files.createDirectories(tmp.resolve("flat"));
        Files.copy(files.get(0), flat.resolve("rank0.npy"));
        Files.copy(files.get(1), flat.resolve("rank1.npy"));
        ObjectNode folder = (ObjectNode) json(run(args(List.of(flat), opts.toArray(String[]::new))));

        Path nested = tmp.resolve("nested");
        for (int r = 0; r < 2; r++) {
            Files.createDirectories(nested.resolve("rank" + r));
            Files.copy(files.get(r), nested.resolve("rank" + r).resolve("layer0.npy"));
        }
        ObjectNode calls = (ObjectNode) json(run(args(List.of(nested), opts.toArray(String[]::new))));

        for (ObjectNode o : List.of(perRank, split, folder, calls)) {
            o.remove("inputs");
            o.findParents("call").forEach(p -> ((ObjectNode) p).put("call", ""));
        }
        assertEquals(perRank, split);
        assertEquals(perRank, folder);
        assertEquals(perRank, calls);
    }

    /** A folder of two calls counts both: every hazard count is the sum of the two single-call audits. */
    @Test
    void callsOfAFolderAddUp() throws IOException {
        Path dir = tmp.resolve("dumps");
        RandomInputs a = new RandomInputs(1, DType.FP16, true);
        RandomInputs b = new RandomInputs(2, DType.FP16, true);
        for (int r = 0; r < 2; r++) {
            Files.createDirectories(dir.resolve("rank" + r));
            NpyWriter.write(dir.resolve("rank" + r).resolve("a.npy"), DType.FP16, a.head(r, 16384));
            NpyWriter.write(dir.resolve("rank" + r).resolve("b.npy"), DType.FP16, b.head(r, 8192));
        }
        List<String> opts = List.of("--json", "--codecs", "int4", "--profile", "cdna4");
        JsonNode both = json(run(args(List.of(dir), opts.toArray(String[]::new))));
        List<JsonNode> single = new ArrayList<>();
        for (String call : List.of("a", "b")) {
            single.add(json(run(args(List.of(dir.resolve("rank0").resolve(call + ".npy"), dir.resolve("rank1").resolve(call + ".npy")),
                    opts.toArray(String[]::new)))));
        }
        assertEquals(2, both.get("calls").asInt());
        for (Hazard h : Hazard.values()) {
            String at = "/codecs/int4/profiles/cdna4/hazards/" + h.id();
            for (String k : List.of("/groups", "/elements", "/phase1/groups", "/phase2/elements", "/phase1/spread")) {
                assertEquals(single.get(0).at(at + k).asLong() + single.get(1).at(at + k).asLong(), both.at(at + k).asLong(), at + k);
            }
        }
        assertTrue(both.at("/codecs/int4/profiles/cdna4/hazards/zero_group/groups").asLong() > 0);
        // and says in which call: the per-call counts are those of the single-call audits
        for (Hazard h : Hazard.values()) {
            String at = "/codecs/int4/profiles/cdna4/hazards/" + h.id();
            Map<String, Long> calls = new HashMap<>();
            both.at(at + "/calls").forEach(c -> calls.put(c.get("call").asText(), c.get("elements").asLong()));
            for (int k = 0; k < 2; k++) {
                long one = single.get(k).at(at + "/elements").asLong();
                assertEquals(one, calls.getOrDefault(List.of("a", "b").get(k), 0L), at + " call " + k);
            }
        }
    }

    @Test
    void textReportAndFiles() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = run(args(rankFiles(2, N, DType.FP16, true), "--codecs", "int8,int4", "--profile", "cdna3", "--out", out.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("\naccuracy against the exact sum"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("recommendation ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  phase ") && l.contains(" tile ") && l.contains(" atom ")
                && l.contains(" group ") && l.contains(" element ")), r.out());
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(2, html.split("<svg", -1).length - 1, "two plots");
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing loaded from the network");
        assertTrue(html.contains("./qr explain --codec int4 --profile cdna3"), "explain commands for the worst groups");
        JsonNode fromFile = JSON.readTree(out.resolve("audit.json").toFile());
        assertEquals(fromFile, json(run(args(rankFiles(2, N, DType.FP16, true), "--codecs", "int8,int4", "--profile", "cdna3", "--json"))));
        try (var s = Files.list(out)) {
            assertEquals(Set.of("report.html", "audit.json"), s.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    /** On Gaussian data INT4 stays below 20 dB (about 18.3) and INT6 above (about 30): the default picks int6. */
    @Test
    void recommendationIsTheFewestBitsThatMeetTheBound() throws IOException {
        List<Path> files = rankFiles(2, 4 * 16384, DType.FP16, false);
        JsonNode j = json(run(args(files, "--json")));
        assertEquals("int6", j.get("recommendation").asText(), j.get("recommendation_reason").asText());
        // the rule itself, checked on the figures the JSON reports: no codec with fewer wire bits meets the bound
        double chosenBits = j.at("/codecs/int6/wire_bits_per_element").asDouble();
        for (Iterator<String> it = j.get("codecs").fieldNames(); it.hasNext(); ) {
            String c = it.next();
            JsonNode n = j.get("codecs").get(c);
            if (!c.equals("fp") && n.get("wire_bits_per_element").asDouble() < chosenBits) {
                assertFalse(n.get("meets").asBoolean(), c);
                assertTrue(n.get("sqnr_db").asDouble() < 20, c);
            }
        }
        assertEquals("int4", json(run(args(files, "--json", "--min-sqnr", "15", "--codecs", "int8,int6,int4"))).get("recommendation").asText());
        assertEquals(AuditReport.FP_ONLY, json(run(args(files, "--json", "--min-sqnr", "60"))).get("recommendation").asText());
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(more));
        return out;
    }

    private static Set<String> names(JsonNode n) {
        Set<String> s = new TreeSet<>();
        n.fieldNames().forEachRemaining(s::add);
        return s;
    }
}
