package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that cannot fit in memory is refused before it allocates anything, with the figures; -Xmx is not the remedy. */
class MemoryBudgetTest {
    @TempDir
    Path tmp;

    private static <T> T withLimit(String limit, Supplier<T> body) {
        String old = System.getProperty(MemoryBudget.LIMIT_PROPERTY);
        System.setProperty(MemoryBudget.LIMIT_PROPERTY, limit);
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(MemoryBudget.LIMIT_PROPERTY);
            } else {
                System.setProperty(MemoryBudget.LIMIT_PROPERTY, old);
            }
        }
    }

    @Test
    void aRunThatCannotFitIsRefusedAtOnceWithTheFigures() {
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        // 8 ranks x 64 MiB: 512 MiB of inputs, 512 MiB of outputs, and the buffers
        CliRun r = withLimit("1g", () -> CliRun.of("allreduce", "-w", "8", "--codec", "int4", "--random", "33554432",
                "--out-dir", out.toString()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr allreduce: not enough memory: this run needs about 1."), r.message());
        assertTrue(r.message().contains("(inputs 512.0 MiB, outputs 512.0 MiB, communication buffers "), r.message());
        assertTrue(r.message().endsWith("but 1.000 GiB is available (-Dqr.memory.limit=1g); use a smaller --random or fewer ranks, "
                + "or free memory"), r.message());
        assertEquals("", r.out(), "nothing is reported before the refusal");
        assertEquals(1, r.err().lines().count(), "no progress line either: nothing was generated");
        assertFalse(Files.exists(out));
        assertTrue(seconds < 20, "refused after " + seconds + " s");
    }

    @Test
    void mappedInputFilesDoNotCountButOutputsDo() throws Exception {
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        dev.qrref.cpu.io.NpyWriter.write(a, dev.qrref.spec.DType.FP16, new short[1 << 16]);
        dev.qrref.cpu.io.NpyWriter.write(b, dev.qrref.spec.DType.FP16, new short[1 << 16]);
        CliRun r = withLimit("256m", () -> CliRun.of("allreduce", "-w", "2", "--codec", "fp", "--inputs", a.toString(), b.toString(),
                "--out-dir", tmp.resolve("o").toString()));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().contains("(outputs 256.0 KiB, communication buffers "), r.message());
        assertTrue(r.message().endsWith("use smaller inputs or fewer ranks, or free memory"), r.message());
        CliRun ok = withLimit("1g", () -> CliRun.of("allreduce", "-w", "2", "--codec", "fp", "--inputs", a.toString(), b.toString(),
                "--out-dir", tmp.resolve("o").toString()));
        assertEquals(0, ok.exitCode(), ok::toString);
    }

    @Test
    void sizes() {
        assertEquals(8L << 30, MemoryBudget.parseSize("8g"));
        assertEquals(512L << 20, MemoryBudget.parseSize(" 512M "));
        assertEquals(1073741824L, MemoryBudget.parseSize("1073741824"));
        assertEquals(ExitCodes.USAGE, assertThrows(CliException.class, () -> MemoryBudget.parseSize("lots")).exitCode());
        assertThrows(CliException.class, () -> MemoryBudget.parseSize("-1k"));
        assertThrows(CliException.class, () -> MemoryBudget.parseSize("99999999999t"));
    }

    @Test
    void theMachineReportsAFigureOnLinux() {
        if (Files.isRegularFile(Path.of("/proc/meminfo"))) {
            assertTrue(MemoryBudget.available().isPresent());
            assertTrue(MemoryBudget.available().getAsLong() > 0);
        }
    }

    @Test
    void theOutOfMemoryHintFitsTheKindOfMemory() {
        String offHeap = Qr.outOfMemory(new OutOfMemoryError("Cannot allocate 2147483648 bytes"));
        assertTrue(offHeap.contains("-Xmx does not help"), offHeap);
        String heap = Qr.outOfMemory(new OutOfMemoryError("Java heap space"));
        assertTrue(heap.contains("QR_JAVA_OPTS=-Xmx"), heap);
    }
}
