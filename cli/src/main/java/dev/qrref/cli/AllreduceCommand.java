package dev.qrref.cli;

import dev.qrref.cli.data.ErrorStatistics;
import dev.qrref.cli.data.Parallel;
import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cpu.io.NpyArray;
import dev.qrref.cpu.io.NpyFormatException;
import dev.qrref.cpu.io.NpyReader;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr allreduce}: one group all-reduce of W ranks through a backend, with its error against the exact sum of
 * the inputs. Inputs come from one {@code .npy} file per rank or from a seeded Gaussian generator; outputs (one file
 * per rank) are written only when every step succeeded.
 */
@Command(name = "allreduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs one QuickReduce all-reduce of W ranks and reports the error of the result against the exact float64 "
                    + "sum of the rank inputs (max abs error, relative L2 error, SQNR; non-finite values counted apart), "
                    + "whether all ranks hold the same bits, and the throughput.",
            "Results go to stdout, progress to stderr."},
        footer = {"", "Examples:",
            "  qr allreduce --world-size 8 --codec int4 --random 1048576",
            "  qr allreduce -w 2 --codec int8 --dtype bf16 --inputs r0.npy r1.npy -o out/"})
public final class AllreduceCommand implements Callable<Integer> {
    static final String THREADS_PROPERTY = "qr.cpu.threads";
    private static final ValueLayout.OfShort ELEMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final List<String> BACKENDS = List.of("cpu", "gpu");

    @Spec
    CommandSpec spec;

    @Option(names = {"-w", "--world-size"}, required = true, paramLabel = "W", description = "Number of ranks: 2, 4 or 8.")
    int worldSize;

    @Option(names = {"-c", "--codec"}, required = true, paramLabel = "CODEC", converter = Converters.Codec.class,
            completionCandidates = Converters.CodecNames.class, description = "Wire codec: ${COMPLETION-CANDIDATES}.")
    QuantLevel codec;

    @Mixin
    NumericsOptions numerics;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "cpu (the bit-exact model) or gpu (the native kernels; see hip-backend). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--inputs", arity = "1..*", paramLabel = "RANK.npy",
            description = "One 1-D .npy file per rank, in rank order: equal lengths, a multiple of 8 elements, dtype "
                    + "'<f2' for fp16 or '<u2' (raw bits) for bf16. Needs --out-dir.")
    List<Path> inputs;

    @Option(names = "--allow-duplicate-inputs",
            description = "Accept the same file as the input of several ranks (refused otherwise, as a likely typo).")
    boolean allowDuplicateInputs;

    @Option(names = "--random", paramLabel = "N",
            description = "Instead of --inputs: N elements per rank drawn from N(0,1) and rounded to the dtype, a "
                    + "different stream per rank.")
    Long random;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.Seed.class,
            description = "Seed of --random, decimal or 0x-hex (default 1).")
    Long seed;

    @Option(names = "--specials",
            description = "With --random: mix in special values: all-zero groups, ±0, ±inf, NaN, subnormals, ±max, "
                    + "equal-magnitude ties, sums that overflow, and for bf16 values beyond the fp16 range.")
    boolean specials;

    @Option(names = {"-o", "--out-dir"}, paramLabel = "DIR",
            description = "Write DIR/rank0.npy ... DIR/rank<W-1>.npy (same dtype as the inputs); created if missing. "
                    + "Required with --inputs, optional with --random.")
    Path outDir;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for the CPU model, the input generation and the statistics (default: all cores). "
                    + "The results do not depend on it.")
    Integer threads;

    /** What the inputs are, in words, for the report. */
    private String sourceText;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkOptions();
        checkInputPaths();
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        DType dtype = numerics.dtype();
        DataPath path = numerics.path();
        String name = spec.qualifiedName();

        try (Arena arena = Arena.ofShared(); Parallel parallel = new Parallel(t)) {
            List<MemorySegment> in = new ArrayList<>();
            long n = inputs != null ? mapInputs(arena, dtype, in) : checkedLength(random, "--random " + random);
            checkMemory(n);
            List<String> names = new ArrayList<>();
            for (int r = 0; r < worldSize; r++) {
                names.add("rank" + r + ".npy");
            }
            try (OutputFiles files = outDir == null ? null : OutputFiles.prepare(outDir, names)) {
                if (files != null) {
                    files.recovered().forEach(line -> err.printf("%s: %s: %s%n", name, outDir, line));
                }
                Backend b = openBackend(t);
                Profile profile = numerics.profileOr(b.defaultProfile());
                if (!b.profiles().contains(profile)) {
                    throw new CliException(ExitCodes.UNAVAILABLE, "backend " + b.name() + " cannot follow profile "
                            + profile.id() + " (it supports " + b.profiles().stream().map(Profile::id).collect(Collectors.joining(", ")) + ")");
                }
                out.printf("backend        %s%n", b.describe());
                out.printf("call           world size %d, codec %s, data path %s, profile %s%n", worldSize, codec.cliName(),
                        path.id(), profile.id());

                long t0 = System.nanoTime();
                if (inputs == null) {
                    RandomInputs gen = new RandomInputs(seed == null ? 1 : seed, dtype, specials);
                    err.printf("%s: generating %d x %d %s elements%n", name, worldSize, n, dtype.id());
                    for (int r = 0; r < worldSize; r++) {
                        MemorySegment s = arena.allocate(2 * n, Geometry.VECTOR_BYTES);
                        gen.fill(s, r, n, parallel);
                        in.add(s);
                    }
                    sourceText = "random N(0,1)" + (specials ? " with specials" : "") + ", seed " + gen.seed();
                }
                List<MemorySegment> outputs = new ArrayList<>();
                for (int r = 0; r < worldSize; r++) {
                    outputs.add(arena.allocate(2 * n, Geometry.VECTOR_BYTES));
                }
                long t1 = System.nanoTime();
                out.printf("inputs         %d elements per rank (%s per rank), %s%n", n, bytes(2 * n), sourceText);

                err.printf("%s: running the all-reduce%n", name);
                long maxBytes = Math.max(Geometry.SIZE_MULTIPLE_BYTES, roundUp(2 * n, Geometry.SIZE_MULTIPLE_BYTES));
                long t2;
                long t3;
                try (GroupComms g = b.newGroup(worldSize, maxBytes, CommsOptions.of(profile))) {
                    t2 = System.nanoTime();
                    g.allreduce(in, outputs, n, dtype, codec, numerics.cast());
                    t3 = System.nanoTime();
                }
                String mismatch = firstMismatch(outputs, n, dtype.format);

                err.printf("%s: computing statistics%n", name);
                ErrorStatistics st = ErrorStatistics.of(in, outputs.getFirst(), n, dtype, parallel);
                long t4 = System.nanoTime();

                if (files != null) {
                    err.printf("%s: writing %d files to %s%n", name, worldSize, outDir);
                    // one file per task: copying into the page cache is CPU work, so the files go out in parallel
                    try {
                        parallel.forEach(worldSize, r -> {
                            try (FileChannel ch = files.open(r)) {
                                NpyWriter.write(ch, dtype, outputs.get(r));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    } catch (UncheckedIOException e) {
                        throw CliException.failed("cannot write the outputs to '" + outDir + "': " + IoErrors.reason(e.getCause()));
                    }
                    files.commit();
                }
                long t5 = System.nanoTime();

                out.printf("ranks          %s%n", mismatch == null
                        ? "identical: all " + worldSize + " outputs hold the same " + 2 * n + " bytes; figures below are rank 0's"
                        : "DIFFER: " + mismatch);
                report(out, st, dtype);
                double ar = seconds(t3 - t2);
                out.printf(Locale.ROOT, "time           " + (inputs == null ? "generate" : "allocate") + " %.3f s, group setup %.3f s, all-reduce %.3f s, statistics %.3f s, write %.3f s, total %.3f s%n",
                        seconds(t1 - t0), seconds(t2 - t1), ar, seconds(t4 - t3), seconds(t5 - t4), seconds(t5 - start));
                out.printf(Locale.ROOT, "throughput     %s elements/s per rank (all-reduce alone; %s/s of input over %d ranks), %s elements/s per rank end to end%n",
                        si(n / ar), bytes((long) (2.0 * n * worldSize / ar)), worldSize, si(n / seconds(t5 - start)));
                if (files != null) {
                    out.printf("outputs        %s/rank0.npy ... rank%d.npy%n", outDir, worldSize - 1);
                }
                if (mismatch != null) {
                    throw CliException.failed("the ranks' outputs differ: " + mismatch);
                }
                return ExitCodes.OK;
            }
        }
    }

    private void checkOptions() {
        if (inputs != null && random != null) {
            throw CliException.usage("give either --inputs or --random, not both");
        }
        if (inputs == null && random == null) {
            throw CliException.usage("no inputs: give --inputs RANK.npy ... (one file per rank) or --random N");
        }
        if (inputs != null && seed != null) {
            throw CliException.usage("--seed applies to --random only");
        }
        if (inputs != null && specials) {
            throw CliException.usage("--specials applies to --random only");
        }
        if (!Geometry.WORLD_SIZES.contains(worldSize)) {
            throw CliException.usage("--world-size " + worldSize + " is not supported (expected 2, 4 or 8)");
        }
        if (threads != null && threads < 1) {
            throw CliException.usage("--threads " + threads + " must be at least 1");
        }
        if (!BACKENDS.contains(backend)) {
            throw CliException.usage("unknown backend '" + backend + "' (expected one of " + String.join(", ", BACKENDS) + ")");
        }
        if (inputs != null && outDir == null) {
            throw CliException.usage("--out-dir is required with --inputs");
        }
        if (inputs != null && inputs.size() != worldSize) {
            throw CliException.usage("--world-size " + worldSize + " needs " + worldSize + " rank files, --inputs gives "
                    + inputs.size());
        }
    }

    /**
     * Refuses, before anything is read or written, an input that is also one of the outputs (it would be replaced) and,
     * unless allowed, a file named as the input of two ranks. Spellings and links of one file count as that file.
     */
    private void checkInputPaths() {
        if (inputs == null) {
            return;
        }
        for (int i = 0; i < inputs.size(); i++) {
            for (int j = 0; j < i && !allowDuplicateInputs; j++) {
                if (sameFile(inputs.get(j), inputs.get(i))) {
                    throw CliException.usage("'" + inputs.get(j) + "' is the input of rank " + j + " and of rank " + i
                            + (inputs.get(j).equals(inputs.get(i)) ? "" : " (as '" + inputs.get(i) + "')")
                            + ": pass --allow-duplicate-inputs if that is meant");
                }
            }
            for (int r = 0; r < worldSize; r++) {
                Path target = outDir.resolve("rank" + r + ".npy");
                if (sameFile(inputs.get(i), target)) {
                    throw CliException.usage("input '" + inputs.get(i) + "' is also the output '" + target
                            + "': the run would replace it; choose another --out-dir");
                }
            }
        }
    }

    /** Whether two paths name one file: the same inode if both exist, else the same normalised absolute path. */
    private static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
        } catch (IOException | SecurityException e) {
            // fall back to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** Maps every rank file read-only into {@code arena}; returns the common element count. */
    private long mapInputs(Arena arena, DType dtype, List<MemorySegment> segments) throws NpyFormatException {
        List<NpyArray> arrays = new ArrayList<>();
        for (Path p : inputs) {
            try {
                arrays.add(NpyReader.map(p, arena, dtype));
            } catch (NpyFormatException e) {
                throw e;
            } catch (IOException e) {
                throw CliException.usage("cannot read input '" + p + "': " + IoErrors.reason(e));
            }
        }
        NpyArray first = arrays.getFirst();
        for (NpyArray a : arrays) {
            if (a.length() != first.length()) {
                throw CliException.usage("the rank files differ in length: '" + first.source() + "' has " + first.length()
                        + " elements, '" + a.source() + "' has " + a.length());
            }
            segments.add(a.data());
        }
        sourceText = "from " + arrays.stream().map(NpyArray::source).collect(Collectors.joining(", "));
        return checkedLength(first.length(), "'" + first.source() + "' holds");
    }

    /**
     * Refuses a run whose arrays cannot fit the memory available, before it allocates them. Rank files are mapped, not
     * copied (the page cache holds them and can drop them again), so only generated inputs count; the CPU model keeps
     * its W communication buffers in host memory, a GPU in device memory.
     */
    private void checkMemory(long n) {
        long perRank = 2 * n;
        MemoryBudget m = new MemoryBudget();
        if (inputs == null) {
            m.add("inputs", worldSize * perRank);
        }
        m.add("outputs", worldSize * perRank);
        if (backend.equals("cpu")) {
            long maxBytes = Math.max(Geometry.SIZE_MULTIPLE_BYTES, roundUp(perRank, Geometry.SIZE_MULTIPLE_BYTES));
            m.add("communication buffers", worldSize * new BufferLayout(worldSize, Geometry.DEFAULT_MAX_BLOCKS, maxBytes).totalBytes());
        }
        m.require(inputs == null ? "use a smaller --random or fewer ranks, or free memory"
                : "use smaller inputs or fewer ranks, or free memory");
    }

    /** Checks an element count against the size rules; {@code what} introduces it in the message. */
    static long checkedLength(long n, String what) {
        if (n <= 0) {
            throw CliException.usage(what + (what.startsWith("--") ? ": " : " ") + n + " elements: the count must be positive");
        }
        long bytes = 2 * n;
        if (bytes % Geometry.SIZE_MULTIPLE_BYTES != 0) {
            throw CliException.usage(what + (what.startsWith("--") ? ": " : " ") + n + " elements = " + bytes
                    + " bytes, not a multiple of " + Geometry.SIZE_MULTIPLE_BYTES
                    + " (QuickReduce moves whole 16-byte vectors: use a multiple of 8 elements)");
        }
        if (bytes > Geometry.DEFAULT_MAX_PROBLEM_BYTES) {
            throw CliException.usage(what + (what.startsWith("--") ? ": " : " ") + n + " elements = " + bytes
                    + " bytes, above the max problem size of " + Geometry.DEFAULT_MAX_PROBLEM_BYTES + " bytes (2 GiB)");
        }
        return n;
    }

    private Backend openBackend(int t) {
        // the CPU backend reads its pool size when it is opened
        String old = System.getProperty(THREADS_PROPERTY);
        System.setProperty(THREADS_PROPERTY, Integer.toString(t));
        try {
            return Backends.open(backend);
        } finally {
            if (old == null) {
                System.clearProperty(THREADS_PROPERTY);
            } else {
                System.setProperty(THREADS_PROPERTY, old);
            }
        }
    }

    /** Null if every rank's output equals rank 0's, else where the first difference is. */
    private String firstMismatch(List<MemorySegment> outputs, long n, Format16 f) {
        MemorySegment r0 = outputs.getFirst();
        for (int r = 1; r < outputs.size(); r++) {
            long at = MemorySegment.mismatch(r0, 0, 2 * n, outputs.get(r), 0, 2 * n);
            if (at >= 0) {
                long e = at / 2;
                return "rank " + r + " differs from rank 0 first at element " + e + " (" + Format16.hex(outputs.get(r).get(ELEMENT, 2 * e))
                        + " vs " + Format16.hex(r0.get(ELEMENT, 2 * e)) + ")";
            }
        }
        return null;
    }

    private static void report(PrintWriter out, ErrorStatistics st, DType dtype) {
        out.printf("reference      float64 sum of the %s rank inputs (%s)%n", dtype.id(),
                dtype == DType.FP16 ? "exact" : "compensated, rounded once");
        out.printf(Locale.ROOT, "max abs error  %s%s%n", num(st.maxAbsError()), st.maxAbsErrorAt() < 0 ? ""
                : " at element " + st.maxAbsErrorAt() + " (output " + num(st.maxErrorOutput()) + ", reference "
                + num(st.maxErrorReference()) + ")");
        out.printf(Locale.ROOT, "relative L2    %s%n", num(st.relativeL2()));
        out.printf(Locale.ROOT, "relative MAE   %s%n", num(st.relativeMae()));
        out.printf(Locale.ROOT, "SQNR           %s dB%n", Double.isInfinite(st.sqnrDb()) ? "inf (exact)" : String.format(Locale.ROOT, "%.3f", st.sqnrDb()));
        out.printf("non-finite     outputs %d (NaN %d, +inf %d, -inf %d), references %d, non-finite outputs of finite references %d; "
                        + "the figures above cover the other %d of %d elements%n",
                st.outputNonFinite(), st.outputNaN(), st.outputPosInf(), st.outputNegInf(), st.referenceNonFinite(),
                st.lostFinite(), st.finite(), st.elements());
    }

    private static long roundUp(long v, long m) {
        return (v + m - 1) / m * m;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.6g", v);
    }

    static String si(double v) {
        String[] units = {"", " k", " M", " G", " T"};
        int i = 0;
        while (Math.abs(v) >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.3g%s", v, units[i]);
    }

    static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = 0;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? b + " B" : String.format(Locale.ROOT, "%.4g %s", v, units[i]);
    }
}
