package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code qr launch} run as a child process: a rank that dies is named within seconds and the others are stopped;
 * ranks die with their launcher, whatever kills it, and the rendezvous folder goes with them.
 */
class LaunchSupervisionTest {
    private static final Pattern STARTED = Pattern.compile(".*processes started \\(\\w+, rendezvous (\\S+), pids ([\\d ]+)\\)");

    /** A running launch: the launcher process, its stderr so far, and what it said when the ranks started. */
    record Launch(Process launcher, StringBuffer err, Path dir, List<Long> ranks) {
        boolean allRanksGone() {
            return ranks.stream().allMatch(pid -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        }
    }

    static Launch start(int nproc) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Qr.class.getName(), "launch", "--nproc", Integer.toString(nproc), "--codec", "int4", "--random", "1048576",
                "--calls", "100000", "--timeout-s", "300");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        StringBuffer err = new StringBuffer();
        CompletableFuture<Matcher> started = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    err.append(line).append('\n');
                    Matcher m = STARTED.matcher(line);
                    if (m.matches()) {
                        started.complete(m);
                    }
                }
            } catch (IOException e) {
                // gone
            }
            started.complete(null);
        });
        Matcher m = started.get(120, TimeUnit.SECONDS);
        if (m == null) {
            fail("the launcher did not start its ranks: " + err);
        }
        List<Long> pids = new ArrayList<>();
        for (String pid : m.group(2).strip().split(" ")) {
            pids.add(Long.parseLong(pid));
        }
        assertEquals(nproc, pids.size());
        // let the ranks get into their calls
        Thread.sleep(2500);
        return new Launch(p, err, Path.of(m.group(1)), pids);
    }

    static void awaitRanksAndFolderGone(Launch l, String after) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(l.allRanksGone() && !Files.exists(l.dir())) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        for (long pid : l.ranks()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertTrue(l.allRanksGone(), "ranks still running 15 s after " + after);
        assertFalse(Files.exists(l.dir()), "rendezvous folder left after " + after + ": " + l.dir());
    }

    @Test
    void aKilledRankIsNamedAtOnceAndTheOthersAreStopped() throws Exception {
        Launch l = start(4);
        long t0 = System.nanoTime();
        ProcessHandle.of(l.ranks().get(2)).orElseThrow().destroyForcibly();
        if (!l.launcher().waitFor(30, TimeUnit.SECONDS)) {
            l.launcher().destroyForcibly();
            fail("the launcher did not notice the dead rank within 30 s: " + l.err());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(ExitCodes.FAILED, l.launcher().exitValue(), l.err()::toString);
        String msg = l.err().toString();
        assertTrue(msg.contains("qr launch: rank 2 (pid " + l.ranks().get(2) + ") ended with exit status 137 (killed by signal 9, SIGKILL)"), msg);
        assertTrue(msg.contains("the other ranks were stopped"), msg);
        // the poll interval plus the stop grace period; on a loaded 2-core machine the JVMs answer slowly
        assertTrue(seconds < 10, "noticed after " + seconds + " s");
        awaitRanksAndFolderGone(l, "a rank died");
    }

    @Test
    void ranksDieWithAKilledLauncher() throws Exception {
        Launch l = start(2);
        l.launcher().destroyForcibly();
        l.launcher().waitFor(10, TimeUnit.SECONDS);
        awaitRanksAndFolderGone(l, "SIGKILL to the launcher");
    }

    /**
     * Whether this process ignores SIGINT, as everything started in the background of a non-interactive shell does
     * ({@code cmd &}, nohup): the launcher inherits the disposition, and a JVM leaves an ignored SIGINT ignored, as
     * POSIX programs should. Linux: bit 1 of the SigIgn mask in /proc/self/status.
     */
    static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    @Test
    void anInterruptedLauncherStopsItsRanksAndRemovesTheFolder() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(sigintIgnored(),
                "SIGINT is ignored in this process (started in the background of a shell): the launcher inherits that");
        Launch l = start(2);
        new ProcessBuilder("kill", "-INT", Long.toString(l.launcher().pid())).inheritIO().start().waitFor();
        assertTrue(l.launcher().waitFor(15, TimeUnit.SECONDS), "the launcher did not end on SIGINT");
        awaitRanksAndFolderGone(l, "SIGINT to the launcher");
    }
}
