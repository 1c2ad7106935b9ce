package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.conformance.report.Reports;
import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.Backends;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qr conformance} on the CPU model with small filters, and on a backend with one wrong output bit. */
class ConformanceCommandTest {
    /** W=2, INT4, fp16, cuda: two cases plus the suite properties, a few seconds. */
    static final String[] SMALL = {"--backend", "cpu", "--world-sizes", "2", "--codecs", "int4", "--paths", "fp16", "--profiles", "cuda"};

    @TempDir
    Path tmp;

    static CliRun run(String... args) {
        return Registered.run(new ConformanceCommand(), prepend("conformance", args));
    }

    @Test
    void smallCpuRunPassesAndWritesTheReport() throws IOException {
        Path dir = tmp.resolve("report");
        CliRun r = run(concat(SMALL, "--report", dir.toString()));
        assertEquals(0, r.exitCode(), r::toString);
        List<String> out = r.out().lines().toList();
        assertTrue(out.getFirst().startsWith("# qr conformance: target cpu, level 1, base seed 0x51525F4341534553, 2 case(s)"), r::toString);
        assertTrue(out.stream().anyMatch(l -> l.matches("# property +passed +failed +skipped +seconds")), r::toString);
        assertTrue(out.stream().anyMatch(l -> l.matches(" {2}outputs +2 +0 +0 +[0-9.]+")), r::toString);
        assertTrue(out.getLast().startsWith("PASS: cpu, 16 properties, 2 case(s), 0 failure(s)"), r::toString);
        for (String f : List.of(Reports.JUNIT, Reports.HTML, Reports.SUMMARY)) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(r.out(), Files.readString(dir.resolve(Reports.SUMMARY)), "stdout is summary.txt");
        assertTrue(r.err().contains("qr conformance: running cases on cpu ["), "progress bar on stderr");
        assertTrue(r.err().contains("] 2/2"), r::toString);
        assertEquals(List.of(), r.errorLines(), "stderr holds progress only");
        assertFalse(r.out().contains("running"), "stdout holds results only");
    }

    @Test
    void oneCaseIsolatedToOneSpan() {
        String id = "w4.int6.bf16-cast.cdna3.n16392.specials.b0.s0x0123456789ABCDEF";
        CliRun r = run("--backend", "cpu", "--case", id, "--isolate", "9000");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("1 case(s)"), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" {2}outputs +1 +0 +0 +[0-9.]+")), r::toString);
        assertFalse(r.out().contains("error-contract"), "a single case runs the case checks only");
    }

    /** The false alarm of issue 12: all-zero bf16 spans give -0 (0x8000) on the native bf16 path, as the model does. */
    @Test
    void anIsolatedBf16ZeroGroupCasePasses() {
        CliRun r = run("--backend", "cpu", "--case", "w4.int6.bf16.cuda.n2048.zero-groups.b0.s0xDE93D59047B6ACCC", "--isolate", "100");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" {2}zero-group-sign +1 +0 +0 +[0-9.]+")), r::toString);
    }

    /** A failure of an isolated run names --isolate in its repro, whatever element the check reports. */
    @Test
    void theReproOfAnIsolatedRunIsolatesTheSameSpan() {
        ConformanceCommand c = new ConformanceCommand();
        c.opener = name -> new FlippedBit(Backends.open("cpu"));
        String id = "w2.int4.fp16.cuda.n2048.gaussian.b0.s0x0000000000000007";
        CliRun r = Registered.run(c, "conformance", "--backend", "cpu", "--case", id, "--isolate", "70");
        assertEquals(ExitCodes.FAILED, r.exitCode(), r::toString);
        List<String> lines = r.out().lines().filter(l -> l.startsWith("rule=")).toList();
        assertFalse(lines.isEmpty(), r::toString);
        for (String line : lines) {
            assertTrue(line.endsWith(" repro: ./qr conformance --backend cpu --case " + id + " --isolate 70"), line);
        }
    }

    @Test
    void aWrongBitFailsWithItsOneLineReport() {
        ConformanceCommand c = new ConformanceCommand();
        c.opener = name -> new FlippedBit(Backends.open("cpu"));
        CliRun r = Registered.run(c, concat(prepend("conformance", SMALL), "--property", "outputs,ranks-identical"));
        assertEquals(ExitCodes.FAILED, r.exitCode(), r::toString);
        List<String> out = r.out().lines().toList();
        // the 2048-element case; the other has 8 elements, where the double flips element 7
        String line = out.stream().filter(l -> l.startsWith("rule=RED-4 property=outputs case=w2.int4.fp16.cuda.n2048.")).findFirst()
                .orElseThrow(() -> new AssertionError(r.toString()));
        assertTrue(line.contains(" rank=1 tile=0 atom=0 group=2 lane=even thread=12 element=100 "), line);
        assertTrue(line.contains(" repro: ./qr conformance --backend cpu --case w2.int4.fp16.cuda."), line);
        assertTrue(out.get(out.indexOf(line) + 1).startsWith("  1 wrong element(s), seed 0x"), r::toString);
        assertTrue(out.getLast().startsWith("FAIL: cpu, 2 properties, 2 case(s), 4 failure(s) in outputs, ranks-identical"), r::toString);
        assertTrue(r.err().contains("4 failure(s)"), "the progress bar counts failures");
    }

    @Test
    void anUnavailableBackendIsOneMessage() {
        ConformanceCommand c = new ConformanceCommand();
        c.opener = name -> {
            throw new BackendUnavailableException("no GPU found (test)");
        };
        CliRun r = Registered.run(c, "conformance", "--backend", "gpu");
        assertEquals(ExitCodes.UNAVAILABLE, r.exitCode(), r::toString);
        assertEquals("qr conformance: backend gpu cannot run here: no GPU found (test)", r.message());
        assertEquals("", r.out());
    }

    @Test
    void theRealGpuBackendWhereItCannotRun() {
        String reason = null;
        try {
            Backends.open("gpu");
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
        assumeTrue(reason != null, "a GPU backend runs here");
        CliRun r = run("--backend", "gpu", "--world-sizes", "2");
        assertEquals(ExitCodes.UNAVAILABLE, r.exitCode(), r::toString);
        assertEquals("qr conformance: backend gpu cannot run here: " + reason, r.message());
    }

    @Test
    void help() {
        CliRun r = run("--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Usage: qr conformance"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void usageErrors() {
        expectUsage("qr conformance: unknown backend 'tpu' (expected one of ", "--backend", "tpu");
        expectUsage("qr conformance: --level 3: expected 1 (quick) or 2 (thorough)", "--level", "3");
        expectUsage("qr conformance: --world-sizes: 3 is not supported (expected 2, 4 or 8)", "--world-sizes", "2,3");
        expectUsage("qr conformance: --property: unknown property 'speed' (expected one of outputs, ranks-identical, ", "--property", "speed");
        expectUsage("qr conformance: --isolate needs --case", "--isolate", "5");
        expectUsage("qr conformance: --case: malformed case id 'w4.int4'", "--case", "w4.int4");
        expectUsage("qr conformance: --case: unknown codec 'int5'", "--case", "w4.int5.fp16.cuda.n8.gaussian.b0.s0x1");
        expectUsage("qr conformance: --case names its own world size", "--case", "w4.int4.fp16.cuda.n8.gaussian.b0.s0x1", "--codecs", "fp");
        expectUsage("qr conformance: --isolate 8 is outside the case's 8 elements", "--case", "w4.int4.fp16.cuda.n8.gaussian.b0.s0x1",
                "--isolate", "8");
        expectUsage("qr conformance: Invalid value for option '--seed': 'xyz' is not a seed: expected a decimal or 0x-hex", "--seed", "xyz");
        expectUsage("qr conformance: Invalid value for option '--codecs'", "--codecs", "int5");
        expectUsage("qr conformance: Invalid value for option '--paths'", "--paths", "fp32");
    }

    @Test
    void aReportPathThatIsAFileFailsBeforeTheRun() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun r = run(concat(SMALL, "--report", file.toString()));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr conformance: --report '" + file + "' exists and is not a directory", r.message());
    }

    private static void expectUsage(String messageStart, String... args) {
        CliRun r = run(args);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith(messageStart), () -> "expected '" + messageStart + "...', got\n" + r);
    }

    private static String[] prepend(String first, String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The CPU model under the name cpu, except that group calls flip the lowest bit of rank 1's element 100. */
    static final class FlippedBit implements Backend {
        private final Backend cpu;

        FlippedBit(Backend cpu) {
            this.cpu = cpu;
        }

        @Override
        public String name() {
            return cpu.name();
        }

        @Override
        public Set<Profile> profiles() {
            return cpu.profiles();
        }

        @Override
        public Profile defaultProfile() {
            return cpu.defaultProfile();
        }

        @Override
        public String describe() {
            return "CPU model with a flipped output bit (test double)";
        }

        @Override
        public DeviceComms newComms(CommsOptions options) {
            return cpu.newComms(options);
        }

        @Override
        public GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
            GroupComms g = cpu.newGroup(worldSize, maxProblemBytes, options);
            return new GroupComms() {
                @Override
                public int worldSize() {
                    return g.worldSize();
                }

                @Override
                public Profile profile() {
                    return g.profile();
                }

                @Override
                public BufferLayout layout() {
                    return g.layout();
                }

                @Override
                public void allreduce(List<MemorySegment> in, List<MemorySegment> out, long n, DType dtype, QuantLevel q, boolean cast) {
                    g.allreduce(in, out, n, dtype, q, cast);
                    long e = Math.min(100, n - 1);
                    MemorySegment o = out.get(1);
                    o.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * e, (short) (o.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * e) ^ 1));
                }

                @Override
                public void readBuffer(int rank, MemorySegment dst) {
                    g.readBuffer(rank, dst);
                }

                @Override
                public void close() {
                    g.close();
                }
            };
        }
    }
}
