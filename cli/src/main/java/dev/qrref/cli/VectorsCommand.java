package dev.qrref.cli;

import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.vectors.Vectors;
import dev.qrref.spec.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr vectors}: writes golden vectors ({@link Vectors}) for checking a kernel outside the JVM, with the Python
 * checker next to them.
 */
@Command(name = "vectors", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Writes golden vectors: for every codec, world size (2, 4, 8), data path (fp16, bf16, bf16-cast) and profile, "
                    + "two cases (special values at 16392 elements, and a rotating input kind at 8, 2048 or 16392 elements) "
                    + "with each rank's input and the expected output as .npy files, computed by the CPU model and checked "
                    + "against the element-wise model; manifest.json lists them with their SHA-256.",
            "The directory also gets qr_check.py (Python 3.9+, numpy), which compares a kernel's outputs with the vectors "
                    + "bit for bit: python3 DIR/qr_check.py DIR OUTPUTS (see its --help for the layout of OUTPUTS).",
            "The same command writes byte-identical files."},
        footer = {"", "Examples:",
            "  qr vectors --out vectors/",
            "  qr vectors --out vectors-amd/ --profile cdna3 --profile cdna4"})
public final class VectorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
            description = "Directory to write (created if missing; must be empty or hold an earlier vector set; files of the same names are replaced).")
    Path out;

    @Option(names = "--profile", split = ",", paramLabel = "PROFILE", converter = Converters.ProfileName.class,
            completionCandidates = Converters.ProfileNames.class,
            description = "Profiles to write (repeatable or comma-separated): ${COMPLETION-CANDIDATES}. Default: all.")
    List<Profile> profiles;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkDirectory();
        EnumSet<Profile> ps = profiles == null ? EnumSet.allOf(Profile.class) : EnumSet.copyOf(profiles);
        long t0 = System.nanoTime();
        ProgressBar bar = new ProgressBar(err, spec.qualifiedName(), "generating");
        Vectors.Written w;
        try {
            w = Vectors.write(out, ps, bar);
        } catch (IOException e) {
            throw CliException.failed("cannot write the vectors to '" + out + "': " + IoErrors.reason(e));
        } finally {
            bar.finish();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        stdout.printf(Locale.ROOT, "wrote %d cases (%d files, %.1f MB) for profile(s) %s to %s in %.1f s%n", w.cases(), w.files(),
                w.bytes() / 1e6, String.join(", ", ps.stream().map(Profile::id).toList()), out, seconds);
        stdout.printf("check a kernel: python3 %s %s OUTPUTS   (OUTPUTS/<case id>/out_rank<r>.npy; see --help)%n",
                out.resolve(Vectors.CHECKER), out);
        return ExitCodes.OK;
    }

    /**
     * Refuses a file, or a directory holding anything but a (possibly interrupted) vector set: the command writes
     * hundreds of folders and replaces files of the same names.
     */
    private void checkDirectory() throws IOException {
        WritableDirectory.require("--out", out);
        if (!Files.exists(out)) {
            return;
        }
        try (Stream<Path> s = Files.list(out)) {
            Path foreign = s.filter(p -> !belongsToASet(p)).findFirst().orElse(null);
            if (foreign != null) {
                throw CliException.usage("--out '" + out + "' holds '" + foreign.getFileName()
                        + "', which is not part of a vector set: choose a new or empty directory");
            }
        }
    }

    private static boolean belongsToASet(Path p) {
        String name = p.getFileName().toString();
        if (Files.isRegularFile(p)) {
            return name.equals(Vectors.MANIFEST) || name.equals(Vectors.CHECKER) || name.equals(Vectors.README);
        }
        try {
            CaseSpec.parse(name);
            return Files.isDirectory(p);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
