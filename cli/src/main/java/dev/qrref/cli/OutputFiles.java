package dev.qrref.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of output files that appear all together or not at all. Each is first written to a hidden temporary file in
 * the output directory ({@code .rank0.npy.<pid>.tmp}), so an unwritable directory fails before any work is done and
 * a failed or interrupted run leaves nothing behind; {@link #commit} renames them into place (atomically, replacing
 * older files of the same name). Closing without a commit deletes the temporary files, and the directory too if this
 * run created it. A shutdown hook does the same on Ctrl-C.
 */
public final class OutputFiles implements AutoCloseable {
    private final Path dir;
    private final List<Path> finals = new ArrayList<>();
    private final List<Path> temps = new ArrayList<>();
    private final List<Path> createdDirs = new ArrayList<>();
    private final Thread hook = new Thread(this::discard, "qr-output-cleanup");
    private boolean done;

    private OutputFiles(Path dir) {
        this.dir = dir;
    }

    /** Checks or creates {@code dir} and creates one temporary file per name; throws a usage error naming the problem. */
    public static OutputFiles prepare(Path dir, List<String> names) {
        OutputFiles out = new OutputFiles(dir);
        try {
            out.createDirectory();
            long pid = ProcessHandle.current().pid();
            for (String name : names) {
                Path tmp = dir.resolve("." + name + "." + pid + ".tmp");
                try {
                    Files.deleteIfExists(tmp);
                    Files.createFile(tmp);
                } catch (IOException e) {
                    throw CliException.usage("cannot write to output directory '" + dir + "': " + IoErrors.reason(e));
                }
                out.temps.add(tmp);
                out.finals.add(dir.resolve(name));
            }
            Runtime.getRuntime().addShutdownHook(out.hook);
            return out;
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
    }

    private void createDirectory() {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw CliException.usage("output directory '" + dir + "' exists and is not a directory");
            }
            return;
        }
        // remember which levels this run creates, to remove exactly those again on failure
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
                createdDirs.add(p);
            } catch (IOException e) {
                throw CliException.usage("cannot create output directory '" + dir + "': " + IoErrors.reason(e));
            }
        }
    }

    /** The temporary file that becomes output {@code i}. */
    public Path temp(int i) {
        return temps.get(i);
    }

    /** The final name of output {@code i}. */
    public Path target(int i) {
        return finals.get(i);
    }

    public int size() {
        return temps.size();
    }

    /** Moves every temporary file to its final name. */
    public void commit() {
        try {
            for (int i = 0; i < temps.size(); i++) {
                Files.move(temps.get(i), finals.get(i), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw CliException.failed("cannot rename the outputs into '" + dir + "': " + IoErrors.reason(e));
        }
        done = true;
        removeHook();
    }

    @Override
    public void close() {
        if (!done) {
            discard();
            removeHook();
        }
    }

    private synchronized void discard() {
        if (done) {
            return;
        }
        done = true;
        for (Path t : temps) {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                // best effort: a leftover hidden .tmp file is harmless and named after this process
            }
        }
        for (Path d : createdDirs.reversed()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException | UncheckedIOException e) {
                // not empty any more (someone else wrote there) or gone: leave it
            }
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never registered
        }
    }
}
