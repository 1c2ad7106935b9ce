package dev.qrref.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of output files that a directory holds completely or not at all, whatever interrupts the run, SIGKILL
 * included.
 *
 * <p>The protocol, in the output directory {@code DIR}:
 * <ol>
 *   <li><b>Lock.</b> {@code DIR/.qr-out.lock} is locked (an advisory lock, which the kernel releases when the process
 *       dies, however it dies). A second run into the same directory is refused while the first holds it.</li>
 *   <li><b>Recover.</b> Under the lock, what an earlier interrupted run left is settled: a staging folder with a commit
 *       marker is published (roll forward), any other staging folder is deleted (roll back), and so are the hidden
 *       temporary files of older versions of this command whose process is gone.</li>
 *   <li><b>Stage.</b> The files are written into the hidden folder {@code DIR/.qr-staging-<pid>} on the same file
 *       system, through {@link #open}, which refuses once the set was discarded.</li>
 *   <li><b>Commit.</b> {@link #commit} creates the marker {@code COMMIT} in the staging folder (one atomic file
 *       creation: from then on the set is decided), renames every file into {@code DIR} (each rename atomic, replacing
 *       an older file of the same name), and removes the marker, the staging folder and the lock file.</li>
 * </ol>
 * A run stopped before the marker exists leaves {@code DIR}'s own files as they were; one stopped after it leaves the
 * marker, and the next run into {@code DIR} completes the renames before anything else. On SIGINT or SIGTERM a
 * shutdown hook settles the set at once: it waits for a commit in progress (they share one monitor) or discards the
 * staged files, and no file can be opened for writing after that. Closing without a commit discards too. A folder this
 * run created is removed again when nothing was committed.
 *
 * <p>The files are forced to disk before the marker is written, and the folders after the renames, so that a crash of
 * the machine leaves the same two possible states as an interrupted process.
 */
public final class OutputFiles implements AutoCloseable {
    static final String LOCK_NAME = ".qr-out.lock";
    static final String STAGING_PREFIX = ".qr-staging-";
    static final String COMMIT_MARKER = "COMMIT";
    /** Temporary files of the earlier version of this class: {@code .rank0.npy.<pid>.tmp}. */
    private static final Pattern LEGACY_TEMP = Pattern.compile("\\..+\\.(\\d+)\\.tmp");

    private enum State { STAGING, DONE, DISCARDED }

    private final Path dir;
    private final List<String> names;
    private final List<Path> createdDirs = new ArrayList<>();
    private final List<String> recovered = new ArrayList<>();
    private final Thread hook = new Thread(this::discard, "qr-output-cleanup");
    private FileChannel lockChannel;
    private FileLock lock;
    private Path staging;
    /** Guarded by {@code this}: the committing thread, writers opening files and the shutdown hook all take it. */
    private State state = State.STAGING;

    private OutputFiles(Path dir, List<String> names) {
        this.dir = dir;
        this.names = List.copyOf(names);
    }

    /**
     * Checks or creates {@code dir}, takes its lock, settles what an interrupted earlier run left, and creates the
     * staging folder; throws a usage error naming the problem (nothing is left behind then).
     */
    public static OutputFiles prepare(Path dir, List<String> names) {
        OutputFiles out = new OutputFiles(dir, names);
        try {
            out.createDirectory();
            out.acquireLock();
            out.recover();
            out.checkTargets();
            out.staging = dir.resolve(STAGING_PREFIX + ProcessHandle.current().pid());
            try {
                Files.createDirectory(out.staging);
            } catch (IOException e) {
                throw CliException.usage("cannot write to output directory '" + dir + "': " + IoErrors.reason(e));
            }
            Runtime.getRuntime().addShutdownHook(out.hook);
            return out;
        } catch (RuntimeException e) {
            out.discard();
            throw e;
        }
    }

    /** What {@link #prepare} found and settled from an interrupted earlier run, in words (empty if nothing). */
    public List<String> recovered() {
        return List.copyOf(recovered);
    }

    /** The final name of output {@code i}. */
    public Path target(int i) {
        return dir.resolve(names.get(i));
    }

    public int size() {
        return names.size();
    }

    /**
     * Creates (or truncates) the staged file of output {@code i} for writing. Refused once the set was discarded (an
     * interrupt): a writer that got its channel earlier writes into a file that no longer has a name.
     */
    public synchronized FileChannel open(int i) throws IOException {
        if (state != State.STAGING) {
            throw new IOException("the output set was " + (state == State.DONE ? "already committed" : "discarded (interrupted)"));
        }
        return FileChannel.open(staging.resolve(names.get(i)), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Writes the whole staged file of output {@code i} (small outputs: reports). */
    public void write(int i, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try (FileChannel ch = open(i)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** Publishes every staged file under its final name. Every file must have been written and closed. */
    public void commit() {
        synchronized (this) {
            if (state != State.STAGING) {
                throw CliException.failed("the outputs were discarded (interrupted); '" + dir + "' is unchanged");
            }
            for (String name : names) {
                if (!Files.isRegularFile(staging.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    discardLocked();
                    throw CliException.failed("cannot commit the outputs in '" + dir + "': " + name + " was not written");
                }
            }
            try {
                for (String name : names) {
                    force(staging.resolve(name), false);
                }
            } catch (IOException e) {
                discardLocked();
                throw CliException.failed("cannot write the outputs to '" + dir + "': " + IoErrors.reason(e));
            }
            try {
                Files.createFile(staging.resolve(COMMIT_MARKER));
                force(staging, true);
            } catch (IOException e) {
                discardLocked();
                throw CliException.failed("cannot commit the outputs in '" + dir + "': " + IoErrors.reason(e));
            }
            // decided: from here on the set is published, by this run or, if it dies, by the next one
            state = State.DONE;
            try {
                publish(staging, dir, names);
            } catch (IOException e) {
                releaseLock();
                throw CliException.failed("cannot rename the outputs into '" + dir + "': " + IoErrors.reason(e)
                        + "; the next run into this directory completes the commit");
            }
            releaseLock();
        }
        removeHook();
    }

    @Override
    public void close() {
        discard();
        removeHook();
    }

    /** The shutdown hook and {@link #close}: drops an uncommitted set; waits for a commit that is under way. */
    private void discard() {
        synchronized (this) {
            discardLocked();
        }
    }

    private void discardLocked() {
        if (state != State.STAGING) {
            return;
        }
        state = State.DISCARDED;
        if (staging != null) {
            deleteTree(staging);
        }
        releaseLock();
        for (Path d : createdDirs.reversed()) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException | UncheckedIOException e) {
                // not empty any more (someone else wrote there) or gone: leave it
            }
        }
    }

    // ---- the steps of prepare --------------------------------------------------------------------------------------

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

    /**
     * Locks {@link #LOCK_NAME}. The file is deleted when the set is settled, so after locking it the lock must still be
     * on the file that has the name (else a run that finished meanwhile deleted it, and the lock guards nothing).
     */
    private void acquireLock() {
        Path lockFile = dir.resolve(LOCK_NAME);
        for (int attempt = 0; attempt < 100; attempt++) {
            FileChannel ch;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw CliException.usage("cannot write to output directory '" + dir + "': " + IoErrors.reason(e));
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // another run inside this same JVM holds it
            } catch (IOException e) {
                closeQuietly(ch);
                throw CliException.usage("cannot lock output directory '" + dir + "' (" + LOCK_NAME + "): " + IoErrors.reason(e));
            }
            if (l == null) {
                String owner = readOwner(ch);
                closeQuietly(ch);
                throw CliException.usage("output directory '" + dir + "' is in use by another qr run" + owner
                        + ": wait for it to finish or choose another --out-dir");
            }
            try {
                if (stillNamed(lockFile)) {
                    // the pid, for the message of a run that finds the directory in use (written through our channel:
                    // opening the file again by name and closing it would drop the lock, as POSIX locks go)
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
                    lockChannel = ch;
                    lock = l;
                    return;
                }
            } catch (IOException e) {
                // the name went away between open and lock: try again with the new file
            }
            closeQuietly(ch);
        }
        throw CliException.failed("cannot lock output directory '" + dir + "': its lock file keeps changing");
    }

    /**
     * Whether the file this process just locked still has its name: a run that finished between our open and our lock
     * has deleted it, and a lock on a nameless file excludes nobody. On Linux no descriptor of this process may show
     * the lock file as deleted (read from /proc/self/fd without opening the file, which would release the lock);
     * elsewhere only the name's existence is checked.
     */
    private boolean stillNamed(Path lockFile) throws IOException {
        if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return true;
        }
        String deleted = lockFile.toRealPath() + " (deleted)";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
            for (Path fd : s) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(deleted)) {
                        return false;
                    }
                } catch (IOException e) {
                    // a descriptor closed meanwhile
                }
            }
        }
        return true;
    }

    private static String readOwner(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,19}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private void releaseLock() {
        if (lockChannel == null) {
            return;
        }
        try {
            // delete while still holding it: a run that opened the old file finds it unlinked and tries again
            Files.deleteIfExists(dir.resolve(LOCK_NAME));
        } catch (IOException e) {
            // an empty lock file left behind is harmless: the next run takes it over
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
        lockChannel = null;
    }

    /** Settles what interrupted runs left (the lock is held, so their processes are gone). */
    private void recover() {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(entries::add);
        } catch (IOException e) {
            throw CliException.usage("cannot read output directory '" + dir + "': " + IoErrors.reason(e));
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            try {
                if (name.startsWith(STAGING_PREFIX) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (Files.exists(p.resolve(COMMIT_MARKER))) {
                        List<String> files = new ArrayList<>();
                        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                            for (Path f : s) {
                                if (!f.getFileName().toString().equals(COMMIT_MARKER)) {
                                    files.add(f.getFileName().toString());
                                }
                            }
                        }
                        files.sort(null);
                        publish(p, dir, files);
                        recovered.add("completed the interrupted commit of " + (files.isEmpty() ? "an output set"
                                : String.join(", ", files)));
                    } else {
                        deleteTree(p);
                        recovered.add("removed the staged files of an interrupted run (" + name + ")");
                    }
                } else {
                    Matcher m = LEGACY_TEMP.matcher(name);
                    if (m.matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !alive(m.group(1))) {
                        Files.deleteIfExists(p);
                        recovered.add("removed " + name + ", a temporary file of an interrupted run");
                    }
                }
            } catch (IOException e) {
                throw CliException.failed("cannot settle '" + p + "', left by an interrupted run: " + IoErrors.reason(e));
            }
        }
    }

    /** The final names must be free for a rename: absent, or a file (not a folder, which rename cannot replace). */
    private void checkTargets() {
        for (String name : names) {
            Path t = dir.resolve(name);
            if (Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                throw CliException.usage("output '" + t + "' exists and is a directory");
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    /** Renames {@code from/name} to {@code to/name} for each name still staged, then removes the staging folder. */
    private static void publish(Path from, Path to, List<String> files) throws IOException {
        for (String name : files) {
            Path src = from.resolve(name);
            if (Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(src, to.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        force(to, true);
        Files.deleteIfExists(from.resolve(COMMIT_MARKER));
        Files.deleteIfExists(from);
    }

    /** fsync of a file or a folder (Linux allows opening a folder for reading and forcing it). */
    private static void force(Path p, boolean directory) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // some file systems refuse to sync a folder; the renames themselves are still atomic
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
            for (Path f : s) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // reported below when the folder cannot go
                }
            }
        } catch (IOException e) {
            // gone already
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // left for the next run's recovery
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
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
