package dev.qrref.conformance.gpu;

import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Inputs;
import dev.qrref.hip.GpuBackend;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.IpcHandle;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One rank of the real-IPC check, run as its own OS process: exports its buffer handle to {@code dir/handle<r>.bin},
 * waits for every peer's, opens them through {@code cudaIpcOpenMemHandle}, runs one all-reduce of the case's inputs
 * and writes its output to {@code dir/out<r>.bin}.
 *
 * <pre>IpcPeerMain DIR RANK CASE_ID</pre>
 */
public final class IpcPeerMain {
    private IpcPeerMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(args[0]);
        int rank = Integer.parseInt(args[1]);
        CaseSpec spec = CaseSpec.parse(args[2]);
        int w = spec.worldSize();
        int n = (int) spec.n();
        GpuBackend gpu = GpuBackend.open();
        try (DeviceComms c = gpu.newComms(new CommsOptions(spec.profile(), spec.maxBlocks(), Duration.ofSeconds(60)));
             Arena arena = Arena.ofConfined()) {
            c.init(w, rank, OptionalLong.of(2L * n));
            Path tmp = dir.resolve("handle" + rank + ".tmp");
            Files.write(tmp, c.handle().bytes());
            Files.move(tmp, dir.resolve("handle" + rank + ".bin"), StandardCopyOption.ATOMIC_MOVE);
            List<IpcHandle> handles = new ArrayList<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            for (int r = 0; r < w; r++) {
                Path h = dir.resolve("handle" + r + ".bin");
                while (!Files.exists(h)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("rank " + rank + ": no handle from rank " + r + " within 60 s");
                    }
                    Thread.sleep(10);
                }
                handles.add(new IpcHandle(Files.readAllBytes(h)));
            }
            c.openIpcHandles(handles);
            short[] input = Inputs.generate(spec)[rank];
            MemorySegment in = arena.allocate(2L * n, 16);
            MemorySegment.copy(input, 0, in, ValueLayout.JAVA_SHORT_UNALIGNED, 0, n);
            MemorySegment out = arena.allocate(2L * n, 16);
            c.allreduce(in, out, n, spec.path().dtype, spec.level(), spec.path().casts());
            Path o = dir.resolve("out" + rank + ".tmp");
            Files.write(o, out.toArray(ValueLayout.JAVA_BYTE));
            Files.move(o, dir.resolve("out" + rank + ".bin"), StandardCopyOption.ATOMIC_MOVE);
            // stay alive until every peer has its output: a peer may still read this rank's buffer
            for (int r = 0; r < w; r++) {
                while (!Files.exists(dir.resolve("out" + r + ".bin")) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
            }
        }
        System.out.println("ipc rank " + rank + ": done");
    }
}
