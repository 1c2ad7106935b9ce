package dev.qrref.cli;

import dev.qrref.cli.audit.AuditHtml;
import dev.qrref.cli.audit.AuditInput;
import dev.qrref.cli.audit.AuditJson;
import dev.qrref.cli.audit.AuditReport;
import dev.qrref.cli.audit.AuditText;
import dev.qrref.cli.audit.Auditor;
import dev.qrref.cli.audit.Hazard;
import dev.qrref.cli.data.Parallel;
import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.io.NpyArray;
import dev.qrref.cpu.io.NpyFormatException;
import dev.qrref.cpu.io.NpyHeader;
import dev.qrref.cpu.io.NpyReader;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr audit}: runs the CPU model on the user's own per-rank tensors for every codec and profile, and reports which
 * numerical hazards occur where, the accuracy against the exact sum, and the cheapest codec that is safe for them.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Audits your own all-reduce inputs: runs the CPU model's all-reduce on them for each codec under each profile "
                    + "and reports, per hazard, how many groups and elements it touches in which phase (phase 1: each rank's "
                    + "own encode; phase 2: the reduction and the re-encode of the sum), the worst groups with their location "
                    + "(tile, atom, group, element), the accuracy against the exact float64 sum (SQNR, relative MAE, max abs "
                    + "error, also over the groups each hazard touched), and a recommendation: the codec with the fewest wire "
                    + "bits whose SQNR meets --min-sqnr under every audited profile with no non-finite output from finite "
                    + "input, else \"FP only\".",
            "Inputs are memory-mapped and streamed in chunks of whole tiles (a progress bar goes to stderr); the results "
                    + "are the same bits for any --threads. The report goes to stdout (text, or one JSON object with --json); "
                    + "--out also writes a self-contained HTML report with plots and the JSON.",
            "Hazards: " + AuditCommand.HAZARDS + "."},
        footer = {"", "Examples:",
            "  qr audit --inputs r0.npy r1.npy r2.npy r3.npy --out audit/",
            "  qr audit --inputs r0.npy r1.npy --dtype bf16 --cast-bf16-to-fp16",
            "  qr audit --inputs stacked.npy --world-size 8 --codecs int4,fp8 --profile cdna3",
            "  qr audit --inputs dumps/ --json > audit.json",
            "                          (dumps/ holds rank0/*.npy, rank1/*.npy, ...: one call per file name)",
            "",
            "JSON (--json, and audit.json under --out); numbers that are not finite (the SQNR of an exact output) are null:",
            "  { \"world_size\", \"dtype\", \"data_path\", \"calls\", \"elements_per_rank\", \"inputs\", \"profiles\": [..],",
            "    \"min_sqnr_db\", \"thresholds\": { \"overflow\", \"reciprocal_cliff\": { CODEC: absmax } },",
            "    \"codecs\": { CODEC: {",
            "        \"wire_bits_per_element\", \"sqnr_db\", \"rel_mae\", \"max_abs_error\", \"nonfinite_from_finite\", \"meets\",",
            "                                               (the worst over the audited profiles)",
            "        \"hazards\": { HAZARD: { \"groups\", \"elements\" } },   (the most over the audited profiles)",
            "        \"profiles\": { PROFILE: { \"sqnr_db\", \"rel_mae\", \"max_abs_error\", \"nonfinite_from_finite\",",
            "            \"hazards\": { HAZARD: { \"groups\", \"elements\",",
            "                \"phase1\": { \"groups\", \"elements\", \"spread\" }, \"phase2\": { .. },",
            "                \"calls\": [ { \"call\", \"groups\", \"elements\" } ],      (folders of several calls only)",
            "                \"sqnr_db\", \"rel_mae\", \"max_abs_error\", \"nonfinite_from_finite\",   (over the touched groups)",
            "                \"worst\": [ { \"phase\", \"rank\", \"call\", \"tile\", \"atom\", \"group\", \"element\",",
            "                  \"trigger_element\", \"severity\", \"gain\", \"detail\", \"explain\" } ] } } } } } },",
            "    \"recommendation\": CODEC or \"FP only\", \"recommendation_reason\" }",
            "  groups/elements: tensor positions touched in either phase, each once; phase1: (rank, group) encodes and",
            "  (rank, element) values; phase2: groups and elements of the sum; spread: finite values turned NaN or +-inf;",
            "  gain: the worst group's round-trip gain sum(x*x')/sum(x*x) (1 = not attenuated) for reciprocal_cliff and",
            "  scale_underflow, else null; explain: a 'qr explain' command that traces the group.",
            "",
            "Exit code 0 means the audit ran, whatever it found."})
public final class AuditCommand implements Callable<Integer> {
    static final String HAZARDS = "cast_overflow, fp16_ovfl_saturation, sum_overflow, reciprocal_cliff, rcp_overflow_nonfinite, "
            + "decode_overflow, scale_underflow, zero_group, nan_input, inf_input";
    static final String REPORT_HTML = "report.html";
    static final String REPORT_JSON = "audit.json";

    static {
        // the help text names every hazard; a new one must be added there too
        String all = Arrays.stream(Hazard.values()).map(Hazard::id).collect(Collectors.joining(", "));
        if (!all.equals(HAZARDS)) {
            throw new AssertionError("AuditCommand.HAZARDS is out of date: " + all);
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--inputs", arity = "1..*", required = true, paramLabel = "PATH",
            description = {"The all-reduce inputs, as 1-D .npy files ('<f2' fp16 or '<u2' raw bf16 bits), either",
                "  one file per rank, in rank order;",
                "  one file split into --world-size equal contiguous parts, one per rank; or",
                "  one folder holding rank0.npy, rank1.npy, ... (one call) or folders rank0/, rank1/, ... that hold "
                        + "the same file names, one file per call (many all-reduce calls, e.g. every layer)."})
    List<Path> inputs;

    @Option(names = {"-w", "--world-size"}, paramLabel = "W",
            description = "Number of ranks: 2, 4 or 8. Needed to split one file; otherwise it must match the files.")
    Integer worldSize;

    @Option(names = "--dtype", paramLabel = "TYPE", converter = Converters.Dtype.class, completionCandidates = Converters.DtypeNames.class,
            description = "Element type: ${COMPLETION-CANDIDATES}. Default: the files' own ('<f2' is fp16, '<u2' bf16).")
    DType dtype;

    @Option(names = "--cast-bf16-to-fp16",
            description = "With bf16: convert to fp16 at load and back at store, fp16 arithmetic in between (vLLM's default "
                    + "for bf16 models). Ignored for fp16.")
    boolean cast;

    @Option(names = "--profile", split = ",", paramLabel = "PROFILE", converter = Converters.ProfileName.class,
            completionCandidates = Converters.ProfileNames.class,
            description = "Numerics profiles, comma-separated: ${COMPLETION-CANDIDATES}. Default: all.")
    List<Profile> profiles;

    @Option(names = "--codecs", split = ",", paramLabel = "CODEC", converter = Converters.Codec.class,
            completionCandidates = Converters.CodecNames.class,
            description = "Codecs, comma-separated: ${COMPLETION-CANDIDATES}. Default: all.")
    List<QuantLevel> codecs;

    @Option(names = "--min-sqnr", paramLabel = "DB", defaultValue = "20",
            description = "SQNR (dB) a codec must reach under every audited profile to be recommended. Default: ${DEFAULT-VALUE}.")
    double minSqnr;

    @Option(names = "--worst", paramLabel = "K", defaultValue = "5",
            description = "Worst groups listed per hazard, codec and profile (0: none). Default: ${DEFAULT-VALUE}.")
    int worst;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Also write DIR/" + REPORT_HTML + " (self-contained, with plots) and DIR/" + REPORT_JSON
                    + "; created if missing, written only when the audit succeeded.")
    Path out;

    @Option(names = "--json", description = "Print the report as one JSON object (shape below) instead of text.")
    boolean json;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for the model and the analysis (default: all cores). The results do not depend on it.")
    Integer threads;

    /** Tiles per streamed chunk; the results do not depend on it (tests check that). */
    @Option(names = "--chunk-tiles", hidden = true, defaultValue = "" + Auditor.DEFAULT_CHUNK_TILES)
    int chunkTiles;

    /** One call to audit: the file of each rank and, for a split file, the part. */
    private record Source(String name, List<Path> files, int parts) {
    }

    @Override
    public Integer call() throws IOException {
        checkOptions();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Source> sources = new ArrayList<>();
        String description = resolve(sources);
        int w = sources.getFirst().parts() > 1 ? sources.getFirst().parts() : sources.getFirst().files().size();
        if (!Geometry.WORLD_SIZES.contains(w)) {
            throw CliException.usage("the inputs give " + w + " rank(s); QuickReduce runs with 2, 4 or 8 ranks");
        }
        DType type = checkHeaders(sources, w);
        DataPath path = DataPath.of(type, cast);
        List<QuantLevel> cs = codecs == null ? List.of(QuantLevel.values()) : List.copyOf(new LinkedHashSet<>(codecs));
        List<Profile> ps = profiles == null ? List.of(Profile.values()) : List.copyOf(new LinkedHashSet<>(profiles));
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Auditor.Options options = new Auditor.Options(cs, ps, path, minSqnr, worst, chunkTiles);

        try (OutputFiles files = out == null ? null : OutputFiles.prepare(out, List.of(REPORT_HTML, REPORT_JSON));
             Arena arena = Arena.ofShared(); Parallel parallel = new Parallel(t)) {
            List<AuditInput.Call> calls = new ArrayList<>();
            for (Source s : sources) {
                calls.add(map(s, arena, type, w));
            }
            AuditInput input = new AuditInput(w, type, calls, description);
            ProgressBar bar = new ProgressBar(err, spec.qualifiedName(), "running");
            AuditReport report;
            try {
                report = Auditor.run(input, options, bar, parallel, new CpuBackend(t));
            } finally {
                bar.finish();
            }
            // everything is rendered before anything is printed or written: a failure leaves nothing half done
            String jsonText = AuditJson.write(report);
            StringWriter text = new StringWriter();
            if (!json) {
                AuditText.print(report, new PrintWriter(text));
            }
            if (files != null) {
                try {
                    files.write(0, AuditHtml.render(report));
                    files.write(1, jsonText);
                } catch (IOException e) {
                    throw CliException.failed("cannot write the report to '" + out + "': " + IoErrors.reason(e));
                }
                files.commit();
            }
            stdout.print(json ? jsonText : text.toString());
            if (files != null && !json) {
                stdout.println("report         " + out.resolve(REPORT_HTML) + ", " + out.resolve(REPORT_JSON));
            }
            stdout.flush();
        }
        return ExitCodes.OK;
    }

    private void checkOptions() {
        if (worldSize != null && !Geometry.WORLD_SIZES.contains(worldSize)) {
            throw CliException.usage("--world-size " + worldSize + " is not supported (expected 2, 4 or 8)");
        }
        if (threads != null && threads < 1) {
            throw CliException.usage("--threads " + threads + " must be at least 1");
        }
        if (worst < 0) {
            throw CliException.usage("--worst " + worst + " must be 0 or more");
        }
        if (!Double.isFinite(minSqnr)) {
            throw CliException.usage("--min-sqnr " + minSqnr + " must be a finite number of dB");
        }
        if (chunkTiles < 1) {
            throw CliException.usage("--chunk-tiles " + chunkTiles + " must be at least 1");
        }
    }

    /** Turns --inputs into calls; returns the description of the inputs for the report. */
    private String resolve(List<Source> sources) {
        if (inputs.size() == 1 && Files.isDirectory(inputs.getFirst())) {
            return folder(inputs.getFirst(), sources);
        }
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                throw CliException.usage("'" + p + "' is a folder: give one folder alone, or .npy files");
            }
        }
        if (inputs.size() == 1) {
            if (worldSize == null) {
                throw CliException.usage("one input file: give --world-size W to split it into W ranks, or one file per rank");
            }
            sources.add(new Source("", inputs, worldSize));
            return "from " + inputs.getFirst() + " split into " + worldSize + " ranks";
        }
        if (worldSize != null && worldSize != inputs.size()) {
            throw CliException.usage("--world-size " + worldSize + " needs " + worldSize + " rank files, --inputs gives " + inputs.size());
        }
        sources.add(new Source("", inputs, 1));
        return "from " + inputs.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private String folder(Path dir, List<Source> sources) {
        List<Path> rankFiles = ranks(dir, r -> dir.resolve("rank" + r + ".npy"), Files::isRegularFile);
        List<Path> rankDirs = ranks(dir, r -> dir.resolve("rank" + r), Files::isDirectory);
        if (!rankFiles.isEmpty() && !rankDirs.isEmpty()) {
            throw CliException.usage("folder '" + dir + "' holds both rank0.npy and a rank0/ folder: keep one layout");
        }
        if (!rankFiles.isEmpty()) {
            checkWorld(dir, rankFiles.size());
            sources.add(new Source("", rankFiles, 1));
            return "from " + dir + " (" + rankFiles.size() + " rank files)";
        }
        if (rankDirs.isEmpty()) {
            throw CliException.usage("folder '" + dir + "' holds neither rank0.npy, rank1.npy, ... nor folders rank0/, rank1/, ...");
        }
        checkWorld(dir, rankDirs.size());
        List<String> names = npyNames(rankDirs.getFirst());
        if (names.isEmpty()) {
            throw CliException.usage("folder '" + rankDirs.getFirst() + "' holds no .npy file");
        }
        for (Path d : rankDirs.subList(1, rankDirs.size())) {
            List<String> other = npyNames(d);
            if (!other.equals(names)) {
                Set<String> missing = new LinkedHashSet<>(names);
                missing.removeAll(other);
                Set<String> extra = new LinkedHashSet<>(other);
                extra.removeAll(names);
                throw CliException.usage("folder '" + d + "' does not hold the same files as '" + rankDirs.getFirst() + "': "
                        + (missing.isEmpty() ? "" : "missing " + missing.iterator().next()) + (missing.isEmpty() || extra.isEmpty() ? "" : ", ")
                        + (extra.isEmpty() ? "" : "extra " + extra.iterator().next()));
            }
        }
        for (String n : names) {
            List<Path> files = new ArrayList<>();
            for (Path d : rankDirs) {
                files.add(d.resolve(n));
            }
            sources.add(new Source(n.substring(0, n.length() - ".npy".length()), files, 1));
        }
        return "from " + dir + " (" + rankDirs.size() + " rank folders, " + names.size() + " call(s))";
    }

    private void checkWorld(Path dir, int found) {
        if (worldSize != null && worldSize != found) {
            throw CliException.usage("--world-size " + worldSize + " does not match folder '" + dir + "', which holds " + found + " ranks");
        }
    }

    private static List<Path> ranks(Path dir, java.util.function.IntFunction<Path> name, java.util.function.Predicate<Path> kind) {
        List<Path> out = new ArrayList<>();
        for (int r = 0; kind.test(name.apply(r)); r++) {
            out.add(name.apply(r));
        }
        return out;
    }

    private static List<String> npyNames(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw CliException.usage("cannot list folder '" + dir + "': " + IoErrors.reason(e));
        }
    }

    /** Reads every header before any work: one dtype, equal lengths per call, sizes QuickReduce accepts. */
    private DType checkHeaders(List<Source> sources, int w) throws NpyFormatException {
        DType type = dtype;
        Path typeFrom = null;
        for (Source s : sources) {
            long length = -1;
            Path lengthFrom = null;
            for (Path p : s.files()) {
                NpyHeader h;
                try {
                    h = NpyReader.readHeader(p);
                } catch (NpyFormatException e) {
                    throw e;
                } catch (IOException e) {
                    throw CliException.usage("cannot read input '" + p + "': " + IoErrors.reason(e));
                }
                if (type == null) {
                    type = h.dtype();
                    typeFrom = p;
                } else if (h.dtype() != type) {
                    throw CliException.usage("'" + p + "' holds " + h.dtype().id() + " ('" + h.dtype().npyDescr + "') but "
                            + (typeFrom == null ? "--dtype is " + type.id() : "'" + typeFrom + "' holds " + type.id()));
                }
                if (length >= 0 && h.length() != length) {
                    throw CliException.usage("the rank files differ in length: '" + lengthFrom + "' has " + length + " elements, '"
                            + p + "' has " + h.length());
                }
                length = h.length();
                lengthFrom = p;
            }
            long n = length;
            if (s.parts() > 1) {
                if (length % s.parts() != 0) {
                    throw CliException.usage("'" + lengthFrom + "' holds " + length + " elements, which do not split into " + s.parts()
                            + " equal ranks");
                }
                n = length / s.parts();
            }
            checkLength(n, lengthFrom, s.parts());
        }
        if (cast && type == DType.FP16) {
            // as everywhere: the cast option has no effect on fp16 tensors
            cast = false;
        }
        return type;
    }

    private static void checkLength(long n, Path file, int parts) {
        String what = "'" + file + "'" + (parts > 1 ? " split into " + parts + " ranks gives " : " holds ");
        if (n <= 0) {
            throw CliException.usage(what + n + " elements per rank: the count must be positive");
        }
        if (n % Geometry.SIZE_MULTIPLE_ELEMENTS != 0) {
            throw CliException.usage(what + n + " elements per rank = " + 2 * n + " bytes, not a multiple of "
                    + Geometry.SIZE_MULTIPLE_BYTES + " (QuickReduce moves whole 16-byte vectors: use a multiple of 8 elements)");
        }
        if (2 * n > Geometry.DEFAULT_MAX_PROBLEM_BYTES) {
            throw CliException.usage(what + n + " elements per rank = " + 2 * n + " bytes, above the max problem size of "
                    + Geometry.DEFAULT_MAX_PROBLEM_BYTES + " bytes (2 GiB) of one all-reduce");
        }
    }

    private static AuditInput.Call map(Source s, Arena arena, DType type, int w) throws IOException {
        List<MemorySegment> ranks = new ArrayList<>();
        long n;
        if (s.parts() > 1) {
            NpyArray a = NpyReader.map(s.files().getFirst(), arena, type);
            n = a.length() / w;
            for (int r = 0; r < w; r++) {
                ranks.add(a.data().asSlice(2 * n * r, 2 * n));
            }
        } else {
            n = -1;
            for (Path p : s.files()) {
                NpyArray a = NpyReader.map(p, arena, type);
                n = a.length();
                ranks.add(a.data());
            }
        }
        return new AuditInput.Call(s.name(), ranks, n);
    }
}
