package dev.qrref.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check every command that writes into a directory makes before it does any work: the directory, or the nearest
 * existing folder above it, must be a writable directory. Nothing is created, so a refused run leaves no trace; the
 * error is a usage error (exit 2) naming the option and the path.
 */
final class WritableDirectory {
    private WritableDirectory() {
    }

    /** Throws a usage error unless {@code dir} exists as a writable directory or could be created. */
    static void require(String option, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw CliException.usage(option + " '" + dir + "' exists and is not a directory");
            }
            if (!Files.isWritable(abs)) {
                throw CliException.usage("cannot write to " + option + " '" + dir + "': permission denied or read-only");
            }
            return;
        }
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw CliException.usage("cannot create " + option + " '" + dir + "': no existing folder above it");
        }
        if (!Files.isDirectory(existing)) {
            throw CliException.usage("cannot create " + option + " '" + dir + "': '" + existing + "' is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw CliException.usage("cannot create " + option + " '" + dir + "': '" + existing
                    + "' is not writable (permission denied or read-only)");
        }
    }
}
