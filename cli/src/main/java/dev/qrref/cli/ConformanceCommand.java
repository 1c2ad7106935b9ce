package dev.qrref.cli;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Suite;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.conformance.Target;
import dev.qrref.conformance.report.Reports;
import dev.qrref.conformance.report.SummaryText;
import dev.qrref.cpu.gen.Level;
import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.Backends;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code qr conformance}: the conformance suite ({@link Suite}) against one backend, with a progress bar on stderr, the
 * summary table, the failures and the verdict on stdout, and optionally junit.xml, report.html and summary.txt.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the conformance suite against a backend: every case of the matrix (world sizes x codecs x data paths x "
                    + "profiles, seeded inputs of several kinds) through every case check, then the suite properties "
                    + "(error contract, peer timeout, variable sizes, per-rank threads). The CPU model is checked against "
                    + "the element-wise model, any other backend against the CPU model, buffers included.",
            "Each failure is one line: rule, case, rank, tile/atom/group/lane/thread, element, inputs, got, want, seed and "
                    + "the command that reruns it. Progress goes to stderr; the table, the failures and the verdict to stdout.",
            "Exit 0 only if every check passed (and, for a run of the whole matrix, every coverage class was hit)."},
        footer = {"", "Examples:",
            "  qr conformance --backend cpu --report target/conformance",
            "  qr conformance --backend gpu --level 2 -w 8 --codecs int4 --report out/",
            "  qr conformance --backend gpu --case ID --isolate ELEMENT   # a failure's repro"})
public final class ConformanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "cpu (the bit-exact model) or gpu (the native kernels). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--level", paramLabel = "1|2", defaultValue = "1",
            description = "1: quick (two cases per world size, codec and data path; CI); 2: thorough (every input kind, "
                    + "profile and size, plus 16 Mi-element cases). Default: ${DEFAULT-VALUE}.")
    int level;

    @Option(names = {"-w", "--world-sizes"}, split = ",", paramLabel = "W", description = "World sizes to run (default 2,4,8).")
    List<Integer> worldSizes;

    @Option(names = "--codecs", split = ",", paramLabel = "CODEC", converter = Converters.Codec.class,
            completionCandidates = Converters.CodecNames.class,
            description = "Codecs to run: ${COMPLETION-CANDIDATES} (default all).")
    List<QuantLevel> codecs;

    @Option(names = "--paths", split = ",", paramLabel = "PATH", converter = PathName.class,
            completionCandidates = Converters.PathNames.class,
            description = "Data paths to run: ${COMPLETION-CANDIDATES} (default all).")
    List<DataPath> paths;

    @Option(names = "--profiles", split = ",", paramLabel = "PROFILE", converter = Converters.ProfileName.class,
            completionCandidates = Converters.ProfileNames.class,
            description = "Numerics profiles to run: ${COMPLETION-CANDIDATES} (default: every profile the backend supports).")
    List<Profile> profiles;

    @Option(names = "--case", paramLabel = "ID",
            description = "Run this one case only (the id a failure line prints), through the case checks.")
    String caseId;

    @Option(names = "--isolate", paramLabel = "ELEMENT",
            description = "With --case: zero every input outside the 64-element span of ELEMENT (both of its quantization groups).")
    Long isolate;

    @Option(names = "--property", split = ",", paramLabel = "NAME",
            description = "Run only these checks and properties (repeatable or comma-separated): ${COMPLETION-CANDIDATES}.",
            completionCandidates = PropertyNames.class)
    List<String> properties;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.Seed.class,
            description = "Base seed of the case matrix, decimal or 0x-hex (default: -Dqr.seed, else the fixed default).")
    Long seed;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write junit.xml, report.html and summary.txt into DIR (created if missing).")
    Path report;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long one flag wait may spin before a call fails with a peer timeout. Default: ${DEFAULT-VALUE}.")
    double timeoutSeconds;

    @Option(names = "--budget", paramLabel = "SECONDS",
            description = "Wall time the run may take: the cases run smallest first within 60 %% of it (all of it without "
                    + "suite properties), the properties start while time is left; what did not run is reported as not run "
                    + "(default: no limit).")
    Double budgetSeconds;

    /** How a backend is opened; tests substitute a backend with a known defect. */
    Function<String, Backend> opener = Backends::open;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = spec.qualifiedName();
        SuiteConfig config = config();
        Backend b = open();
        checkProfiles(b, config);
        checkReportDirectory();

        ProgressBar bar = new ProgressBar(err, name, "running");
        SuiteResult result;
        try {
            result = Suite.run(new Target(b, Duration.ofMillis(Math.round(timeoutSeconds * 1000))), config, bar);
        } finally {
            bar.finish();
        }
        if (report != null) {
            err.printf("%s: writing %s, %s and %s to %s%n", name, Reports.JUNIT, Reports.HTML, Reports.SUMMARY, report);
            try {
                Reports.write(report, List.of(result), Instant.now());
            } catch (IOException e) {
                throw CliException.failed("cannot write the report to '" + report + "': " + IoErrors.reason(e));
            }
        }
        out.print(SummaryText.render(List.of(result)));
        out.flush();
        return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The suite configuration the options describe; every usage error is found here, before anything runs. */
    SuiteConfig config() {
        Level l = switch (level) {
            case 1 -> Level.QUICK;
            case 2 -> Level.THOROUGH;
            default -> throw CliException.usage("--level " + level + ": expected 1 (quick) or 2 (thorough)");
        };
        if (!(timeoutSeconds > 0)) {
            throw CliException.usage("--timeout " + timeoutSeconds + ": must be positive");
        }
        SuiteConfig c = SuiteConfig.defaults(l);
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (worldSizes != null) {
            for (int w : worldSizes) {
                if (!Geometry.WORLD_SIZES.contains(w)) {
                    throw CliException.usage("--world-sizes: " + w + " is not supported (expected 2, 4 or 8)");
                }
            }
            c = c.withWorldSizes(List.copyOf(new LinkedHashSet<>(worldSizes)));
        }
        if (codecs != null) {
            c = c.withCodecs(EnumSet.copyOf(codecs));
        }
        if (paths != null) {
            c = c.withPaths(EnumSet.copyOf(paths));
        }
        if (profiles != null) {
            c = c.withProfiles(EnumSet.copyOf(profiles));
        }
        if (properties != null) {
            Set<String> known = new LinkedHashSet<>(propertyNames());
            for (String p : properties) {
                if (!known.contains(p)) {
                    throw CliException.usage("--property: unknown property '" + p + "' (expected one of " + String.join(", ", known) + ")");
                }
            }
            c = c.withProperties(Set.copyOf(properties));
        }
        if (budgetSeconds != null) {
            if (!(budgetSeconds > 0)) {
                throw CliException.usage("--budget " + budgetSeconds + ": must be positive");
            }
            c = c.withBudget(budgetSeconds);
        }
        if (isolate != null && caseId == null) {
            throw CliException.usage("--isolate needs --case (it narrows one case to the span of one element)");
        }
        if (caseId != null) {
            if (worldSizes != null || codecs != null || paths != null || profiles != null || seed != null) {
                throw CliException.usage("--case names its own world size, codec, data path, profile and seed: "
                        + "drop --world-sizes, --codecs, --paths, --profiles and --seed");
            }
            CaseSpec cs;
            try {
                cs = CaseSpec.parse(caseId);
            } catch (IllegalArgumentException | InvalidArgumentException e) {
                throw CliException.usage("--case: " + e.getMessage());
            }
            if (isolate != null && (isolate < 0 || isolate >= cs.n())) {
                throw CliException.usage("--isolate " + isolate + " is outside the case's " + cs.n() + " elements");
            }
            c = c.withCase(caseId, isolate == null ? -1 : isolate);
        }
        return c;
    }

    private Backend open() {
        if (!Backends.names().contains(backend)) {
            throw CliException.usage("unknown backend '" + backend + "' (expected one of " + String.join(", ", Backends.names()) + ")");
        }
        try {
            return opener.apply(backend);
        } catch (BackendUnavailableException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "backend " + backend + " cannot run here: " + e.getMessage(), e);
        }
    }

    private void checkProfiles(Backend b, SuiteConfig c) {
        Set<Profile> usable = EnumSet.noneOf(Profile.class);
        if (c.caseId() != null) {
            usable.add(CaseSpec.parse(c.caseId()).profile());
        } else {
            usable.addAll(c.profiles());
        }
        usable.retainAll(b.profiles());
        if (usable.isEmpty()) {
            throw new CliException(ExitCodes.UNAVAILABLE, "backend " + b.name() + " supports profile(s) "
                    + b.profiles().stream().map(Profile::id).collect(Collectors.joining(", ")) + ", none of those asked for");
        }
    }

    /** Fails before the run, not after it, when the report cannot be written. */
    private void checkReportDirectory() {
        if (report == null) {
            return;
        }
        if (Files.exists(report) && !Files.isDirectory(report)) {
            throw CliException.usage("--report '" + report + "' exists and is not a directory");
        }
        try {
            Files.createDirectories(report);
            Files.delete(Files.createTempFile(report, ".qr-report", ".tmp"));
        } catch (IOException e) {
            throw CliException.usage("cannot write to report directory '" + report + "': " + IoErrors.reason(e));
        }
    }

    static List<String> propertyNames() {
        return Stream.concat(Suite.caseChecks().stream().map(CaseCheck::name), Suite.suiteProperties().stream().map(SuiteProperty::name))
                .toList();
    }

    /** {@code --paths} values, through the spec's own lookup and message. */
    static final class PathName implements ITypeConverter<DataPath> {
        @Override
        public DataPath convert(String value) {
            try {
                return DataPath.fromName(value);
            } catch (InvalidArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Candidates shown in {@code --help}. */
    static final class PropertyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new ArrayList<>(propertyNames()).iterator();
        }
    }
}
