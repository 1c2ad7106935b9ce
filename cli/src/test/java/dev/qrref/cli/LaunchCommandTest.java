package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    /** Refused before any rank process starts (exit 2): nothing of the launch may exist afterwards. */
    @Test
    void impossibleInputsAreRefusedBeforeAnyRankStarts() throws Exception {
        String[][] bad = {
            {"--timeout-s", "0", "--timeout-s 0: must be between 1 and 86400 seconds"},
            {"--timeout-s", "-5", "--timeout-s -5: must be between 1 and 86400 seconds"},
            {"--random", "1073741832", "--random 1073741832: 1073741832 elements = 2147483664 bytes, above the max problem size"},
            {"--random", "0", "--random 0: 0 elements: the count must be positive"},
            {"--calls", "0", "--calls 0: must be at least 1"},
            {"--backend", "tpu", "unknown backend 'tpu'"}};
        for (String[] b : bad) {
            List<String> args = new ArrayList<>(List.of("launch", "--nproc", "2", "--codec", "int4"));
            args.addAll(b[0].equals("--random") ? List.of(b[0], b[1]) : List.of("--random", "1024", b[0], b[1]));
            long before = ProcessHandle.current().children().count();
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertTrue(r.message().startsWith("qr launch: " + b[2]), r.message());
            assertEquals(before, ProcessHandle.current().children().count(), "no rank process was started");
        }
        String old = System.getProperty(MemoryBudget.LIMIT_PROPERTY);
        System.setProperty(MemoryBudget.LIMIT_PROPERTY, "300m");
        try {
            CliRun r = CliRun.of("launch", "--nproc", "8", "--codec", "int4", "--random", "16777216");
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertTrue(r.message().startsWith("qr launch: not enough memory: this run needs about "), r.message());
        } finally {
            if (old == null) {
                System.clearProperty(MemoryBudget.LIMIT_PROPERTY);
            } else {
                System.setProperty(MemoryBudget.LIMIT_PROPERTY, old);
            }
        }
    }
}
