package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code qr launch}: ranks as separate OS processes on the CPU model, checked against the group result. */
class LaunchCommandTest {

    @Test
    void twoProcessesMatchTheModel() {
        CliRun r = CliRun.of("launch", "--nproc", "2", "--backend", "cpu", "--codec", "int6", "--random", "40008", "--calls", "2");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("PASS: every rank's output equals the CPU model's group result"), r::toString);
    }

    @Test
    void badWorldSizeIsAUsageError() {
        CliRun r = CliRun.of("launch", "--nproc", "3", "--codec", "int4", "--random", "1024");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().contains("world size must be 2, 4 or 8"), r::toString);
    }

    @Test
    void badSizeIsAUsageError() {
        CliRun r = CliRun.of("launch", "--nproc", "2", "--codec", "int4", "--random", "1001");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().contains("multiple of 8"), r::toString);
    }
}
