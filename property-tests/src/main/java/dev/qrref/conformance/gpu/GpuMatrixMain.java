package dev.qrref.conformance.gpu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Inputs;
import dev.qrref.conformance.Listener;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.Suite;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.conformance.Target;
import dev.qrref.conformance.report.Json;
import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.hip.DeviceBuffer;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.GpuGroupComms;
import dev.qrref.hip.LeakCheck;
import dev.qrref.hip.QrNative;
import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.Constant;
import dev.qrref.spec.Constants;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The GPU matrix: everything a GPU visit checks, in one process, with one report.
 *
 * <pre>
 * GpuMatrixMain REPORT_DIR [--sections info,matrix,suite,errors,soak,ipc,bench,leak] [--worlds 2,4,8]
 *               [--budget-seconds 240] [--soak-calls 10000] [--leak-cycles 10000] [--seed 0x..] [--sizes ...]
 * </pre>
 *
 * <ul>
 *   <li>info: device, library, residency; every spec constant compiled into libqr equals the spec's.</li>
 *   <li>matrix: W x codec x path x N x input kind; each case runs on a fresh GPU group and a fresh CPU-model group with
 *       the GPU's grid cap and profile; the suite's case checks compare outputs bit for bit (NaN as a class), the
 *       communication buffers (NaN as a class on 16-bit float fields), ranks, tails, exact integer sums. Cases run
 *       smallest first; once the time budget is spent the rest are reported as skipped.</li>
 *   <li>suite: the conformance suite's properties (error contract, peer timeout, variable sizes, per-rank threads).</li>
 *   <li>errors: bad input through FFM, each expecting its typed exception.</li>
 *   <li>soak: back-to-back calls alternating 1 Mi / 2 Mi elements and all codecs on device buffers; every call's output
 *       is counted against the first call of its (size, codec), which is checked against the CPU model.</li>
 *   <li>ipc: two OS processes on one GPU exchange handles through files and run one all-reduce; outputs vs the model.</li>
 *   <li>bench: median device-event times per W / codec / size after warm-up, on fresh non-zero inputs, and the
 *       device-to-device copy bandwidth.</li>
 *   <li>leak: create/init/close cycles; host RSS and device memory before and after.</li>
 * </ul>
 * Writes {@code report.md}, {@code cells.csv}, {@code bench.csv} and {@code summary.json} to REPORT_DIR, progress to
 * stderr, the summary table last to stdout; exits 1 on any mismatch or failure.
 */
public final class GpuMatrixMain {
    static final long[] SIZES = {8, 2048, 16384, 16392, 1048600, 16777216};

    private final Path dir;
    private final Map<String, String> opts;
    private final GpuBackend gpu;
    private final Backend cpu;
    private final String cpuMissing;
    private final long t0 = System.nanoTime();
    private final StringBuilder md = new StringBuilder();
    /** section -> {passed, failed, skipped} and a note */
    private final Map<String, long[]> summary = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> cellRows = new ArrayList<>();
    private final List<String> benchRows = new ArrayList<>();

    private GpuMatrixMain(Path dir, Map<String, String> opts) {
        this.dir = dir;
        this.opts = opts;
        this.gpu = GpuBackend.open();
        Backend c = null;
        String why = null;
        try {
            c = Backends.open("cpu");
        } catch (QrException e) {
            why = e.getMessage();
        }
        this.cpu = c;
        this.cpuMissing = why;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: GpuMatrixMain REPORT_DIR [--sections a,b] [--worlds 2,4,8] [--budget-seconds S] "
                    + "[--soak-calls N] [--leak-cycles N] [--seed 0x..]");
            System.exit(2);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        GpuMatrixMain m = new GpuMatrixMain(dir, opts);
        int rc = m.run();
        System.exit(rc);
    }

    private Set<String> sections() {
        return new LinkedHashSet<>(Arrays.asList(opts.getOrDefault("sections", "info,matrix,suite,errors,soak,ipc,bench,leak")
                .split(",")));
    }

    private List<Integer> worlds() {
        return Arrays.stream(opts.getOrDefault("worlds", "2,4,8").split(",")).map(Integer::parseInt).toList();
    }

    private int run() throws IOException {
        md.append("# GPU conformance matrix\n\n");
        md.append("- device: ").append(gpu.describe()).append('\n');
        md.append("- library: ").append(gpu.nativeLibrary().path()).append('\n');
        md.append("- CPU model: ").append(cpu != null ? cpu.describe() : "absent (" + cpuMissing + ")").append('\n');
        md.append("- sections: ").append(sections()).append(", worlds ").append(worlds()).append('\n');
        for (String s : sections()) {
            long s0 = System.nanoTime();
            progress("== " + s);
            try {
                switch (s) {
                    case "info" -> info();
                    case "matrix" -> matrix();
                    case "suite" -> suite();
                    case "errors" -> errors();
                    case "soak" -> soak();
                    case "ipc" -> ipc();
                    case "bench" -> bench();
                    case "leak" -> leak();
                    default -> fail(s, "unknown section " + s);
                }
            } catch (RuntimeException | Error e) {
                fail(s, "section aborted: " + e);
                e.printStackTrace();
            }
            notes.merge(s, String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - s0) / 1e9), (a, b) -> a + "; " + b);
        }
        return finish();
    }

    // ---- bookkeeping ------------------------------------------------------------------------------------------------

    private long[] counts(String section) {
        return summary.computeIfAbsent(section, k -> new long[3]);
    }

    private void pass(String section) {
        counts(section)[0]++;
    }

    private void fail(String section, String line) {
        counts(section)[1]++;
        failures.add("[" + section + "] " + line);
        System.err.println("FAIL [" + section + "] " + line);
    }

    private void skip(String section, long n) {
        counts(section)[2] += n;
    }

    private static void progress(String s) {
        System.err.println(s);
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private double budget() {
        return Double.parseDouble(opts.getOrDefault("budget-seconds", "240"));
    }

    // ---- info -------------------------------------------------------------------------------------------------------

    private void info() {
        QrNative nat = gpu.nativeLibrary();
        int[] res = nat.residentBlocks(gpu.device());
        md.append("\n## Info\n\n");
        md.append("- platform ").append(nat.platform()).append(", native profile ").append(nat.nativeProfile().id())
                .append(", profiles ").append(gpu.profiles()).append(", ").append(nat.kernelCount()).append(" kernels\n");
        md.append("- residency: ").append(res[1]).append(" blocks per SM, ").append(res[0]).append(" resident blocks; one-GPU ")
                .append("group grid cap per rank:");
        for (int w : worlds()) {
            try (GroupComms g = gpu.newGroup(w, 1L << 20, CommsOptions.of(Profile.CUDA))) {
                md.append(" W=").append(w).append(": ").append(g.layout().maxBlocks());
            }
        }
        md.append('\n');
        int wrong = 0;
        for (Constant c : Constants.all()) {
            long v;
            try {
                v = nat.specConstant(c.name());
            } catch (QrException e) {
                fail("info", "libqr lacks spec constant " + c.name());
                wrong++;
                continue;
            }
            if (v != c.value()) {
                fail("info", "spec constant " + c.name() + ": libqr " + v + ", spec " + c.value());
                wrong++;
            } else {
                pass("info");
            }
        }
        md.append("- spec constants compiled into libqr: ").append(Constants.all().size() - wrong).append(" of ")
                .append(Constants.all().size()).append(" equal the spec\n");
    }

    // ---- matrix -----------------------------------------------------------------------------------------------------

    /** The cases: small sizes get every input kind and every profile; 1 Mi and 16 Mi get Gaussian, specials and small integers. */
    List<CaseSpec> cases(long seed) {
        List<CaseSpec> small = new ArrayList<>();
        List<CaseSpec> medium = new ArrayList<>();
        List<CaseSpec> large = new ArrayList<>();
        long[] sizes = opts.containsKey("sizes") ? Arrays.stream(opts.get("sizes").split(",")).mapToLong(Long::parseLong).toArray()
                : SIZES;
        for (int w : worlds()) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath path : DataPath.values()) {
                    for (long n : sizes) {
                        // the saturating profile only differs from cuda on the fp16 arithmetic paths
                        List<Profile> profiles = n <= 16392 && path != DataPath.BF16
                                ? List.of(Profile.CUDA, Profile.CDNA3, Profile.CDNA4) : List.of(Profile.CUDA);
                        List<InputKind> kinds = n <= 16392 ? List.of(InputKind.values())
                                : List.of(InputKind.GAUSSIAN, InputKind.SPECIALS, InputKind.SMALL_INTEGERS);
                        for (Profile p : profiles) {
                            for (InputKind k : kinds) {
                                String label = "gpu-matrix/w" + w + "/" + q + "/" + path + "/" + p + "/" + n + "/" + k;
                                CaseSpec c = new CaseSpec(w, q, path, p, n, k, 0, Seeds.derive(seed, label));
                                (n <= 16392 ? small : n <= 1048600 ? medium : large).add(c);
                            }
                        }
                    }
                }
            }
        }
        List<CaseSpec> all = new ArrayList<>(small);
        all.addAll(medium);
        all.addAll(large);
        return all;
    }

    private void matrix() {
        String section = "matrix";
        long seed = opts.containsKey("seed") ? Long.parseUnsignedLong(opts.get("seed").replaceFirst("^0x", ""), 16) : Seeds.base();
        List<CaseSpec> cases = cases(seed);
        Target target = new Target(gpu, Duration.ofSeconds(30));
        List<CaseCheck> checks = Suite.caseChecks();
        md.append("\n## Matrix\n\nbase seed ").append(Seeds.hex(seed)).append(", ").append(cases.size()).append(" cases")
                .append(cpu == null ? "; **CPU model absent: only model-free checks ran**" : "").append("\n\n");
        cellRows.add("case,world,codec,path,profile,n,kind,max_blocks,elements,wrong_outputs,buffer_bytes_wrong,failed_checks,gpu_s,model_s");
        int done = 0;
        for (CaseSpec spec : cases) {
            if (elapsed() > budget()) {
                skip(section, cases.size() - done);
                notes.put(section, "budget of " + budget() + " s spent after " + done + " cases");
                break;
            }
            if (done % 50 == 0) {
                progress(String.format(Locale.ROOT, "matrix %d/%d %s (%.0f s)", done, cases.size(), spec.id(), elapsed()));
            }
            done++;
            runCase(target, checks, spec);
        }
    }

    private void runCase(Target target, List<CaseCheck> checks, CaseSpec spec) {
        short[][] inputs = Inputs.generate(spec);
        CaseRun run;
        long g0 = System.nanoTime();
        try {
            run = CaseRun.execute(target, spec, inputs, true);
        } catch (QrException e) {
            fail("matrix", spec.id() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            cellRows.add(row(spec, 0, -1, -1, -1, "exception", 0, 0));
            return;
        }
        double gpuS = (System.nanoTime() - g0) / 1e9;
        List<String> failed = new ArrayList<>();
        long wrongOut = -1;
        long wrongBuf = -1;
        double modelS = 0;
        if (cpu != null) {
            long m0 = System.nanoTime();
            Expected expected = Expected.of(target, spec, inputs, run.layout(), true);
            modelS = (System.nanoTime() - m0) / 1e9;
            wrongOut = OutputDiff.compare(spec.path().dtype.format, run.outputs(), expected.outputs(), spec.n()).wrong();
            wrongBuf = dev.qrref.conformance.BufferDiff.compare(spec, run.layout(), run.buffers(), expected.buffers()).wrong();
            for (CaseCheck check : checks) {
                if (!check.appliesTo(target, spec)) {
                    continue;
                }
                Optional<Failure> f = check.check(target, run, expected);
                if (f.isPresent()) {
                    failed.add(check.name());
                    fail("matrix", f.get().line() + " |" + f.get().countLine());
                }
            }
        } else {
            // Model-free: every rank identical; exact integer sums where the case has them.
            for (CaseCheck check : checks) {
                if (check.name().equals("ranks-identical") || check.name().equals("tail-untouched")) {
                    Optional<Failure> f = check.check(target, run, null);
                    if (f.isPresent()) {
                        failed.add(check.name());
                        fail("matrix", f.get().line());
                    }
                }
            }
        }
        if (failed.isEmpty()) {
            pass("matrix");
        }
        cellRows.add(row(spec, run.layout().maxBlocks(), spec.n() * spec.worldSize(), wrongOut, wrongBuf, String.join(" ", failed),
                gpuS, modelS));
    }

    private static String row(CaseSpec s, int maxBlocks, long elements, long wrongOut, long wrongBuf, String failed, double g,
                              double m) {
        return String.join(",", s.id(), "" + s.worldSize(), s.level().cliName(), s.path().id(), s.profile().id(), "" + s.n(),
                s.kind().id(), "" + maxBlocks, "" + elements, "" + wrongOut, "" + wrongBuf, failed,
                String.format(Locale.ROOT, "%.4f", g), String.format(Locale.ROOT, "%.4f", m));
    }

    // ---- suite properties ---------------------------------------------------------------------------------------------

    private void suite() {
        if (cpu == null) {
            skip("suite", 1);
            notes.put("suite", "needs the CPU model");
            return;
        }
        SuiteConfig config = SuiteConfig.defaults(Level.QUICK).withWorldSizes(worlds())
                .withProperties(Set.of("error-contract", "peer-timeout", "variable-sizes", "per-rank"));
        SuiteResult r = Suite.run(new Target(gpu, Duration.ofSeconds(30)), config, Listener.SILENT);
        md.append("\n## Suite properties\n\n| property | passed | failed | skipped |\n|---|---:|---:|---:|\n");
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            md.append("| ").append(p.name).append(" | ").append(p.passed).append(" | ").append(p.failures.size()).append(" | ")
                    .append(p.skipped.size()).append(" |\n");
            counts("suite")[0] += p.passed;
            for (Failure f : p.failures) {
                fail("suite", f.line() + " " + f.countLine());
            }
            skip("suite", p.skipped.size());
        }
    }

    // ---- bad input through FFM ----------------------------------------------------------------------------------------

    private void expect(String what, Class<? extends QrException> type, Runnable call) {
        try {
            call.run();
            fail("errors", what + ": no exception (expected " + type.getSimpleName() + ")");
        } catch (QrException e) {
            if (type.isInstance(e)) {
                pass("errors");
                md.append("- ").append(what).append(": `").append(e.getClass().getSimpleName()).append(": ")
                        .append(e.getMessage().replace('`', '\'')).append("`\n");
            } else {
                fail("errors", what + ": " + e.getClass().getSimpleName() + " instead of " + type.getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private void errors() {
        md.append("\n## Bad input through FFM\n\n");
        CommsOptions o = new CommsOptions(Profile.CUDA, 0, Duration.ofSeconds(5));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(1 << 16);
            DeviceComms c = gpu.newComms(o);
            expect("init with world size 3", InvalidArgumentException.class, () -> c.init(3, 0, OptionalLong.empty()));
            expect("init with rank 2 of 2", InvalidArgumentException.class, () -> c.init(2, 2, OptionalLong.empty()));
            expect("allreduce before init", InvalidStateException.class, () -> c.allreduce(s, s, 8, DType.FP16, QuantLevel.F16, false));
            c.init(2, 0, OptionalLong.of(1024));
            expect("allreduce before the handles are opened", InvalidStateException.class,
                    () -> c.allreduce(s, s, 8, DType.FP16, QuantLevel.F16, false));
            expect("open a wrong number of handles", InvalidArgumentException.class, () -> c.openIpcHandles(List.of(c.handle())));
            DeviceComms peer = gpu.newComms(o);
            peer.init(2, 1, OptionalLong.of(1024));
            c.openIpcHandles(List.of(c.handle(), peer.handle()));
            expect("N % 8 != 0", InvalidArgumentException.class, () -> c.allreduce(s, s, 12, DType.FP16, QuantLevel.F16, false));
            expect("N above the max problem size", InvalidArgumentException.class, () -> c.allreduce(s, s, 1024, DType.FP16, QuantLevel.F16, false));
            peer.close();
            c.close();
            expect("use after close", InvalidStateException.class, () -> c.allreduce(s, s, 8, DType.FP16, QuantLevel.F16, false));
            expect("double close", InvalidStateException.class, c::close);
            GroupComms g = gpu.newGroup(2, 1024, o);
            expect("group with one input for W=2", InvalidArgumentException.class,
                    () -> g.allreduce(List.of(s), List.of(s), 8, DType.FP16, QuantLevel.F16, false));
            g.close();
            expect("group double close", InvalidStateException.class, g::close);
            expect("group world size 6", InvalidArgumentException.class, () -> gpu.newGroup(6, 1024, o));
        }
    }

    // ---- soak -----------------------------------------------------------------------------------------------------------

    private void soak() {
        int calls = Integer.parseInt(opts.getOrDefault("soak-calls", "10000"));
        int w = worlds().get(worlds().size() - 1);
        long[] sizes = {1L << 20, 2L << 20};
        QuantLevel[] codecs = QuantLevel.values();
        QrNative nat = gpu.nativeLibrary();
        long s0 = System.nanoTime();
        long wrong = 0;
        int completed = 0;
        try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * sizes[1], new CommsOptions(Profile.CUDA, 0, Duration.ofSeconds(10)))) {
            List<DeviceBuffer> in = new ArrayList<>();
            List<DeviceBuffer> out = new ArrayList<>();
            Map<String, List<DeviceBuffer>> expected = new LinkedHashMap<>();
            try {
                for (int r = 0; r < w; r++) {
                    in.add(g.allocate(r, 2 * sizes[1]));
                    out.add(g.allocate(r, 2 * sizes[1]));
                    nat.fillRandom(g.device(r), in.get(r).address(), sizes[1], DType.FP16.code, 1000 + r);
                }
                for (int i = 0; i < calls; i++) {
                    long n = sizes[i % 2];
                    QuantLevel q = codecs[(i / 2) % codecs.length];
                    String key = n + "/" + q;
                    g.allreduceDevice(in, out, n, DType.FP16, q, false);
                    List<DeviceBuffer> want = expected.get(key);
                    if (want == null) {
                        want = new ArrayList<>();
                        for (int r = 0; r < w; r++) {
                            DeviceBuffer copy = g.allocate(r, 2 * n);
                            nat.d2d(g.device(r), copy.address(), out.get(r).address(), 2 * n);
                            want.add(copy);
                        }
                        expected.put(key, want);
                        checkSoakReference(g, in, out, n, q, w);
                    } else {
                        for (int r = 0; r < w; r++) {
                            wrong += nat.countMismatches(g.device(r), out.get(r).address(), want.get(r).address(), n);
                        }
                    }
                    completed++;
                }
            } finally {
                in.forEach(DeviceBuffer::close);
                out.forEach(DeviceBuffer::close);
                expected.values().forEach(l -> l.forEach(DeviceBuffer::close));
            }
        } catch (QrException e) {
            fail("soak", "after " + completed + " calls: " + e.getMessage());
        }
        double secs = (System.nanoTime() - s0) / 1e9;
        if (wrong != 0) {
            fail("soak", wrong + " output elements differ from the first call of their (size, codec)");
        } else if (completed == calls) {
            pass("soak");
        }
        String line = String.format(Locale.ROOT, "W=%d, %d of %d calls alternating 1 Mi / 2 Mi elements and %d codecs in %.1f s "
                + "(%.0f us per call incl. checks), %d wrong elements", w, completed, calls, codecs.length, secs,
                secs * 1e6 / Math.max(1, completed), wrong);
        md.append("\n## Soak\n\n").append(line).append('\n');
        notes.put("soak", line);
    }

    /** The first call of a (size, codec) pair against the CPU model (outputs only: buffer history differs). */
    private void checkSoakReference(GpuGroupComms g, List<DeviceBuffer> in, List<DeviceBuffer> out, long n, QuantLevel q, int w) {
        if (cpu == null) {
            return;
        }
        int ni = (int) n;
        try (Arena a = Arena.ofShared();
             GroupComms m = cpu.newGroup(w, 2 * n, new CommsOptions(Profile.CUDA, g.layout().maxBlocks(), Duration.ofSeconds(30)))) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            short[][] got = new short[w][ni];
            short[][] want = new short[w][ni];
            for (int r = 0; r < w; r++) {
                MemorySegment h = a.allocate(2 * n, 16);
                in.get(r).download(h, 2 * n);
                ins.add(h);
                outs.add(a.allocate(2 * n, 16));
                MemorySegment go = a.allocate(2 * n, 16);
                out.get(r).download(go, 2 * n);
                MemorySegment.copy(go, ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, ni);
            }
            m.allreduce(ins, outs, n, DType.FP16, q, false);
            for (int r = 0; r < w; r++) {
                MemorySegment.copy(outs.get(r), ValueLayout.JAVA_SHORT_UNALIGNED, 0, want[r], 0, ni);
            }
            OutputDiff d = OutputDiff.compare(DType.FP16.format, got, want, n);
            if (!d.ok()) {
                fail("soak", String.format("reference call n=%d codec=%s: %d wrong vs the CPU model, first rank %d element %d "
                        + "got=0x%04X want=0x%04X", n, q.cliName(), d.wrong(), d.rank(), d.element(), d.got(), d.want()));
            }
        }
    }

    // ---- real IPC between two processes ---------------------------------------------------------------------------------

    private void ipc() throws IOException {
        CaseSpec spec = new CaseSpec(2, QuantLevel.INT4, DataPath.FP16, Profile.CUDA, 3 * 16384 + 104, InputKind.GAUSSIAN,
                gpu.nativeLibrary().residentBlocks(gpu.device())[0] / 2 > 1216 ? 1216
                        : gpu.nativeLibrary().residentBlocks(gpu.device())[0] / 2, Seeds.derive(Seeds.base(), "gpu-ipc"));
        Path work = Files.createTempDirectory("qr-ipc");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> procs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path")));
            String lib = System.getProperty("qr.native.lib");
            if (lib != null && !lib.isBlank()) {
                cmd.add("-Dqr.native.lib=" + lib);
            }
            cmd.addAll(List.of(IpcPeerMain.class.getName(), work.toString(), "" + r, spec.id()));
            procs.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("rank" + r + ".log").toFile()).start());
        }
        boolean ok = true;
        for (int r = 0; r < 2; r++) {
            try {
                if (!procs.get(r).waitFor(120, TimeUnit.SECONDS)) {
                    procs.get(r).destroyForcibly();
                    fail("ipc", "rank " + r + " process did not finish within 120 s");
                    ok = false;
                } else if (procs.get(r).exitValue() != 0) {
                    fail("ipc", "rank " + r + " process exited " + procs.get(r).exitValue() + ": "
                            + Files.readString(work.resolve("rank" + r + ".log")).strip());
                    ok = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        String line;
        if (ok) {
            short[][] got = new short[2][(int) spec.n()];
            for (int r = 0; r < 2; r++) {
                byte[] b = Files.readAllBytes(work.resolve("out" + r + ".bin"));
                MemorySegment.copy(MemorySegment.ofArray(b), ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, got[r].length);
            }
            if (cpu != null) {
                CaseRun model = CaseRun.execute(new Target(cpu, Duration.ofSeconds(30)), spec, Inputs.generate(spec), false);
                short[][] want = new short[2][];
                for (int r = 0; r < 2; r++) {
                    want[r] = Arrays.copyOf(model.outputs()[r], (int) spec.n());
                }
                OutputDiff d = OutputDiff.compare(DType.FP16.format, got, want, spec.n());
                line = "two processes, " + spec.id() + ": " + (d.ok() ? "outputs equal the CPU model" : d.wrong() + " wrong elements");
                if (d.ok()) {
                    pass("ipc");
                } else {
                    fail("ipc", line);
                }
            } else {
                boolean same = Arrays.equals(got[0], got[1]);
                line = "two processes, " + spec.id() + ": ranks " + (same ? "identical" : "differ") + " (CPU model absent)";
                if (same) {
                    pass("ipc");
                } else {
                    fail("ipc", line);
                }
            }
        } else {
            line = "failed, logs in " + work;
        }
        md.append("\n## IPC\n\n").append(line).append('\n');
        notes.put("ipc", line);
    }

    // ---- bench --------------------------------------------------------------------------------------------------------

    private void bench() {
        QrNative nat = gpu.nativeLibrary();
        double gbps = nat.copyBandwidth(gpu.device(), 1L << 30, 20);
        md.append("\n## Timings\n\ndevice-to-device copy (cudaMemcpy, 1 GiB, median of 20, read + write): ")
                .append(String.format(Locale.ROOT, "%.0f GB/s", gbps)).append("\n\n");
        md.append("All-reduce, one GPU, W ranks as W streams; median of 50 calls after 10 warm-up calls (device events around "
                + "all W launches), fresh non-zero fp16 inputs.\n\n| W | codec | elements | median us | p10 us | p90 us | "
                + "algbw GB/s |\n|---:|---|---:|---:|---:|---:|---:|\n");
        benchRows.add("world,codec,path,elements,median_us,p10_us,p90_us,algbw_gbps");
        long[] sizes = {65536, 1L << 20, 4L << 20, 16L << 20};
        for (int w : worlds()) {
            try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * sizes[sizes.length - 1], CommsOptions.of(Profile.CUDA))) {
                List<DeviceBuffer> in = new ArrayList<>();
                List<DeviceBuffer> out = new ArrayList<>();
                try {
                    for (int r = 0; r < w; r++) {
                        in.add(g.allocate(r, 2 * sizes[sizes.length - 1]));
                        out.add(g.allocate(r, 2 * sizes[sizes.length - 1]));
                        nat.fillRandom(g.device(r), in.get(r).address(), sizes[sizes.length - 1], DType.FP16.code, 77 + r);
                    }
                    for (QuantLevel q : QuantLevel.values()) {
                        for (long n : sizes) {
                            float[] t = g.time(in, out, n, DType.FP16, q, false, 10, 50);
                            Arrays.sort(t);
                            double med = t[t.length / 2];
                            double algbw = 2.0 * n / (med * 1e-6) / 1e9;
                            benchRows.add(String.format(Locale.ROOT, "%d,%s,fp16,%d,%.2f,%.2f,%.2f,%.1f", w, q.cliName(), n, med,
                                    t[t.length / 10], t[t.length * 9 / 10], algbw));
                            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %.1f | %.1f | %.1f | %.1f |\n", w, q.cliName(), n,
                                    med, t[t.length / 10], t[t.length * 9 / 10], algbw));
                            pass("bench");
                        }
                    }
                } finally {
                    in.forEach(DeviceBuffer::close);
                    out.forEach(DeviceBuffer::close);
                }
            }
        }
        notes.put("bench", String.format(Locale.ROOT, "copy %.0f GB/s", gbps));
    }

    // ---- leak ---------------------------------------------------------------------------------------------------------

    private void leak() {
        int cycles = Integer.parseInt(opts.getOrDefault("leak-cycles", "10000"));
        LeakCheck.Result r = LeakCheck.run(gpu, cycles);
        md.append("\n## Leak check\n\n").append(r.line()).append('\n');
        notes.put("leak", r.line());
        if (r.ok()) {
            pass("leak");
        } else {
            fail("leak", r.line());
        }
    }

    // ---- report -------------------------------------------------------------------------------------------------------

    private int finish() throws IOException {
        md.append("\n## Failures\n\n");
        if (failures.isEmpty()) {
            md.append("none\n");
        }
        for (String f : failures.subList(0, Math.min(200, failures.size()))) {
            md.append("- `").append(f.replace('`', '\'')).append("`\n");
        }
        if (failures.size() > 200) {
            md.append("- … ").append(failures.size() - 200).append(" more\n");
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-8s %8s %8s %8s  %s%n", "section", "passed", "failed", "skipped", "note"));
        ObjectNode json = Json.object();
        json.put("device", gpu.describe());
        json.put("cpu_model", cpu != null);
        json.put("seconds", Math.round(elapsed() * 10) / 10.0);
        ObjectNode sections = json.putObject("sections");
        for (Map.Entry<String, long[]> e : summary.entrySet()) {
            long[] c = e.getValue();
            String note = notes.getOrDefault(e.getKey(), "");
            table.append(String.format(Locale.ROOT, "%-8s %8d %8d %8d  %s%n", e.getKey(), c[0], c[1], c[2], note));
            ObjectNode section = sections.putObject(e.getKey());
            section.put("passed", c[0]);
            section.put("failed", c[1]);
            section.put("skipped", c[2]);
            section.put("note", note);
        }
        json.put("failures", failures.size());
        md.append("\n## Summary\n\n```\n").append(table).append("```\n");
        Files.writeString(dir.resolve("report.md"), md);
        Files.write(dir.resolve("cells.csv"), cellRows);
        Files.write(dir.resolve("bench.csv"), benchRows);
        Files.writeString(dir.resolve("summary.json"), Json.write(json));
        System.out.println("GPU matrix: " + gpu.describe());
        System.out.print(table);
        System.out.println(failures.isEmpty() ? "RESULT: PASS" : "RESULT: FAIL (" + failures.size() + " failures; see report.md)");
        return failures.isEmpty() ? 0 : 1;
    }
}
