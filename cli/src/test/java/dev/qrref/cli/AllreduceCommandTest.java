package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.io.NpyReader;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.Backends;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code qr allreduce} on good input: the report, the files, and agreement with the backend called directly. */
class AllreduceCommandTest {
    static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path tmp;

    @Test
    void randomInt4ReportsTheExpectedAccuracy() {
        CliRun r = CliRun.of("allreduce", "--world-size", "8", "--codec", "int4", "--random", "65536");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.field("ranks").startsWith("identical: all 8 outputs"), r::toString);
        double sqnr = Double.parseDouble(r.field("SQNR").split(" ")[0]);
        // dossier §10: INT4 on Gaussian data is 18.3 dB
        assertTrue(sqnr > 17.8 && sqnr < 18.8, "SQNR " + sqnr);
        assertTrue(r.field("non-finite").startsWith("outputs 0 (NaN 0, +inf 0, -inf 0), references 0"), r::toString);
        assertTrue(r.field("time").contains("all-reduce"), r::toString);
        assertTrue(r.field("throughput").contains("elements/s"), r::toString);
        assertTrue(r.err().contains("qr allreduce: running the all-reduce"), "progress goes to stderr");
        assertFalse(r.out().contains("running the all-reduce"), "stdout holds results only");
    }

    @Test
    void fpCodecOnSmallIntegersIsExact() throws IOException {
        int n = 4096;
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            short[] v = new short[n];
            for (int i = 0; i < n; i++) {
                v[i] = Float.floatToFloat16((float) ((i * 7 + r * 3) % 64 - 32));
            }
            Path p = tmp.resolve("in" + r + ".npy");
            NpyWriter.write(p, DType.FP16, v);
            files.add(p);
        }
        CliRun r = CliRun.of(args(new String[]{"allreduce", "-w", "4", "--codec", "fp", "--out-dir", tmp.resolve("out").toString()},
                "--inputs", files));
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("inf (exact) dB", r.field("SQNR"));
        assertTrue(r.field("max abs error").startsWith("0.00000"), r::toString);
    }

    @ParameterizedTest
    @CsvSource({"2, int8, fp16, false, cuda", "4, int6, bf16, true, cdna3", "8, int4, bf16, false, cdna4", "2, fp, fp16, false, cdna3"})
    void filesMatchTheBackendCalledDirectly(int w, String codec, String dtype, boolean cast, String profile) throws IOException {
        int n = 3 * 16384 + 8; // three tiles and a tail
        DType dt = DType.fromName(dtype);
        SplittableRandom rnd = new SplittableRandom(w * 31L + codec.hashCode());
        List<Path> files = new ArrayList<>();
        short[][] in = new short[w][n];
        for (int r = 0; r < w; r++) {
            for (int i = 0; i < n; i++) {
                float x = (float) (rnd.nextGaussian() * 3);
                in[r][i] = (short) (dt == DType.FP16 ? Float.floatToFloat16(x) : Float.floatToRawIntBits(x) >>> 16);
            }
            Path p = tmp.resolve("r" + r + ".npy");
            NpyWriter.write(p, dt, in[r]);
            files.add(p);
        }
        Path out = tmp.resolve("out");
        List<String> a = new ArrayList<>(List.of("allreduce", "-w", Integer.toString(w), "--codec", codec, "--dtype", dtype,
                "--profile", profile, "--out-dir", out.toString()));
        if (cast) {
            a.add("--cast-bf16-to-fp16");
        }
        CliRun r = CliRun.of(args(a.toArray(String[]::new), "--inputs", files));
        assertEquals(0, r.exitCode(), r::toString);

        short[][] expect = direct(in, n, dt, QuantLevel.fromName(codec), cast, Profile.fromName(profile));
        for (int rank = 0; rank < w; rank++) {
            try (Arena arena = Arena.ofConfined()) {
                assertArrayEquals(expect[rank], NpyReader.map(out.resolve("rank" + rank + ".npy"), arena, dt).toArray(),
                        "rank " + rank);
            }
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(w, s.count(), "exactly the rank files, no temporary files left");
        }
    }

    private static short[][] direct(short[][] in, int n, DType dt, QuantLevel level, boolean cast, Profile profile) {
        int w = in.length;
        try (Arena arena = Arena.ofShared(); GroupComms g = Backends.open("cpu").newGroup(w, 2L * n, CommsOptions.of(profile))) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (short[] v : in) {
                MemorySegment s = arena.allocate(2L * n);
                MemorySegment.copy(v, 0, s, LE, 0, n);
                ins.add(s);
                outs.add(arena.allocate(2L * n));
            }
            g.allreduce(ins, outs, n, dt, level, cast);
            short[][] res = new short[w][];
            for (int r = 0; r < w; r++) {
                res[r] = outs.get(r).toArray(LE);
            }
            return res;
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws IOException {
        Path one = tmp.resolve("t1");
        Path two = tmp.resolve("t3");
        String[] base = {"allreduce", "-w", "4", "--codec", "int6", "--dtype", "bf16", "--random", "40000", "--seed", "9",
            "--specials"};
        CliRun a = CliRun.of(args(base, "--threads", List.of("1"), "--out-dir", one.toString()));
        CliRun b = CliRun.of(args(base, "--threads", List.of("3"), "--out-dir", two.toString()));
        assertEquals(0, a.exitCode(), a::toString);
        assertEquals(0, b.exitCode(), b::toString);
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(Files.readAllBytes(one.resolve("rank" + r + ".npy")), Files.readAllBytes(two.resolve("rank" + r + ".npy")));
        }
        for (String key : List.of("inputs", "ranks", "max abs error", "relative L2", "relative MAE", "SQNR", "non-finite")) {
            assertEquals(a.field(key), b.field(key), key);
        }
    }

    @Test
    void specialsProduceNonFiniteValuesThatAreCountedApart() {
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--random", "65536", "--specials", "--profile", "cdna3");
        assertEquals(0, r.exitCode(), r::toString);
        String nf = r.field("non-finite");
        assertFalse(nf.startsWith("outputs 0 "), nf);
        assertTrue(r.field("SQNR").endsWith("dB"), r::toString);
        assertFalse(r.field("SQNR").startsWith("NaN"), "NaN and inf stay out of the figures: " + r);
    }

    @Test
    void replacesOlderOutputsAndCreatesMissingDirectories() throws IOException {
        Path out = tmp.resolve("a/b/c");
        Files.createDirectories(out);
        Files.writeString(out.resolve("rank0.npy"), "old");
        Files.writeString(out.resolve("notes.txt"), "kept");
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int8", "--random", "1024", "--out-dir", out.toString());
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(1024, NpyReader.readHeader(out.resolve("rank0.npy")).length());
        assertEquals("kept", Files.readString(out.resolve("notes.txt")));
        Path fresh = tmp.resolve("x/y");
        assertEquals(0, CliRun.of("allreduce", "-w", "2", "--codec", "int8", "--random", "8", "--out-dir", fresh.toString()).exitCode());
        assertTrue(Files.isRegularFile(fresh.resolve("rank1.npy")));
    }

    @Test
    void smallestProblem() {
        CliRun r = CliRun.of("allreduce", "-w", "8", "--codec", "int4", "--random", "8");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.field("inputs").startsWith("8 elements per rank"), r::toString);
    }

    static String[] args(String[] head, String option, List<?> values, String... tail) {
        List<String> a = new ArrayList<>(List.of(head));
        a.add(option);
        values.forEach(v -> a.add(v.toString()));
        a.addAll(List.of(tail));
        return a.toArray(String[]::new);
    }
}
