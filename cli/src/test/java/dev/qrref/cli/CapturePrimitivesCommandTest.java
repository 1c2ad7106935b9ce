package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qr capture-primitives} with the CPU model standing in for the hardware. */
class CapturePrimitivesCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theModelStandInPassesAndWritesTheReport() {
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu", "--out", tmp.toString(), "--max-list", "4");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("rcp\\s+fp16\\s+native-fp16\\s+65536 cases\\s+matches cuda, cdna4\\s+differs from cdna3 .*")),
                r::toString);
        assertTrue(r.out().contains("RESULT: PASS"), r::toString);
        assertTrue(Files.isRegularFile(tmp.resolve("capture-primitives.md")));
        assertTrue(Files.isRegularFile(tmp.resolve("capture-primitives.csv")));
        assertTrue(Files.isRegularFile(tmp.resolve("capture-mismatches.csv")));
    }

    /** A report directory that cannot be written is refused before the tables run, not after. */
    @Test
    void anUnwritableOutIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu", "--out", file.resolve("report").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr capture-primitives: cannot create --out '" + file.resolve("report") + "': '" + file + "' is not a directory",
                r.message());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void outIsRequired() {
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
    }
}
