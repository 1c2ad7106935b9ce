package dev.qrref.cli;

import dev.qrref.cli.data.Parallel;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cli.data.RandomInputs;
import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr launch --nproc W}: one OS process per rank, as a real tensor-parallel job runs. Each process opens its
 * backend's per-rank communicator ({@link DeviceComms}, shaped like the seed's), publishes its IPC handle in a
 * rendezvous directory, opens every peer's, runs the calls on its own seeded input and reports its output's SHA-256.
 * The launcher checks that every rank holds the same bits and that they equal the CPU model's group result for the
 * same inputs. On a GPU machine rank r uses device {@code r mod devices}; on the CPU model the buffers are shared file
 * mappings.
 */
@Command(name = "launch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs an all-reduce with one process per rank (IPC handles exchanged through a local rendezvous "
                + "directory) and checks every rank's output against the CPU model's group result.",
        footer = {"", "Examples:", "  qr launch --nproc 4 --backend cpu --codec int4 --random 1048576",
            "  qr launch --nproc 8 --backend gpu --codec int6 --random 16777216 --calls 20"})
public final class LaunchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nproc", required = true, paramLabel = "W", description = "Processes = ranks: 2, 4 or 8.")
    int nproc;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME", description = "cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--codec", required = true, paramLabel = "CODEC", converter = Converters.Codec.class,
            description = "fp, int8, int6 or int4.")
    QuantLevel codec;

    @Mixin
    NumericsOptions numerics;

    @Option(names = "--random", required = true, paramLabel = "N", description = "Elements per rank (seeded Gaussian inputs).")
    long n;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Input seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--calls", defaultValue = "3", paramLabel = "K", description = "Back-to-back calls per rank. Default: ${DEFAULT-VALUE}.")
    int calls;

    @Option(names = "--timeout-s", defaultValue = "120", paramLabel = "SECONDS",
            description = "Per-wait flag timeout in the ranks, and the limit for the whole launch. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--rank", hidden = true, defaultValue = "-1")
    int workerRank;

    @Option(names = "--rendezvous", hidden = true)
    Path rendezvous;

    @Override
    public Integer call() throws Exception {
        if (nproc != 2 && nproc != 4 && nproc != 8) {
            throw new CliException(ExitCodes.USAGE, "--nproc " + nproc + ": the world size must be 2, 4 or 8");
        }
        if (n <= 0 || n % 8 != 0) {
            throw new CliException(ExitCodes.USAGE, "--random " + n + ": the element count must be a positive multiple of 8");
        }
        if (calls < 1) {
            throw new CliException(ExitCodes.USAGE, "--calls must be at least 1");
        }
        return workerRank >= 0 ? worker() : launcher();
    }

    private Profile profile(Backend b) {
        return numerics.profileOr(b.defaultProfile());
    }

    // ---- launcher ----------------------------------------------------------------------------------------------------

    private int launcher() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Backend b = Backends.open(backend);
        Path dir = Files.createTempDirectory("qr-launch-");
        try {
            String java = ProcessHandle.current().info().command().orElse("java");
            List<Process> procs = new ArrayList<>();
            for (int r = 0; r < nproc; r++) {
                List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
                cmd.addAll(FastPath.jvmOptions());
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
                for (String p : new String[]{"qr.native.lib", "qr.cpu.shm", "qr.cpu.threads", FastPath.PROPERTY}) {
                    if (System.getProperty(p) != null) {
                        cmd.add("-D" + p + "=" + System.getProperty(p));
                    }
                }
                cmd.addAll(List.of(Qr.class.getName(), "launch", "--nproc", Integer.toString(nproc), "--backend", backend,
                        "--codec", codec.cliName(), "--dtype", numerics.dtype().id(), "--random", Long.toString(n),
                        "--seed", Long.toString(seed), "--calls", Integer.toString(calls), "--timeout-s", Integer.toString(timeoutSeconds),
                        "--profile", profile(b).id(), "--rank", Integer.toString(r), "--rendezvous", dir.toString()));
                if (numerics.cast()) {
                    cmd.add("--cast-bf16-to-fp16");
                }
                procs.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("rank" + r + ".log").toFile()).start());
            }
            err.println("qr launch: " + nproc + " processes started (" + backend + ", rendezvous " + dir + ")");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 60L);
            int failed = -1;
            for (int r = 0; r < nproc; r++) {
                Process p = procs.get(r);
                if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    procs.forEach(Process::destroyForcibly);
                    throw new CliException(ExitCodes.FAILED, "rank " + r + " did not finish within " + (timeoutSeconds + 60)
                            + " s; its log: " + tail(dir.resolve("rank" + r + ".log")));
                }
                if (p.exitValue() != 0 && failed < 0) {
                    failed = r;
                }
            }
            if (failed >= 0) {
                throw new CliException(ExitCodes.FAILED, "rank " + failed + " failed: " + tail(dir.resolve("rank" + failed + ".log")));
            }
            // the CPU model's group result for the same inputs
            String want = expectedDigest();
            out.printf("%-5s %-40s %-10s %12s  %s%n", "rank", "device", "calls", "median ms", "output SHA-256 (first 16)");
            boolean ok = true;
            for (int r = 0; r < nproc; r++) {
                Properties res = new Properties();
                try (var in = Files.newBufferedReader(dir.resolve("rank" + r + ".result"))) {
                    res.load(in);
                }
                String digest = res.getProperty("sha256");
                boolean match = want.equals(digest);
                ok &= match;
                out.printf("%-5d %-40s %-10s %12s  %s %s%n", r, res.getProperty("device"), res.getProperty("calls"),
                        res.getProperty("median_ms"), digest.substring(0, 16), match ? "= model" : "!= model " + want.substring(0, 16));
            }
            out.println(ok ? "PASS: every rank's output equals the CPU model's group result (" + nproc + " processes, "
                    + codec.cliName() + ", " + numerics.path().id() + ", " + n + " elements)" : "FAIL: outputs differ from the model");
            return ok ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            deleteTree(dir);
        }
    }

    private String expectedDigest() throws Exception {
        RandomInputs gen = new RandomInputs(seed, numerics.dtype(), false);
        Backend cpu = Backends.open("cpu");
        try (Arena arena = Arena.ofShared(); Parallel par = new Parallel(Runtime.getRuntime().availableProcessors());
             GroupComms g = cpu.newGroup(nproc, 2 * n, CommsOptions.of(numerics.profileOr(Backends.open(backend).defaultProfile())))) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (int r = 0; r < nproc; r++) {
                MemorySegment s = arena.allocate(2 * n, 16);
                gen.fill(s, r, n, par);
                ins.add(s);
                outs.add(arena.allocate(2 * n, 16));
            }
            g.allreduce(ins, outs, n, numerics.dtype(), codec, numerics.cast());
            return sha256(outs.get(0));
        }
    }

    // ---- one rank ----------------------------------------------------------------------------------------------------

    private int worker() throws Exception {
        Backend b = Backends.open(backend);
        CommsOptions options = new CommsOptions(profile(b), 0, Duration.ofSeconds(timeoutSeconds));
        try (DeviceComms c = b.newComms(options); Arena arena = Arena.ofShared();
             Parallel par = new Parallel(Math.max(1, Runtime.getRuntime().availableProcessors() / nproc))) {
            c.init(nproc, workerRank, java.util.OptionalLong.of(2 * n));
            publish("rank" + workerRank + ".handle", c.handle().bytes());
            List<IpcHandle> handles = new ArrayList<>();
            for (int r = 0; r < nproc; r++) {
                handles.add(new IpcHandle(await("rank" + r + ".handle")));
            }
            c.openIpcHandles(handles);
            MemorySegment in = arena.allocate(2 * n, 16);
            new RandomInputs(seed, numerics.dtype(), false).fill(in, workerRank, n, par);
            MemorySegment outSeg = arena.allocate(2 * n, 16);
            double[] ms = new double[calls];
            for (int k = 0; k < calls; k++) {
                long t0 = System.nanoTime();
                c.allreduce(in, outSeg, n, numerics.dtype(), codec, numerics.cast());
                ms[k] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            String result = "sha256=" + sha256(outSeg) + "\ncalls=" + calls + "\nmedian_ms=" + String.format("%.3f", ms[calls / 2])
                    + "\ndevice=" + b.describe().replace('\n', ' ') + "\n";
            publish("rank" + workerRank + ".result", result.getBytes(StandardCharsets.UTF_8));
            // a peer may still be reading this rank's buffer in its last phase: leave only when every rank is done
            for (int r = 0; r < nproc; r++) {
                await("rank" + r + ".result");
            }
            return ExitCodes.OK;
        }
    }

    private void publish(String name, byte[] bytes) throws IOException {
        Path tmp = rendezvous.resolve(name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, rendezvous.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private byte[] await(String name) throws Exception {
        Path p = rendezvous.resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!Files.exists(p)) {
            if (System.nanoTime() > deadline) {
                throw new CliException(ExitCodes.FAILED, "rank " + workerRank + ": " + name + " did not appear within "
                        + timeoutSeconds + " s (a peer did not start or failed)");
            }
            Thread.sleep(2);
        }
        return Files.readAllBytes(p);
    }

    private static String sha256(MemorySegment s) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(s.asByteBuffer());
        return HexFormat.of().formatHex(d.digest());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

}
