package dev.qrref.conformance.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Inputs;
import dev.qrref.conformance.Listener;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.report.Json;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.io.NpyReader;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reduced vector set: written twice (byte-identical), its files against the element-wise model, and the Python
 * checker on it: its own expected outputs pass; one flipped bit fails with the exact one-line report; a corrupted
 * vector file is refused.
 */
class VectorsTest {
    /** W 2 and 8, FP and INT6, fp16 and bf16-cast, cuda and cdna3: 16 configurations, 32 cases. */
    static final Vectors.Selection SMALL = new Vectors.Selection(List.of(2, 8), EnumSet.of(QuantLevel.F16, QuantLevel.INT6),
            EnumSet.of(DataPath.FP16, DataPath.BF16_CAST), EnumSet.of(Profile.CUDA, Profile.CDNA3), Seeds.DEFAULT_BASE);

    @TempDir
    static Path tmp;
    static Path vectors;
    static List<CaseSpec> cases;

    @BeforeAll
    static void write() throws IOException {
        vectors = tmp.resolve("vectors");
        Vectors.Written w = Vectors.write(vectors, SMALL, Listener.SILENT);
        cases = Vectors.cases(SMALL);
        assertEquals(32, cases.size());
        assertEquals(32, w.cases());
    }

    @Test
    void theSameSelectionWritesTheSameBytes() throws IOException {
        Path again = tmp.resolve("again");
        Vectors.write(again, SMALL, Listener.SILENT);
        List<Path> files = list(vectors);
        assertEquals(files.stream().map(vectors::relativize).toList(), list(again).stream().map(again::relativize).toList());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(again.resolve(vectors.relativize(f))), f.toString());
        }
    }

    @Test
    void casesCoverEverySelectedConfigurationWithSpecialsAndTails() {
        Set<String> configs = new HashSet<>();
        for (CaseSpec c : cases) {
            configs.add(c.worldSize() + "/" + c.level() + "/" + c.path() + "/" + c.profile());
        }
        assertEquals(16, configs.size());
        assertEquals(16, cases.stream().filter(c -> c.kind() == InputKind.SPECIALS && c.n() == Vectors.SPECIALS_N).count());
        assertTrue(cases.stream().anyMatch(c -> c.n() == 8) && cases.stream().anyMatch(c -> c.n() == 2048));
        // a subset picks the same cases as the full set
        List<String> full = Vectors.cases(Vectors.Selection.all(EnumSet.allOf(Profile.class))).stream().map(CaseSpec::id).toList();
        assertEquals(54 * QuantLevel.values().length, full.size(), "54 cases per codec");
        assertTrue(full.containsAll(cases.stream().map(CaseSpec::id).toList()));
        assertEquals(full.size(), new HashSet<>(full).size(), "ids are unique");
    }

    @Test
    void filesHoldTheGeneratedInputsAndTheElementwiseModelsOutput() throws IOException {
        JsonNode manifest = Json.read(vectors.resolve(Vectors.MANIFEST));
        Map<String, JsonNode> byId = new HashMap<>();
        manifest.get("cases").forEach(n -> byId.put(n.get("id").asText(), n));
        assertEquals(cases.size(), byId.size(), "one manifest entry per case");
        try (Arena arena = Arena.ofConfined()) {
            for (CaseSpec c : cases) {
                JsonNode entry = byId.get(c.id());
                assertTrue(entry != null, c.id() + " is in the manifest");
                assertEquals(c.worldSize(), entry.get("world_size").asInt(), c.id());
                assertEquals(c.level().cliName(), entry.get("codec").asText(), c.id());
                assertEquals(c.profile().id(), entry.get("profile").asText(), c.id());
                assertEquals(c.n(), entry.get("n").asLong(), c.id());
                Path dir = vectors.resolve(c.id());
                DType dtype = c.path().dtype;
                short[][] inputs = Inputs.generate(c);
                for (int r = 0; r < c.worldSize(); r++) {
                    assertArrayEquals(inputs[r], NpyReader.map(dir.resolve(Vectors.input(r)), arena, dtype).toArray(), c.id());
                    checkFileEntry(entry, dir, Vectors.input(r), r);
                }
                short[] want = ElementwiseModel.allreduce(inputs, (int) c.n(), c.level(), c.path(), NumericsProfile.of(c.profile()));
                short[] got = NpyReader.map(dir.resolve(Vectors.EXPECTED), arena, dtype).toArray();
                // the element-wise model promises NaN as a class only; the file holds the group model's payloads
                OutputDiff d = OutputDiff.compare(dtype.format, new short[][]{got}, new short[][]{want}, c.n());
                assertTrue(d.ok(), () -> c.id() + ": " + d);
                checkFileEntry(entry, dir, Vectors.EXPECTED, -1);
                assertEquals(c.maxBlocks(), entry.get("max_blocks").asInt(), c.id());
            }
        }
        assertArrayEquals(Files.readAllBytes(Path.of("src/main/python/qr_check.py")), Files.readAllBytes(vectors.resolve(Vectors.CHECKER)),
                "the set carries the checker of this source tree");
    }

    @Test
    void theCheckerPassesTheModelAndNamesAFlippedBit() throws Exception {
        Python python = Python.require();
        Path outputs = tmp.resolve("kernel");
        for (int i = 0; i < cases.size(); i++) {
            CaseSpec c = cases.get(i);
            Path dir = Files.createDirectories(outputs.resolve(c.id()));
            if (i == 1) {
                // a kernel that wrote one output per case
                Files.copy(vectors.resolve(c.id()).resolve(Vectors.EXPECTED), dir.resolve("out.npy"));
                continue;
            }
            for (int r = 0; r < c.worldSize(); r++) {
                Files.copy(vectors.resolve(c.id()).resolve(Vectors.EXPECTED), dir.resolve("out_rank" + r + ".npy"));
            }
        }
        Python.Run ok = python.check(vectors, outputs);
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.lastLine().equals("PASS: 32 case(s) bit-exact"), ok::toString);

        // flip one bit of one element of rank 5 of a W=8 bf16 case, in the second tile
        CaseSpec victim = cases.stream().filter(c -> c.worldSize() == 8 && c.path() == DataPath.BF16_CAST && c.n() == Vectors.SPECIALS_N)
                .findFirst().orElseThrow();
        int rank = 5;
        Path file = outputs.resolve(victim.id()).resolve("out_rank" + rank + ".npy");
        short[] out;
        try (Arena arena = Arena.ofConfined()) {
            out = NpyReader.map(file, arena, DType.BF16).toArray();
        }
        int element = Geometry.TILE_ELEMENTS + 3;
        while (victim.path().dtype.format.isNaN(out[element] & 0xFFFF)) {
            element++; // a NaN with one payload bit flipped is still a NaN: pick a number
        }
        int want = out[element] & 0xFFFF;
        out[element] ^= 0x0001;
        NpyWriter.write(file, DType.BF16, out);

        Python.Run bad = python.check(vectors, outputs);
        assertEquals(1, bad.exit(), bad::toString);
        short[][] inputs = Inputs.generate(victim);
        String repro = Vectors.REPRO.replace("{case}", victim.id()) + Vectors.REPRO_ISOLATE.replace("{element}", Integer.toString(element));
        Failure expected = new Failure(Vectors.RULE, Vectors.PROPERTY, victim.id(), rank, element, CaseCheck.inputsAt(inputs, element),
                want ^ 1, want, 1, null, repro, victim.seed());
        List<String> lines = bad.out().lines().toList();
        int at = lines.indexOf(expected.line());
        assertTrue(at >= 0, () -> "expected the line\n" + expected.line() + "\nin\n" + bad);
        assertEquals(expected.countLine(), lines.get(at + 1));
        assertTrue(expected.line().contains(" case=" + victim.id() + " rank=5 tile=1 atom=0 ") && expected.line().contains(" element=" + element + " "));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("rule=")).count(), "one line per failing case");
        assertTrue(bad.lastLine().startsWith("FAIL: 1 of 32 case(s) differ, 1 wrong element(s)"), bad::toString);

        // a missing output folder is a usage error, unless asked to skip it
        Path moved = tmp.resolve("moved");
        Files.move(outputs.resolve(cases.get(0).id()), moved);
        Python.Run missing = python.check(vectors, outputs);
        assertEquals(2, missing.exit(), missing::toString);
        assertTrue(missing.err().startsWith("qr_check: no kernel output for 1 of 32 case(s), e.g. '"), missing::toString);
        assertEquals(1, python.check(vectors, outputs, "--allow-missing").exit());
        Files.move(moved, outputs.resolve(cases.get(0).id()));
        assertEquals(0, python.check(vectors, outputs, "--select", cases.get(0).id()).exit());
    }

    @Test
    void theCheckerRefusesCorruptedVectorsAndBadUsage() throws Exception {
        Python python = Python.require();
        Path copy = tmp.resolve("corrupted");
        for (Path f : list(vectors)) {
            Path to = copy.resolve(vectors.relativize(f));
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
        Path outputs = Files.createDirectories(tmp.resolve("empty-outputs"));
        CaseSpec c = cases.get(3);
        Path input = copy.resolve(c.id()).resolve(Vectors.input(1));
        byte[] b = Files.readAllBytes(input);
        b[b.length - 2] ^= 0x40;
        Files.write(input, b);
        Python.Run r = python.check(copy, outputs);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.err().contains("qr_check: vector file corrupted: " + c.id() + "/" + Vectors.input(1) + ": SHA-256 "), r::toString);
        assertTrue(r.err().contains("1 vector file(s) missing or corrupted"), r::toString);

        Python.Run usage = python.check(copy);
        assertEquals(2, usage.exit(), usage::toString);
        Python.Run notASet = python.check(outputs, outputs);
        assertEquals(2, notASet.exit(), notASet::toString);
        assertTrue(notASet.err().contains("manifest.json' not found"), notASet::toString);
        Python.Run help = python.check("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("<case-id>/out_rank0.npy ... out_rank<W-1>.npy"), help::toString);
    }

    /** The manifest's entry of one file: its role, rank, size and SHA-256 as the file on disk has them. */
    private static void checkFileEntry(JsonNode caseEntry, Path dir, String name, int rank) throws IOException {
        byte[] b = Files.readAllBytes(dir.resolve(name));
        JsonNode e = null;
        for (JsonNode f : caseEntry.get("files")) {
            if (f.get("name").asText().equals(name)) {
                e = f;
            }
        }
        assertTrue(e != null, name + " is listed");
        assertEquals(rank >= 0 ? "input" : "expected", e.get("role").asText(), name);
        assertEquals(rank >= 0, e.has("rank"), name + ": a rank for inputs only");
        if (rank >= 0) {
            assertEquals(rank, e.get("rank").asInt(), name);
        }
        assertEquals(b.length, e.get("bytes").asLong(), name);
        assertEquals(Manifest.sha256(b), e.get("sha256").asText(), name);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
        }
    }
}
