package dev.qrref.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The rank processes of one {@code qr launch} and their rendezvous folder, owned by the launcher.
 *
 * <ul>
 *   <li>Every rank's stdin is a pipe from the launcher. A rank takes the end of its stdin as the order to stop: the
 *       launcher closes the pipes to stop the ranks, and when the launcher dies, however it dies (SIGKILL included),
 *       the kernel closes them. A rank whose launcher is gone also deletes the rendezvous folder.</li>
 *   <li>{@link #supervise} polls the processes every {@value #POLL_MILLIS} ms: a rank that exits with a non-zero
 *       status is named with that status (and the signal that killed it) within a poll, and the others are stopped.</li>
 *   <li>A shutdown hook (SIGINT, SIGTERM) stops the ranks and deletes the folder; so does {@link #close}.</li>
 *   <li>The folder is named {@code qr-launch-<launcher pid>-<random>}: a later launch deletes those whose launcher is
 *       gone ({@link #sweep}).</li>
 * </ul>
 */
final class RankProcesses implements AutoCloseable {
    static final String PREFIX = "qr-launch-";
    static final int POLL_MILLIS = 50;
    /** How long stopped ranks get to exit by themselves (and delete their buffers) before they are killed. */
    static final long GRACE_MILLIS = 2000;
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static final Map<Integer, String> SIGNALS = Map.of(1, "SIGHUP", 2, "SIGINT", 3, "SIGQUIT", 4, "SIGILL", 6, "SIGABRT",
            7, "SIGBUS", 8, "SIGFPE", 9, "SIGKILL", 11, "SIGSEGV", 15, "SIGTERM");

    private final Path dir;
    private final List<Process> procs = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "qr-launch-cleanup");
    private boolean closed;

    /** A failed or overdue rank, in words. */
    record Failure(int rank, String message) {
    }

    private RankProcesses(Path dir) {
        this.dir = dir;
    }

    /** Creates the rendezvous folder under {@code parent} and registers the shutdown hook. */
    static RankProcesses create(Path parent) throws IOException {
        Files.createDirectories(parent);
        RankProcesses r = new RankProcesses(Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-"));
        Runtime.getRuntime().addShutdownHook(r.hook);
        return r;
    }

    Path dir() {
        return dir;
    }

    Path log(int rank) {
        return dir.resolve("rank" + rank + ".log");
    }

    /** Starts rank {@code procs.size()}: stdin a pipe, stdout and stderr into its log. */
    synchronized void start(List<String> command) throws IOException {
        if (closed) {
            throw new IOException("the launch is being stopped");
        }
        int rank = procs.size();
        procs.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(rank).toFile()).start());
    }

    List<Long> pids() {
        return procs.stream().map(Process::pid).toList();
    }

    /**
     * Waits until every rank has exited with status 0 (empty result), a rank exited otherwise, or the deadline passed;
     * in the last two cases the other ranks are stopped and the failure is returned.
     */
    Failure supervise(long deadlineNanos) throws InterruptedException {
        long t0 = System.nanoTime();
        while (true) {
            List<String> failed = new ArrayList<>();
            int first = -1;
            boolean running = false;
            for (int r = 0; r < procs.size(); r++) {
                Process p = procs.get(r);
                if (p.isAlive()) {
                    running = true;
                } else if (p.exitValue() != 0) {
                    failed.add("rank " + r + " (pid " + p.pid() + ") ended with " + describeExit(p.exitValue()));
                    first = first < 0 ? r : first;
                }
            }
            if (!failed.isEmpty()) {
                stop();
                return new Failure(first, String.join("; ", failed) + String.format(" after %.1f s", (System.nanoTime() - t0) / 1e9)
                        + "; the other ranks were stopped; rank " + first + "'s log: " + tail(log(first)));
            }
            if (!running) {
                return null;
            }
            if (System.nanoTime() > deadlineNanos) {
                List<String> late = new ArrayList<>();
                for (int r = 0; r < procs.size(); r++) {
                    if (procs.get(r).isAlive()) {
                        late.add(Integer.toString(r));
                    }
                }
                stop();
                int r0 = Integer.parseInt(late.getFirst());
                return new Failure(r0, "rank(s) " + String.join(", ", late) + " did not finish in time and were stopped; rank "
                        + r0 + "'s log: " + tail(log(r0)));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** "exit status 1", or "exit status 137 (killed by signal 9, SIGKILL)" for a JVM-reported signal death. */
    static String describeExit(int status) {
        if (status > 128 && status <= 128 + 64) {
            int sig = status - 128;
            return "exit status " + status + " (killed by signal " + sig + (SIGNALS.containsKey(sig) ? ", " + SIGNALS.get(sig) : "") + ")";
        }
        return "exit status " + status;
    }

    /** Closes every rank's stdin (the order to stop), waits for them a moment, then kills those still running. */
    synchronized void stop() {
        for (Process p : procs) {
            try {
                p.getOutputStream().close();
            } catch (IOException e) {
                // already closed
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
        for (Process p : procs) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the ranks and deletes the folder; the shutdown hook and the launcher's own exit path both end here. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stop();
            deleteTree(dir);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already: this is the hook
        }
    }

    /** Deletes the rendezvous folders under {@code parent} whose launcher process is gone; returns how many. */
    static int sweep(Path parent) {
        int removed = 0;
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path p : s) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !alive(m.group(1))) {
                    deleteTree(p);
                    removed += Files.exists(p) ? 0 : 1;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // another user's folders, or a race with their owner: leave them
        }
        return removed;
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Deletes a folder and what it holds; tolerates other processes deleting the same entries meanwhile. */
    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // in use or not ours: the rest still goes
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // gone already
        }
    }

    /** The last lines of a rank's log, on one line. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "(empty)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }
}
