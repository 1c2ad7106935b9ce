package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qr allreduce --out-dir} run as a child process and interrupted (SIGKILL, SIGTERM, SIGINT) at random moments
 * and inside its write phase: the directory must hold the old set or the complete new one (a decided commit that
 * SIGKILL cut short may be pending, marked, until the next run), SIGTERM and SIGINT must leave no hidden file, and
 * after the next run nothing is pending or hidden.
 */
class AllreduceInterruptionTest {
    static final int W = 8;
    static final String N = Integer.toString(1 << 18);
    static final long SEED = 0x5EEDL;

    @TempDir
    Path tmp;

    enum Signal { KILL, TERM, INT }

    static Process start(Path out, long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Qr.class.getName(), "allreduce", "-w", Integer.toString(W), "--codec", "int4", "--random", N, "--seed",
                Long.toString(seed), "--threads", "1", "--out-dir", out.toString());
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static Map<String, String> rankFiles(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("rank\\d+\\.npy")).toList()) {
                m.put(p.getFileName().toString(), sha(p));
            }
        }
        return m;
    }

    static List<String> hidden(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).sorted().toList();
        }
    }

    static String sha(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private Map<String, String> cleanRun(Path dir, long seed) throws Exception {
        Process p = start(dir, seed);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "a clean run did not finish");
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        Map<String, String> files = rankFiles(dir);
        assertEquals(W, files.size());
        assertEquals(List.of(), hidden(dir));
        return files;
    }

    @Test
    void interruptedRunsLeaveTheOldSetOrTheNewOneAndNothingHidden() throws Exception {
        Map<String, String> oldSet = cleanRun(tmp.resolve("old"), SEED);
        Map<String, String> newSet = cleanRun(tmp.resolve("new"), SEED + 1);
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<String> outcomes = new ArrayList<>();
        int trial = 0;
        for (Signal sig : Signal.values()) {
            for (boolean inWritePhase : new boolean[]{false, true}) {
                Path out = tmp.resolve("trial" + trial++);
                Files.createDirectories(out);
                for (int r = 0; r < W; r++) {
                    Files.copy(tmp.resolve("old/rank" + r + ".npy"), out.resolve("rank" + r + ".npy"));
                }
                Process p = start(out, SEED + 1);
                CountDownLatch writing = new CountDownLatch(1);
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            if (line.contains(": writing ")) {
                                writing.countDown();
                            }
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                });
                if (inWritePhase) {
                    writing.await(120, TimeUnit.SECONDS);
                    Thread.sleep(rnd.nextInt(40));
                } else {
                    Thread.sleep(200 + rnd.nextInt(1500));
                }
                signal(p, sig);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    fail("the run did not end within 30 s of SIG" + sig);
                }
                reader.join(5000);

                Map<String, String> now = rankFiles(out);
                List<String> hiddenNow = hidden(out);
                String state = now.equals(oldSet) ? "old" : now.equals(newSet) ? "new" : "mixed";
                if (sig != Signal.KILL) {
                    assertEquals(List.of(), hiddenNow, "SIG" + sig + " must leave nothing hidden (" + state + ")");
                }
                if (state.equals("mixed")) {
                    boolean decided = hiddenNow.stream().anyMatch(h -> h.startsWith(OutputFiles.STAGING_PREFIX)
                            && Files.exists(out.resolve(h).resolve(OutputFiles.COMMIT_MARKER)));
                    assertTrue(sig == Signal.KILL && decided, "SIG" + sig + " left a partial set " + now.keySet() + " hidden " + hiddenNow);
                }
                // the next run into the directory settles whatever was left
                try (OutputFiles next = OutputFiles.prepare(out, List.of("rank0.npy"))) {
                    outcomes.add("SIG" + sig + (inWritePhase ? " in write phase" : " at random") + ": " + state
                            + (next.recovered().isEmpty() ? "" : ", then " + next.recovered()));
                }
                Map<String, String> after = rankFiles(out);
                assertTrue(after.equals(oldSet) || after.equals(newSet), "after the next run: neither set " + after.keySet());
                assertEquals(List.of(), hidden(out), "after the next run");
            }
        }
        System.out.println("interruption trials: " + outcomes);
    }

    static void signal(Process p, Signal sig) throws IOException, InterruptedException {
        switch (sig) {
            case KILL -> p.destroyForcibly();
            case TERM -> p.destroy();
            case INT -> new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        }
    }
}
