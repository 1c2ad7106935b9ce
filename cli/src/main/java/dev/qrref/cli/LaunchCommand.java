package dev.qrref.cli;

import dev.qrref.cli.data.Parallel;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cli.data.RandomInputs;
import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.Geometry;
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
import java.util.stream.Collectors;
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
    static final int MAX_TIMEOUT_S = 86400;

    @Spec
    CommandSpec spec;

    @Option(names = "--nproc", required = true, paramLabel = "W", description = "Processes = ranks: 2, 4 or 8.")
    int nproc;

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "NAME", description = "cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--codec", required = true, paramLabel = "CODEC", converter = Converters.Codec.class,
            completionCandidates = Converters.CodecNames.class, description = "Wire codec: ${COMPLETION-CANDIDATES}.")
    QuantLevel codec;

    @Mixin
    NumericsOptions numerics;

    @Option(names = "--random", required = true, paramLabel = "N", description = "Elements per rank (seeded Gaussian inputs).")
    long n;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", converter = Converters.Seed.class,
            description = "Input seed, decimal or 0x-hex. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--calls", defaultValue = "3", paramLabel = "K", description = "Back-to-back calls per rank. Default: ${DEFAULT-VALUE}.")
    int calls;

    @Option(names = "--timeout-s", defaultValue = "120", paramLabel = "SECONDS",
            description = "Per-wait flag timeout in the ranks (1 to 86400); the whole launch may take 60 s more. "
                    + "A rank that dies is noticed at once, whatever this is. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    @Option(names = "--rank", hidden = true, defaultValue = "-1")
    int workerRank;

    @Option(names = "--rendezvous", hidden = true)
    Path rendezvous;

    @Option(names = "--launcher-pid", hidden = true, defaultValue = "-1")
    long launcherPid;

    @Override
    public Integer call() throws Exception {
        // every input is checked here, before any rank process exists
        if (!Geometry.WORLD_SIZES.contains(nproc)) {
            throw CliException.usage("--nproc " + nproc + ": the world size must be 2, 4 or 8");
        }
        AllreduceCommand.checkedLength(n, "--random " + n);
        if (calls < 1) {
            throw CliException.usage("--calls " + calls + ": must be at least 1");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_S) {
            throw CliException.usage("--timeout-s " + timeoutSeconds + ": must be between 1 and " + MAX_TIMEOUT_S + " seconds");
        }
        if (!List.of("cpu", "gpu").contains(backend)) {
            throw CliException.usage("unknown backend '" + backend + "' (expected cpu or gpu)");
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
        String name = spec.qualifiedName();
        Backend b = Backends.open(backend);
        checkMemory();
        Path parent = rendezvousParent();
        int swept = RankProcesses.sweep(parent);
        if (swept > 0) {
            err.printf("%s: removed %d rendezvous folder(s) of launches that were killed%n", name, swept);
        }
        try (RankProcesses ranks = RankProcesses.create(parent)) {
            Path dir = ranks.dir();
            String java = ProcessHandle.current().info().command().orElse("java");
            for (int r = 0; r < nproc; r++) {
                List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
                cmd.addAll(FastPath.jvmOptions());
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
                for (String p : new String[]{"qr.native.lib", "qr.cpu.shm", "qr.cpu.threads", "qr.home", FastPath.PROPERTY}) {
                    if (System.getProperty(p) != null) {
                        cmd.add("-D" + p + "=" + System.getProperty(p));
                    }
                }
                // the CPU model's shared buffers live in the rendezvous folder, so that one folder holds everything
                cmd.add("-Dqr.cpu.shm=" + dir);
                cmd.addAll(List.of(Qr.class.getName(), "launch", "--nproc", Integer.toString(nproc), "--backend", backend,
                        "--codec", codec.cliName(), "--dtype", numerics.dtype().id(), "--random", Long.toString(n),
                        "--seed", Long.toString(seed), "--calls", Integer.toString(calls), "--timeout-s", Integer.toString(timeoutSeconds),
                        "--profile", profile(b).id(), "--rank", Integer.toString(r), "--rendezvous", dir.toString(),
                        "--launcher-pid", Long.toString(ProcessHandle.current().pid())));
                if (numerics.cast()) {
                    cmd.add("--cast-bf16-to-fp16");
                }
                ranks.start(cmd);
            }
            err.println(name + ": " + nproc + " processes started (" + backend + ", rendezvous " + dir + ", pids "
                    + ranks.pids().stream().map(String::valueOf).collect(Collectors.joining(" ")) + ")");
            RankProcesses.Failure f = ranks.supervise(System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 60L));
            if (f != null) {
                throw CliException.failed(f.message());
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
        }
    }

    /**
     * Where the rendezvous folder goes: the CPU model's shared-memory folder ({@code -Dqr.cpu.shm}, else /dev/shm when
     * writable), else the temporary folder.
     */
    private static Path rendezvousParent() {
        String shm = System.getProperty("qr.cpu.shm");
        if (shm != null && !shm.isBlank()) {
            return Path.of(shm);
        }
        Path dev = Path.of("/dev/shm");
        return Files.isDirectory(dev) && Files.isWritable(dev) ? dev : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * The ranks hold an input, an output and (CPU model) a shared buffer each; afterwards the launcher's CPU model
     * group holds all of them at once for the reference result.
     */
    private void checkMemory() {
        long perRank = 2 * n;
        long buffer = new BufferLayout(nproc, Geometry.DEFAULT_MAX_BLOCKS, roundUp16(perRank)).totalBytes();
        MemoryBudget m = new MemoryBudget().add("inputs and outputs", 2 * nproc * perRank).add("communication buffers", nproc * buffer);
        m.require("use a smaller --random or fewer processes, or free memory");
    }

    private static long roundUp16(long v) {
        return Math.max(Geometry.SIZE_MULTIPLE_BYTES, (v + Geometry.SIZE_MULTIPLE_BYTES - 1) / Geometry.SIZE_MULTIPLE_BYTES * Geometry.SIZE_MULTIPLE_BYTES);
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
        watchLauncher();
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

    /**
     * The end of stdin (the launcher closed it, or died) ends this rank at once; so does the launcher's disappearance
     * (polled, in case stdin is not the launcher's pipe). A rank whose launcher is gone deletes the rendezvous folder,
     * which nobody else will. The exit runs the shutdown hooks, which delete this rank's shared buffer file.
     */
    private void watchLauncher() {
        // the launcher names itself: a rank that starts after its launcher died would otherwise take init for it
        ProcessHandle launcher = launcherPid > 0 ? ProcessHandle.of(launcherPid).orElse(null) : ProcessHandle.current().parent().orElse(null);
        Runnable stop = () -> {
            boolean gone = launcherGone(launcher);
            System.err.println("qr launch: rank " + workerRank + ": " + (gone ? "the launcher is gone" : "stopped by the launcher"));
            if (gone) {
                RankProcesses.deleteTree(rendezvous);
            }
            System.exit(ExitCodes.FAILED);
        };
        Thread.ofPlatform().daemon().name("qr-launch-stdin").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the launcher writes nothing: any input is ignored until the end
                }
            } catch (IOException e) {
                // a broken pipe is an end too
            }
            stop.run();
        });
        if (launcher != null) {
            Thread.ofPlatform().daemon().name("qr-launch-parent").start(() -> {
                while (!launcherGone(launcher)) {
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                stop.run();
            });
        }
    }

    /**
     * Whether the launcher died: this process was handed to another parent, or the launcher's pid is gone. A dying
     * process closes its files (our stdin ends) a moment before its children are handed over, so the end of stdin
     * waits that moment before it concludes that the launcher only asked the rank to stop.
     */
    private static boolean launcherGone(ProcessHandle launcher) {
        for (int i = 0; i < 10; i++) {
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            if (launcher == null || parent != launcher.pid() || !launcher.isAlive()) {
                return true;
            }
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                break;
            }
        }
        return false;
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
                String peer = name.replaceAll("\\D", "");
                throw new CliException(ExitCodes.FAILED, "rank " + workerRank + ": rank " + peer + "'s " + name.replaceAll(".*\\.", "")
                        + " did not appear within " + timeoutSeconds + " s (rank " + peer + " did not start, or failed)");
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


}
