package dev.qrref.cpu.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranks in separate OS processes, exchanging handles through files, as GPU ranks exchange IPC handles. */
class CrossProcessTest {

    @Test
    void fourProcessesProduceTheGroupResult(@TempDir Path dir) throws Exception {
        int w = 4;
        int n = 3 * 16384 + 8;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> procs = new ArrayList<>();
        for (int r = 0; r < w; r++) {
            procs.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    PeerProcess.class.getName(), dir.toString(), Integer.toString(w), Integer.toString(r), Integer.toString(n), "int6")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rank" + r + ".log").toFile()).start());
        }
        for (int r = 0; r < w; r++) {
            Process p = procs.get(r);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                procs.forEach(Process::destroyForcibly);
                throw new AssertionError("rank " + r + " did not finish: " + Files.readString(dir.resolve("rank" + r + ".log")));
            }
            assertEquals(0, p.exitValue(), () -> "rank log: " + read(dir.resolve("rank" + p.pid() + ".log").toFile()));
        }
        short[][] in = new short[w][];
        for (int r = 0; r < w; r++) {
            in[r] = Tensors.withSpecials(DType.FP16, n, 500 + r);
        }
        short[][] want;
        try (GroupComms g = new CpuBackend(1).newGroup(w, 2L * n, CommsOptions.of(Profile.CUDA).withMaxBlocks(3))) {
            want = GroupRun.run(g, in, n, QuantLevel.INT6, DataPath.FP16);
        }
        for (int r = 0; r < w; r++) {
            short[] got = new short[n];
            ByteBuffer.wrap(Files.readAllBytes(dir.resolve("rank" + r + ".out"))).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(got);
            assertArrayEquals(want[r], got, "rank " + r);
        }
    }

    private static String read(File f) {
        try {
            return Files.readString(f.toPath());
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
