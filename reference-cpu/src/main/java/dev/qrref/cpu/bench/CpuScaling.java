package dev.qrref.cpu.bench;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Thread scaling of the CPU model's group all-reduce: the same call (W ranks of N elements, one codec) timed in one JVM
 * with 1, 2, 4, ... threads, after warm-up calls, with a check that every thread count gives the same output bits. Prints
 * a table (threads, median and best time, speedup, efficiency, elements per second, garbage-collection time) and, with
 * {@code --out DIR}, writes {@code cpu-scaling.md}, {@code cpu-scaling.csv} and {@code cpu-scaling.svg}. Plain Java, no JMH, so that it also
 * runs on the GPU bundle's trimmed runtime:
 * <pre>
 *   ./qr cpu-scaling --threads 1,2 --elements 4194304
 *   ./run dev.qrref.cpu.bench.CpuScaling --threads 1,2,4,8,16 --out cpu-scaling/     (in the GPU bundle)
 * </pre>
 * Exit codes: 0 done, 1 the outputs differ between thread counts, 2 bad usage.
 */
public final class CpuScaling {
    private CpuScaling() {
    }

    /** The run's settings. */
    record Config(int worldSize, QuantLevel codec, DataPath path, Profile profile, long elements, List<Integer> threads, int warmup,
                  int reps, String vector, Path out) {
    }

    /** One measured thread count. */
    record Row(int threads, double medianSeconds, double bestSeconds, double cpuSeconds, double gcSeconds, long gcCount) {
    }

    /** Bad usage: one line, exit code 2. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs with {@code args}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Config c;
        try {
            c = parse(args);
        } catch (UsageException e) {
            err.println("cpu-scaling: " + e.getMessage());
            return 2;
        }
        if (c == null) {
            out.println(USAGE);
            return 0;
        }
        return measure(c, out, err);
    }

    static final String USAGE = """
            usage: cpu-scaling [options]
              -w, --world-size W   ranks: 2, 4 or 8 (default 8)
              --codec CODEC        fp, int8, int6, int4, ... (default int4)
              --path PATH          fp16, bf16, bf16-cast (default fp16)
              --profile P          cuda, cdna3, cdna4 (default cuda)
              --elements N         elements per rank, a multiple of 8 (default 33554432 = 32 Mi)
              --threads LIST       thread counts, e.g. 1,2,4,8,16 (default: 1, then powers of 2 up to the cores)
              --warmup K           untimed calls first, with the most threads (default 2)
              --reps R             timed calls per thread count; the median is reported (default 3)
              --vector V           true (default): the Vector API path; false: the scalar reference path; auto: as qr.cpu.vector
                                   auto decides (vector only after 256 Mi elements through one backend)
              --out DIR            also write DIR/cpu-scaling.md, .csv and .svg""";

    static Config parse(String... args) {
        int w = 8;
        QuantLevel codec = QuantLevel.INT4;
        DataPath path = DataPath.FP16;
        Profile profile = Profile.CUDA;
        long n = 1L << 25;
        List<Integer> threads = null;
        int warmup = 2;
        int reps = 3;
        String vector = "true";
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return null;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a.startsWith("-") ? a + " needs a value" : "unexpected argument '" + a + "' (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "-w", "--world-size" -> {
                    w = integer(a, v);
                    if (!Geometry.WORLD_SIZES.contains(w)) {
                        throw new UsageException(a + " " + v + " is not supported (expected one of " + Geometry.WORLD_SIZES + ")");
                    }
                }
                case "--codec" -> codec = lookup(a, () -> QuantLevel.fromName(v));
                case "--path" -> path = lookup(a, () -> DataPath.fromName(v));
                case "--profile" -> profile = lookup(a, () -> Profile.fromName(v));
                case "--elements" -> {
                    n = longValue(a, v);
                    if (n <= 0 || n % Geometry.SIZE_MULTIPLE_ELEMENTS != 0 || 2 * n > Geometry.DEFAULT_MAX_PROBLEM_BYTES) {
                        throw new UsageException(a + " " + v + " must be a positive multiple of " + Geometry.SIZE_MULTIPLE_ELEMENTS
                                + " of at most " + Geometry.DEFAULT_MAX_PROBLEM_BYTES / 2);
                    }
                }
                case "--threads" -> {
                    threads = new ArrayList<>();
                    for (String t : v.split(",")) {
                        int k = integer(a, t.strip());
                        if (k < 1) {
                            throw new UsageException(a + ": " + k + " must be at least 1");
                        }
                        threads.add(k);
                    }
                }
                case "--warmup" -> warmup = nonNegative(a, v);
                case "--reps" -> {
                    reps = nonNegative(a, v);
                    if (reps < 1) {
                        throw new UsageException(a + " must be at least 1");
                    }
                }
                case "--vector" -> {
                    if (!List.of("true", "false", "auto").contains(v)) {
                        throw new UsageException(a + " " + v + ": expected true, false or auto");
                    }
                    vector = v;
                }
                case "--out" -> out = Path.of(v);
                default -> throw new UsageException("unknown option '" + a + "' (see --help)");
            }
        }
        if (threads == null) {
            threads = new ArrayList<>(List.of(1));
            int cores = Runtime.getRuntime().availableProcessors();
            for (int t = 2; t <= cores; t *= 2) {
                threads.add(t);
            }
            if (threads.getLast() != cores) {
                threads.add(cores);
            }
        }
        return new Config(w, codec, path, profile, n, List.copyOf(threads), warmup, reps, vector, out);
    }

    private interface Lookup<T> {
        T get();
    }

    private static <T> T lookup(String option, Lookup<T> f) {
        try {
            return f.get();
        } catch (RuntimeException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static int integer(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + v + "' is not an integer");
        }
    }

    private static long longValue(String option, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + v + "' is not an integer");
        }
    }

    private static int nonNegative(String option, String v) {
        int k = integer(option, v);
        if (k < 0) {
            throw new UsageException(option + ": " + k + " must not be negative");
        }
        return k;
    }

    static int measure(Config c, PrintWriter out, PrintWriter err) {
        int w = c.worldSize;
        long n = c.elements;
        int most = c.threads.stream().mapToInt(Integer::intValue).max().orElse(1);
        String machine = machine();
        err.printf("cpu-scaling: %s; generating %d x %d %s elements%n", machine, w, n, c.path.dtype.id());
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> inputs = new ArrayList<>();
            List<MemorySegment> outputs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                MemorySegment s = arena.allocate(2 * n, Geometry.VECTOR_BYTES);
                fillGaussian(s, n, c.path.dtype.format, 0x5CA1E + r, most);
                inputs.add(s);
                outputs.add(arena.allocate(2 * n, Geometry.VECTOR_BYTES));
            }
            CommsOptions options = CommsOptions.of(c.profile);
            long maxBytes = (2 * n + Geometry.SIZE_MULTIPLE_BYTES - 1) / Geometry.SIZE_MULTIPLE_BYTES * Geometry.SIZE_MULTIPLE_BYTES;
            List<Row> rows = new ArrayList<>();
            long[] reference = null;
            boolean same = true;
            // the warm-up calls run with the most threads and compile the code every later count uses
            System.setProperty(FastPath.PROPERTY, c.vector);
            String path = c.vector.equals("auto") ? "auto (scalar until " + FastPath.AUTO_AFTER_ELEMENTS + " elements moved, then "
                    + FastPath.describe() + ")" : FastPath.forCall(0) ? FastPath.describe() : "scalar";
            err.printf("cpu-scaling: W=%d %s %s %s, %d elements per rank, path %s; %d warm-up call(s)%n", w, c.codec.cliName(), c.path.id(),
                    c.profile.id(), n, path, c.warmup);
            try (GroupComms warm = new CpuBackend(most).newGroup(w, maxBytes, options)) {
                for (int k = 0; k < c.warmup; k++) {
                    long t0 = System.nanoTime();
                    warm.allreduce(inputs, outputs, n, c.path.dtype, c.codec, c.path.casts());
                    err.printf(Locale.ROOT, "cpu-scaling: warm-up call %d with %d threads: %.3f s%n", k + 1, most, (System.nanoTime() - t0) / 1e9);
                }
            }
            for (int t : c.threads) {
                double[] times = new double[c.reps];
                long gc0 = gcMillis();
                long gcCount0 = gcCount();
                long cpu0 = processCpuNanos();
                try (GroupComms g = new CpuBackend(t).newGroup(w, maxBytes, options)) {
                    for (int k = 0; k < c.reps; k++) {
                        long t0 = System.nanoTime();
                        g.allreduce(inputs, outputs, n, c.path.dtype, c.codec, c.path.casts());
                        times[k] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                double cpu = (processCpuNanos() - cpu0) / 1e9 / c.reps;
                double gc = (gcMillis() - gc0) / 1e3;
                long gcn = gcCount() - gcCount0;
                long[] digest = digest(outputs, n);
                if (reference == null) {
                    reference = digest;
                } else if (!Arrays.equals(reference, digest)) {
                    same = false;
                    err.printf("cpu-scaling: the outputs with %d threads differ from those with %d threads%n", t, c.threads.getFirst());
                }
                double[] sorted = times.clone();
                Arrays.sort(sorted);
                Row row = new Row(t, sorted[sorted.length / 2], sorted[0], cpu, gc, gcn);
                rows.add(row);
                err.printf(Locale.ROOT, "cpu-scaling: %d threads: %s s%n", t, Arrays.toString(times));
            }
            String title = String.format(Locale.ROOT, "W=%d %s %s %s, %d elements per rank (%s per rank)", w, c.codec.cliName(),
                    c.path.id(), c.profile.id(), n, mib(2 * n));
            String table = table(rows, w * n);
            out.println("machine   " + machine);
            out.println("call      " + title);
            out.println("path      " + path);
            out.println("method    all-reduce calls of one GroupComms per thread count, median of " + c.reps + " after " + c.warmup
                    + " warm-up call(s) with " + most + " threads; time = the allreduce call alone");
            out.print(table);
            out.println("bits      " + (same ? "identical for every thread count (digest of all ranks' outputs)" : "DIFFER between thread counts"));
            if (c.out != null) {
                write(c, machine, title, path, table, rows, same, w * n);
                err.println("cpu-scaling: wrote cpu-scaling.md, cpu-scaling.csv and cpu-scaling.svg to " + c.out);
            }
            return same ? 0 : 1;
        } catch (IOException e) {
            err.println("cpu-scaling: cannot write to '" + c.out + "': " + e.getMessage());
            return 1;
        }
    }

    static String table(List<Row> rows, long elements) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%8s %10s %10s %8s %10s %14s %10s %8s%n", "threads", "median s", "best s", "speedup",
                "efficiency", "elements/s", "cpu s/call", "gc s"));
        double base = rows.stream().filter(r -> r.threads == 1).mapToDouble(Row::medianSeconds).findFirst()
                .orElse(rows.getFirst().medianSeconds * rows.getFirst().threads);
        for (Row r : rows) {
            double speedup = base / r.medianSeconds;
            sb.append(String.format(Locale.ROOT, "%8d %10.4f %10.4f %8.2f %9.0f%% %14s %10.3f %8.3f%n", r.threads, r.medianSeconds,
                    r.bestSeconds, speedup, 100 * speedup / r.threads, si(elements / r.medianSeconds), r.cpuSeconds, r.gcSeconds));
        }
        return sb.toString();
    }

    private static void write(Config c, String machine, String title, String path, String table, List<Row> rows, boolean same,
                              long elements) throws IOException {
        Files.createDirectories(c.out);
        StringBuilder md = new StringBuilder();
        md.append("# CPU model thread scaling\n\n");
        md.append("- machine: ").append(machine).append('\n');
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- call: ").append(title).append('\n');
        md.append("- path: ").append(path).append('\n');
        md.append("- method: `CpuScaling` (dev.qrref.cpu.bench), one JVM; per thread count a fresh group communicator, ")
                .append(c.reps).append(" timed `allreduce` calls (median reported) after ").append(c.warmup)
                .append(" warm-up call(s) with the most threads; speedup against 1 thread (or the smallest count); ")
                .append("elements/s = W x N / time; cpu s/call = process CPU time per call (all threads, JIT and GC included)\n");
        md.append("- bits: ").append(same ? "identical for every thread count" : "DIFFER between thread counts").append("\n\n");
        md.append("```\n").append(table).append("```\n");
        Files.writeString(c.out.resolve("cpu-scaling.md"), md.toString());
        StringBuilder csv = new StringBuilder("threads,median_s,best_s,speedup,elements_per_s,cpu_s_per_call,gc_s,gc_count\n");
        double base = rows.stream().filter(r -> r.threads == 1).mapToDouble(Row::medianSeconds).findFirst()
                .orElse(rows.getFirst().medianSeconds * rows.getFirst().threads);
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.3f,%.0f,%.3f,%.3f,%d%n", r.threads, r.medianSeconds, r.bestSeconds,
                    base / r.medianSeconds, elements / r.medianSeconds, r.cpuSeconds, r.gcSeconds, r.gcCount));
        }
        Files.writeString(c.out.resolve("cpu-scaling.csv"), csv.toString());
        Files.writeString(c.out.resolve("cpu-scaling.svg"), svg(rows, title + ", " + path));
    }

    /** Speedup against threads (both axes linear), with the ideal line, as a small self-contained SVG. */
    static String svg(List<Row> rows, String title) {
        int w = 560;
        int h = 380;
        int left = 60;
        int right = 20;
        int top = 40;
        int bottom = 50;
        double base = rows.stream().filter(r -> r.threads == 1).mapToDouble(Row::medianSeconds).findFirst()
                .orElse(rows.getFirst().medianSeconds * rows.getFirst().threads);
        int maxT = rows.stream().mapToInt(Row::threads).max().orElse(1);
        double maxY = Math.max(maxT, rows.stream().mapToDouble(r -> base / r.medianSeconds).max().orElse(1));
        java.util.function.DoubleUnaryOperator x = t -> left + (w - left - right) * (t / maxT);
        java.util.function.DoubleUnaryOperator y = v -> h - bottom - (h - top - bottom) * (v / maxY);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\">%s</text>%n", left, escape("CPU model thread scaling: " + title)));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, h - bottom,
                w - right, h - bottom));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left, top, left,
                h - bottom));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x.applyAsDouble(r.threads),
                    h - bottom + 16, r.threads));
        }
        int step = Math.max(1, (int) Math.ceil(maxY / 8));
        for (int v = 0; v <= maxY; v += step) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d</text>%n", left - 6,
                    y.applyAsDouble(v) + 4, v));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">threads</text>%n", (left + w - right) / 2,
                h - 12));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">"
                + "speedup over 1 thread</text>%n", (top + h - bottom) / 2, (top + h - bottom) / 2));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" "
                + "stroke-dasharray=\"4 4\"/>%n", x.applyAsDouble(0), y.applyAsDouble(0), x.applyAsDouble(maxT), y.applyAsDouble(maxT)));
        StringBuilder pts = new StringBuilder();
        for (Row r : rows) {
            double sx = x.applyAsDouble(r.threads);
            double sy = y.applyAsDouble(base / r.medianSeconds);
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", sx, sy));
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"steelblue\"/>%n", sx, sy));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%.2fx</text>%n", sx + 5, sy - 6, base / r.medianSeconds));
        }
        sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"steelblue\" stroke-width=\"2\"/>%n",
                pts.toString().strip()));
        sb.append("<text x=\"").append(w - right - 120).append("\" y=\"").append(top + 12)
                .append("\" fill=\"gray\">dashed: ideal</text>\n</svg>\n");
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Seeded N(0,1) values rounded to the format, filled by {@code threads} threads in fixed chunks (same bits for any count). */
    static void fillGaussian(MemorySegment s, long n, Format16 f, long seed, int threads) {
        long chunk = 1 << 16;
        int chunks = (int) ((n + chunk - 1) / chunk);
        Runnable fill = () -> IntStream.range(0, chunks).parallel().forEach(k -> {
            SplittableRandom r = new SplittableRandom(seed * 1_000_003L + k);
            long end = Math.min(n, (k + 1) * chunk);
            for (long i = k * chunk; i < end; i++) {
                float x = (float) r.nextGaussian();
                short bits = (short) (f == Format16.FP16 ? Fp16.fromFloatRne(x) : Bf16.fromFloatRne(x));
                s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, bits);
            }
        });
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            pool.submit(fill).join();
        }
    }

    /** A 64-bit hash of every rank's output (rank by rank): equal digests for equal bits. */
    static long[] digest(List<MemorySegment> outputs, long n) {
        long[] d = new long[outputs.size()];
        for (int r = 0; r < d.length; r++) {
            long h = 0x9E3779B97F4A7C15L;
            MemorySegment s = outputs.get(r);
            for (long i = 0; i < n / 4; i++) {
                h = (h ^ s.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i)) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 31;
            }
            d[r] = h;
        }
        return d;
    }

    /** CPU time of the whole process (all threads, the JIT and GC included), or 0 where the platform does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static long gcCount() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionCount());
        }
        return t;
    }

    /** The CPU model name, core count, JVM and heap, in one line. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the CPU name is a label only
        }
        return String.format(Locale.ROOT, "%s, %d cores visible, %s %s, Java %s, max heap %s", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), Runtime.version(), mib(Runtime.getRuntime().maxMemory()));
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String si(double v) {
        String[] units = {"", " k", " M", " G"};
        int i = 0;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.3g%s", v, units[i]);
    }
}
