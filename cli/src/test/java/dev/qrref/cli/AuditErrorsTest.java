package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code qr audit}: exit code 2, exactly one error line that names the problem, nothing on stdout and
 * nothing written (the output directory is not even created).
 */
class AuditErrorsTest {
    @TempDir
    Path tmp;
    Path out;
    Path a;
    Path b;

    @BeforeEach
    void files() throws IOException {
        out = tmp.resolve("out");
        a = write("a.npy", DType.FP16, 64);
        b = write("b.npy", DType.FP16, 64);
    }

    Path write(String name, DType dtype, int n) throws IOException {
        Path p = tmp.resolve(name);
        short[] v = new short[n];
        java.util.Arrays.fill(v, (short) 0x3C00);
        NpyWriter.write(p, dtype, v);
        return p;
    }

    /** Runs {@code qr audit --out out <args>} and checks the common contract; returns the error line. */
    String fails(Object... args) {
        List<String> a = new ArrayList<>(List.of("audit", "--out", out.toString()));
        for (Object o : args) {
            a.add(o.toString());
        }
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertFalse(Files.exists(out), "nothing may be written: " + r);
        return r.message();
    }

    void assertMentions(String message, String... parts) {
        assertTrue(message.startsWith("qr audit: "), message);
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' should mention '" + p + "'");
        }
    }

    @Test
    void missingInputs() {
        assertMentions(fails(), "--inputs");
    }

    @Test
    void oneFileNeedsAWorldSize() {
        assertMentions(fails("--inputs", a), "--world-size");
    }

    @Test
    void unsupportedWorldSizes() throws IOException {
        assertMentions(fails("--inputs", a, "-w", 3), "--world-size 3", "2, 4 or 8");
        Path c = write("c.npy", DType.FP16, 64);
        assertMentions(fails("--inputs", a, b, c), "3 rank(s)", "2, 4 or 8");
        assertMentions(fails("--inputs", a, b, "-w", 4), "--world-size 4", "2");
    }

    @Test
    void lengthsAndSizes() throws IOException {
        Path shortFile = write("short.npy", DType.FP16, 56);
        assertMentions(fails("--inputs", a, shortFile), "differ in length", "64", "56");
        Path odd = write("odd.npy", DType.FP16, 60);
        assertMentions(fails("--inputs", odd, odd), "multiple of 8");
        assertMentions(fails("--inputs", write("split.npy", DType.FP16, 70), "-w", 4), "do not split into 4");
        assertMentions(fails("--inputs", write("split2.npy", DType.FP16, 72), "-w", 4), "18 elements per rank", "multiple of 8");
        assertMentions(fails("--inputs", write("empty.npy", DType.FP16, 0), "-w", 2), "must be positive");
    }

    @Test
    void dtypes() throws IOException {
        Path bf = write("bf.npy", DType.BF16, 64);
        assertMentions(fails("--inputs", a, bf), "bf.npy", "bf16", "fp16");
        assertMentions(fails("--inputs", a, b, "--dtype", "bf16"), "a.npy", "bf16");
        assertMentions(fails("--inputs", a, b, "--dtype", "fp8"), "unknown dtype 'fp8'");
    }

    @Test
    void badFiles() throws IOException {
        Path junk = tmp.resolve("junk.npy");
        Files.writeString(junk, "not a numpy file at all", StandardCharsets.UTF_8);
        assertMentions(fails("--inputs", a, junk), "junk.npy");
        assertMentions(fails("--inputs", a, tmp.resolve("missing.npy")), "missing.npy", "no such file");
    }

    @Test
    void folders() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertMentions(fails("--inputs", empty), "neither rank0.npy", "rank0/");
        Path dumps = tmp.resolve("dumps");
        Files.createDirectories(dumps.resolve("rank0"));
        Files.createDirectories(dumps.resolve("rank1"));
        Files.copy(a, dumps.resolve("rank0").resolve("l0.npy"));
        Files.copy(a, dumps.resolve("rank0").resolve("l1.npy"));
        Files.copy(a, dumps.resolve("rank1").resolve("l0.npy"));
        assertMentions(fails("--inputs", dumps), "rank1", "missing l1.npy");
        assertMentions(fails("--inputs", dumps, a), "is a folder");
        assertMentions(fails("--inputs", dumps.resolve("rank0"), "-w", 2), "neither rank0.npy");
    }

    @Test
    void options() {
        assertMentions(fails("--inputs", a, b, "--codecs", "int5"), "unknown codec 'int5'");
        assertMentions(fails("--inputs", a, b, "--profile", "gfx1100"), "unknown profile 'gfx1100'");
        assertMentions(fails("--inputs", a, b, "--worst", -1), "--worst");
        assertMentions(fails("--inputs", a, b, "--threads", 0), "--threads");
        assertMentions(fails("--inputs", a, b, "--min-sqnr", "NaN"), "--min-sqnr");
    }

    @Test
    void unusableOutputDirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun r = CliRun.of("audit", "--inputs", a.toString(), b.toString(), "--out", file.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertMentions(r.message(), "not a directory");
        assertEquals("x", Files.readString(file));
    }
}
