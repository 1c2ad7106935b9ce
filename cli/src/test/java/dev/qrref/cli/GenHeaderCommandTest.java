package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.CHeaderGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenHeaderCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheGeneratorsOutputAndChecksIt() throws IOException {
        Path h = tmp.resolve("include/qr_spec.h");
        CliRun w = CliRun.of("gen-header", "--output", h.toString());
        assertEquals(0, w.exitCode(), w::toString);
        assertEquals("wrote " + h, w.out().strip());
        assertEquals(CHeaderGenerator.render(), Files.readString(h));
        assertEquals(0, CliRun.of("gen-header", "--check", "--output", h.toString()).exitCode());

        Files.writeString(h, "// edited by hand\n");
        CliRun stale = CliRun.of("gen-header", "--check", "--output", h.toString());
        assertEquals(ExitCodes.FAILED, stale.exitCode());
        assertEquals("qr gen-header: " + h + " is stale: run ./qr gen-header", stale.message());
        try (var s = Files.list(h.getParent())) {
            assertEquals(1, s.count(), "no temporary files left");
        }
    }

    @Test
    void defaultsToTheRepositoryFileUnderQrHome() throws IOException {
        String old = System.getProperty(GenHeaderCommand.HOME_PROPERTY);
        System.setProperty(GenHeaderCommand.HOME_PROPERTY, tmp.toString());
        try {
            CliRun r = CliRun.of("gen-header");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(Files.isRegularFile(tmp.resolve(GenHeaderCommand.DEFAULT_RELATIVE)));
        } finally {
            if (old == null) {
                System.clearProperty(GenHeaderCommand.HOME_PROPERTY);
            } else {
                System.setProperty(GenHeaderCommand.HOME_PROPERTY, old);
            }
        }
    }
}
