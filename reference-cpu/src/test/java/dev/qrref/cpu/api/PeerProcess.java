package dev.qrref.cpu.api;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
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
 * One rank of a CPU-model group in its own process: publishes its handle as a file in the rendezvous directory, waits
 * for every peer's, runs one all-reduce and writes its output. Args: dir worldSize rank n codec.
 */
public final class PeerProcess {
    private PeerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int w = Integer.parseInt(args[1]);
        int rank = Integer.parseInt(args[2]);
        int n = Integer.parseInt(args[3]);
        QuantLevel q = QuantLevel.fromName(args[4]);
        try (DeviceComms c = new CpuBackend(1).newComms(CommsOptions.of(Profile.CUDA).withMaxBlocks(3).withTimeout(Duration.ofSeconds(60)));
             Arena arena = Arena.ofConfined()) {
            c.init(w, rank, OptionalLong.of(2L * n));
            Path tmp = dir.resolve("rank" + rank + ".handle.tmp");
            Files.write(tmp, c.handle().bytes());
            Files.move(tmp, dir.resolve("rank" + rank + ".handle"), StandardCopyOption.ATOMIC_MOVE);
            List<IpcHandle> handles = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                Path h = dir.resolve("rank" + r + ".handle");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(h)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("rank " + r + " never published its handle");
                    }
                    Thread.sleep(5);
                }
                handles.add(new IpcHandle(Files.readAllBytes(h)));
            }
            c.openIpcHandles(handles);
            MemorySegment in = Tensors.segment(arena, Tensors.withSpecials(DType.FP16, n, 500 + rank));
            MemorySegment out = arena.allocate(2L * n);
            c.allreduce(in, out, n, DType.FP16, q, false);
            Path tmpOut = dir.resolve("rank" + rank + ".out.tmp");
            Files.write(tmpOut, out.toArray(ValueLayout.JAVA_BYTE));
            Files.move(tmpOut, dir.resolve("rank" + rank + ".out"), StandardCopyOption.ATOMIC_MOVE);
            // stay until every peer is done reading this rank's buffer: the last phase reads peers' slots
            for (int r = 0; r < w; r++) {
                Path done = dir.resolve("rank" + r + ".out");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!Files.exists(done) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
            }
        }
    }
}
