package dev.qrref.cli;

import dev.qrref.spec.CHeaderGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr gen-header}: writes {@code kernels/include/qr_spec.h} from the spec ({@link CHeaderGenerator}), so the
 * kernels use the spec's constants instead of retyped ones.
 */
@Command(name = "gen-header", mixinStandardHelpOptions = true,
        description = "Writes the C header of the spec's constants (kernels/include/qr_spec.h) with "
                + "dev.qrref.spec.CHeaderGenerator; with --check, only reports whether the file is up to date.")
public final class GenHeaderCommand implements Callable<Integer> {
    /** Set by the ./qr launcher to the repository root, so the default path does not depend on the working directory. */
    static final String HOME_PROPERTY = "qr.home";
    static final String DEFAULT_RELATIVE = "kernels/include/qr_spec.h";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Where to write (default: " + DEFAULT_RELATIVE + " in the repository).")
    Path output;

    @Option(names = "--check", description = "Write nothing; exit 1 if the file is missing or differs from the spec.")
    boolean check;

    @Override
    public Integer call() throws IOException {
        Path target = output != null ? output : defaultPath();
        String text = CHeaderGenerator.render();
        if (check) {
            boolean same = Files.isRegularFile(target) && Files.readString(target, StandardCharsets.UTF_8).equals(text);
            if (!same) {
                throw CliException.failed(target + " is " + (Files.exists(target) ? "stale" : "missing")
                        + ": run ./qr gen-header");
            }
            spec.commandLine().getOut().println(target + " is up to date");
            return ExitCodes.OK;
        }
        Path parent = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, ".qr_spec", ".tmp");
        } catch (IOException e) {
            throw CliException.usage("cannot write '" + target + "': " + IoErrors.reason(e));
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().println("wrote " + target);
        return ExitCodes.OK;
    }

    private static Path defaultPath() {
        String home = System.getProperty(HOME_PROPERTY);
        return home == null || home.isBlank() ? Path.of(DEFAULT_RELATIVE) : Path.of(home).resolve(DEFAULT_RELATIVE);
    }
}
