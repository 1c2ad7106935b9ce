package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qr isa-check} end to end on hand-written disassemblies: verdicts, exit codes and error lines. */
class IsaCheckCommandTest {

    static Path tree(Path dir, String target, boolean modeWrite) throws IOException {
        Path t = dir.resolve("isa").resolve(target);
        Files.createDirectories(t);
        Files.writeString(t.resolve("kernels_int4.s"), dev.qrref.cli.isa.IsaCheckTest.goodNative(modeWrite).text());
        Path src = dir.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("qr_compat.h"), dev.qrref.cli.isa.IsaCheckTest.HEADER);
        return dir.resolve("isa");
    }

    @Test
    void aMatchingBuildPasses(@TempDir Path dir) throws IOException {
        Path isa = tree(dir, "gfx942", true);
        CliRun r = CliRun.of("isa-check", "--sources", dir.resolve("src").toString(), isa.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("gfx942 (cdna3): 1 object(s), 1 kernels checked, 0 other functions, 0 mismatch(es)"), r.out());
        assertTrue(r.out().contains("RESULT: PASS"), r.out());
    }

    @Test
    void aMismatchIsOneLineAndExitOne(@TempDir Path dir) throws IOException {
        Path isa = tree(dir, "gfx942", false);
        CliRun r = CliRun.of("isa-check", "--sources", dir.resolve("src").toString(), isa.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("gfx942 kernels_int4.co ")).count(), r.out());
        assertTrue(r.out().contains("RESULT: FAIL (1 mismatch(es))"), r.out());
        // the same build is what cdna4 assumes
        CliRun as4 = CliRun.of("isa-check", "--profile", "cdna4", "--sources", dir.resolve("src").toString(), isa.toString());
        assertEquals(0, as4.exitCode(), as4.toString());
        assertTrue(as4.out().contains("gfx942 (cdna4, forced)"), as4.out());
    }

    @Test
    void aTargetNoProfileRunsOnIsListedAndNothingCheckedFails(@TempDir Path dir) throws IOException {
        Path isa = tree(dir, "gfx90a", true);
        CliRun r = CliRun.of("isa-check", "--sources", dir.resolve("src").toString(), isa.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.out().contains("gfx90a: no profile runs natively on this target"), r.out());
        assertTrue(r.out().contains("RESULT: FAIL (no code object of a target that a profile runs on natively: gfx90a)"), r.out());
    }

    @Test
    void badInputIsOneErrorLineWithExitTwo(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("isa-check", dir.resolve("nope").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.message().contains("is not a folder"), missing.message());
        Files.createDirectories(dir.resolve("empty"));
        CliRun empty = CliRun.of("isa-check", dir.resolve("empty").toString());
        assertEquals(2, empty.exitCode(), empty.toString());
        assertTrue(empty.message().contains("no disassembly"), empty.message());
        CliRun profile = CliRun.of("isa-check", "--profile", "cdna9", dir.resolve("empty").toString());
        assertEquals(2, profile.exitCode(), profile.toString());
        assertTrue(profile.message().contains("cdna9"), profile.message());
    }
}
