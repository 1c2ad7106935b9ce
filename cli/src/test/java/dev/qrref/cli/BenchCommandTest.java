package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cli.bench.GpuBench;
import dev.qrref.spec.DataPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code qr bench}'s options (the sweep itself needs a GPU). */
class BenchCommandTest {
    @Test
    void sizesTakeBinarySuffixes() {
        assertEquals(65536, BenchCommand.parseSize("64Ki"));
        assertEquals(256L << 20, BenchCommand.parseSize("256Mi"));
        assertEquals(40008, BenchCommand.parseSize("40008"));
        assertThrows(CliException.class, () -> BenchCommand.parseSize("12"));
        assertThrows(CliException.class, () -> BenchCommand.parseSize("2048Mi"));
        assertThrows(CliException.class, () -> BenchCommand.parseSize("lots"));
    }

    @Test
    void theDefaultSweepSpansTheIssuesRange() {
        BenchCommand cmd = new BenchCommand();
        new picocli.CommandLine(cmd).parseArgs();
        GpuBench.Config c = cmd.config();
        assertEquals(List.of(2, 4, 8), c.worlds());
        assertEquals(List.of(DataPath.FP16, DataPath.BF16_CAST), c.paths());
        assertEquals(64L << 10, c.sizes().getFirst());
        assertEquals(256L << 20, c.sizes().getLast());
    }

    @Test
    void theDriverVersionComesFromTheKernelModuleLine() {
        assertEquals(", driver 580.159.04", BenchCommand.driverVersion(
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build  (dvs-builder@U16)  Fri Oct 17 2025\n"));
        assertEquals("", BenchCommand.driverVersion("no version here"));
    }

    @Test
    void theCpuBackendPointsToJmh() {
        CliRun r = CliRun.of("bench", "--backend", "cpu");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("./qr jmh"), r::toString);
    }

    @Test
    void nativeBf16IsNotAPathOfTheBenchmark() {
        CliRun r = CliRun.of("bench", "--paths", "bf16");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
    }
}
