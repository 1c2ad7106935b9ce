package dev.qrref.cli;

import dev.qrref.cli.bench.BenchReport;
import dev.qrref.cli.bench.BenchRow;
import dev.qrref.cli.bench.BenchSvg;
import dev.qrref.cli.bench.GpuBench;
import dev.qrref.hip.GpuBackend;
import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.Backends;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr bench}: all-reduce latency of the GPU backend against a measured lower bound, as a fixed-width table on stdout
 * and, with {@code --out}, CSV, Markdown and an SVG plot.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Times the all-reduce on the GPU, all W ranks co-resident on one GPU: for every world size, codec, data path and size, "
                    + "the median of --iters calls after --warmup calls (device events around all W launches), on fresh non-zero "
                    + "inputs rotated over several sets so that no call finds its input in L2.",
            "Measures in the same run the HBM and L2 rates (the fastest of cudaMemcpy, a copy kernel and a read kernel), the "
                    + "L2 size C and the launch floor t0 (the fastest 8-element call), and reports the bound max(t0, (W*2N + "
                    + "max(0, W*2N - C))/B_HBM, W*(4+4b)N/B_L2) (b: the codec's wire bytes per element) and bound / measured; "
                    + "a ratio above 100 %% means the bound is wrong, and the run fails.",
            "--backend cpu is refused: the CPU model's throughput is measured by its JMH benchmarks (./qr jmh)."},
        footer = {"", "Examples:", "  qr bench --backend gpu --out docs/benchmarks",
            "  qr bench --backend gpu -w 8 --codecs int4 --sizes 16Mi,64Mi"})
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "gpu", description = "gpu or cpu. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = {"-w", "--world-sizes"}, split = ",", paramLabel = "W", description = "World sizes (default 2,4,8).")
    List<Integer> worlds;

    @Option(names = "--codecs", split = ",", paramLabel = "CODEC", converter = Converters.Codec.class,
            completionCandidates = Converters.CodecNames.class, description = "Codecs: ${COMPLETION-CANDIDATES} (default all).")
    List<QuantLevel> codecs;

    @Option(names = "--paths", split = ",", paramLabel = "PATH", description = "Data paths: fp16, bf16-cast (default both).")
    List<String> paths;

    @Option(names = "--sizes", split = ",", paramLabel = "N",
            description = "Elements per rank, e.g. 64Ki,1Mi,256Mi (default: 64Ki, 256Ki, 1Mi, 4Mi, then 16Mi..256Mi in powers of 2).")
    List<String> sizes;

    @Option(names = "--iters", defaultValue = "50", description = "Timed calls per configuration. Default: ${DEFAULT-VALUE}.")
    int iters;

    @Option(names = "--warmup", defaultValue = "10", description = "Untimed calls first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--rotate-mib", defaultValue = "512",
            description = "Input bytes that the rotated sets add up to at least (several times the L2: 50 MB on an H100, 60 MiB on an H200). Default: ${DEFAULT-VALUE}.")
    long rotateMib;

    @Option(names = "--out", paramLabel = "DIR", description = "Write bench.csv, bench-graphs.csv, bench.md and bench.svg into DIR.")
    Path out;

    @Option(names = "--graph-sizes", split = ",", paramLabel = "N",
            description = "Small messages timed under CUDA-graph replay, in elements per rank (default 8Ki,128Ki,1Mi: 16 KiB, 256 KiB "
                    + "and 2 MiB); 'none' skips them.")
    List<String> graphSizeArgs;

    @Option(names = "--graph-calls", defaultValue = "20", description = "Identical calls captured in one graph. Default: ${DEFAULT-VALUE}.")
    int graphCalls;

    static final List<Long> DEFAULT_GRAPH_SIZES = List.of(8L << 10, 128L << 10, 1L << 20);

    List<Long> graphSizes() {
        if (graphSizeArgs != null && graphSizeArgs.size() == 1 && graphSizeArgs.getFirst().equals("none")) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        for (String s : graphSizeArgs == null ? DEFAULT_GRAPH_SIZES.stream().map(String::valueOf).toList() : graphSizeArgs) {
            out.add(parseSize(s));
        }
        return out;
    }

    static final List<Long> DEFAULT_SIZES = List.of(64L << 10, 256L << 10, 1L << 20, 4L << 20, 16L << 20, 32L << 20, 64L << 20,
            128L << 20, 256L << 20);

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (backend.equals("cpu")) {
            throw CliException.usage("qr bench times the GPU backend; the CPU model's throughput is measured by its JMH "
                    + "benchmarks: ./qr jmh (e.g. ./qr jmh CodecBenchmark -p codec=int4)");
        }
        if (!backend.equals("gpu")) {
            throw CliException.usage("unknown backend '" + backend + "' (expected gpu or cpu)");
        }
        GpuBench.Config c = config();
        if (out != null) {
            WritableDirectory.require("--out", out);
        }
        GpuBackend gpu = open();
        String device = gpu.describe() + driverVersion();
        err.println(spec.qualifiedName() + ": " + device);
        GpuBench.Rates rates = GpuBench.Rates.measure(gpu);
        o.print(BenchReport.header(device, rates));
        o.flush();
        String when = Instant.now().toString();
        List<BenchRow> rows = GpuBench.run(gpu, c, rates, r -> {
            o.print(BenchReport.line(r));
            o.flush();
        }, s -> err.println(spec.qualifiedName() + ": " + s));
        List<GpuBench.GraphRow> graphs = List.of();
        if (!graphSizes().isEmpty()) {
            o.print(BenchReport.graphHeader());
            graphs = GpuBench.graphs(gpu, c.worlds(), c.codecs(), graphSizes(), graphCalls, Math.max(20, iters), g -> {
                o.print(BenchReport.graphLine(g));
                o.flush();
            });
        }
        if (out != null) {
            try {
                Files.createDirectories(out);
                Files.write(out.resolve("bench.csv"), BenchReport.csv(device, rows));
                Files.write(out.resolve("bench-graphs.csv"), BenchReport.graphCsv(device, graphs));
                String method = String.format(Locale.ROOT, "qr bench --backend gpu: median of %d calls after %d warm-up calls, CUDA events "
                        + "around all W launches, inputs rotated over sets totalling >= %d MiB, fill: non-zero pseudo-random values; "
                        + "small messages: %d identical calls captured in one CUDA graph, median replay time / %d", iters, warmup, rotateMib,
                        graphCalls, graphCalls);
                Files.writeString(out.resolve("bench.md"), BenchReport.markdown(device, when, rates, method, rows, graphs));
                Files.writeString(out.resolve("bench.svg"), BenchSvg.render("qr bench: " + device, rows));
            } catch (IOException e) {
                throw CliException.failed("cannot write to '" + out + "': " + IoErrors.reason(e));
            }
            err.println(spec.qualifiedName() + ": wrote bench.csv, bench-graphs.csv, bench.md and bench.svg to " + out);
        }
        List<BenchRow> bad = BenchReport.boundViolations(rows);
        if (!bad.isEmpty()) {
            err.println(spec.qualifiedName() + ": " + bad.size() + " row(s) ran faster than their lower bound: the bound is wrong "
                    + "(first: W=" + bad.getFirst().worldSize() + " " + bad.getFirst().codec().cliName() + " n=" + bad.getFirst().n() + ")");
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    GpuBench.Config config() {
        List<Integer> w = worlds == null ? Geometry.WORLD_SIZES : worlds;
        for (int x : w) {
            if (!Geometry.WORLD_SIZES.contains(x)) {
                throw CliException.usage("--world-sizes: " + x + " is not supported (expected 2, 4 or 8)");
            }
        }
        List<DataPath> ps = new ArrayList<>();
        for (String p : paths == null ? List.of("fp16", "bf16-cast") : paths) {
            DataPath d;
            try {
                d = DataPath.fromName(p);
            } catch (RuntimeException e) {
                throw CliException.usage("--paths: " + e.getMessage());
            }
            if (d == DataPath.BF16) {
                throw CliException.usage("--paths: the native bf16 path is not benchmarked (upstream runs bf16 through the cast)");
            }
            ps.add(d);
        }
        List<Long> ns = new ArrayList<>();
        for (String s : sizes == null ? DEFAULT_SIZES.stream().map(String::valueOf).toList() : sizes) {
            ns.add(parseSize(s));
        }
        if (iters < 1 || warmup < 0 || rotateMib < 0 || graphCalls < 1) {
            throw CliException.usage("--iters and --graph-calls must be >= 1, --warmup and --rotate-mib >= 0");
        }
        graphSizes();
        return new GpuBench.Config(List.copyOf(w), codecs == null ? List.of(QuantLevel.values()) : List.copyOf(codecs), ps, ns, warmup,
                iters, rotateMib << 20, 64);
    }

    /** ", driver 580.x" from the NVIDIA kernel module's version line when Linux exposes it, else "". */
    static String driverVersion() {
        Path p = Path.of("/proc/driver/nvidia/version");
        try {
            return Files.isReadable(p) ? driverVersion(Files.readString(p)) : "";
        } catch (IOException | RuntimeException e) {
            return ""; // the version is a label only
        }
    }

    /** The version in "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build ...". */
    static String driverVersion(String procText) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kernel Module.*?\\s(\\d+\\.\\d+(?:\\.\\d+)?)\\s").matcher(procText);
        return m.find() ? ", driver " + m.group(1) : "";
    }

    /** {@code 65536}, {@code 64Ki}, {@code 16Mi}: a positive multiple of 8 elements, at most 2^30 (the 2 GiB max size). */
    static long parseSize(String s) {
        String t = s.strip();
        long mul = 1;
        if (t.endsWith("Ki")) {
            mul = 1L << 10;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("Mi")) {
            mul = 1L << 20;
            t = t.substring(0, t.length() - 2);
        }
        long n;
        try {
            n = Long.parseLong(t) * mul;
        } catch (NumberFormatException e) {
            throw CliException.usage("--sizes: '" + s + "' is not a size (e.g. 65536, 64Ki, 16Mi)");
        }
        if (n <= 0 || n % 8 != 0 || n > (1L << 30)) {
            throw CliException.usage("--sizes: " + s + " must be a positive multiple of 8 elements, at most 1024Mi");
        }
        return n;
    }

    private GpuBackend open() {
        try {
            Backend b = Backends.open("gpu");
            if (!(b instanceof GpuBackend g)) {
                throw new CliException(ExitCodes.UNAVAILABLE, "backend gpu is not the native GPU backend here: " + b.describe());
            }
            return g;
        } catch (BackendUnavailableException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "backend gpu cannot run here: " + e.getMessage(), e);
        }
    }
}
