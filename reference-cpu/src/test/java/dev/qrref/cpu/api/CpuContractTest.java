package dev.qrref.cpu.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.Backends;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.PeerTimeoutException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The error contract of the interface (rules API-1, API-2) and the per-rank API against the group API. */
class CpuContractTest {

    @Test
    void backendIsFoundThroughTheServiceLoader() {
        assertEquals("cpu", Backends.open("cpu").name());
        assertThrows(dev.qrref.spec.BackendUnavailableException.class, () -> Backends.open("tpu"));
    }

    @Test
    void perRankArgumentErrors() {
        CpuBackend b = new CpuBackend(1);
        try (DeviceComms c = b.newComms(CommsOptions.of(Profile.CUDA))) {
            assertThrows(InvalidArgumentException.class, () -> c.init(3, 0, OptionalLong.empty()));
            assertThrows(InvalidArgumentException.class, () -> c.init(4, 4, OptionalLong.empty()));
            assertThrows(InvalidArgumentException.class, () -> c.init(4, -1, OptionalLong.empty()));
            assertThrows(InvalidArgumentException.class, () -> c.init(4, 0, OptionalLong.of(100)));
            assertEquals(CommsState.CREATED, c.status());
            assertThrows(InvalidStateException.class, c::handle);
            c.init(2, 0, OptionalLong.of(1 << 20));
            assertThrows(InvalidStateException.class, () -> c.init(2, 0, OptionalLong.of(1 << 20)), "init twice");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(1 << 20);
                assertThrows(InvalidStateException.class, () -> c.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false),
                        "allreduce before the handles are opened");
            }
            assertThrows(InvalidArgumentException.class, () -> c.openIpcHandles(List.of(c.handle())), "one handle for W=2");
            assertThrows(InvalidArgumentException.class, () -> c.openIpcHandles(List.of(c.handle(), new IpcHandle(new byte[64]))),
                    "unknown handle");
        }
    }

    @Test
    void closeTwiceAndUseAfterCloseFail() {
        DeviceComms c = new CpuBackend(1).newComms(CommsOptions.of(Profile.CUDA));
        c.init(2, 1, OptionalLong.empty());
        c.close();
        assertEquals(CommsState.CLOSED, c.status());
        assertThrows(InvalidStateException.class, c::close);
        assertThrows(InvalidStateException.class, c::handle);
        GroupComms g = new CpuBackend(1).newGroup(2, 1 << 20, CommsOptions.of(Profile.CUDA));
        g.close();
        assertThrows(InvalidStateException.class, g::close);
        assertThrows(InvalidStateException.class, () -> GroupRun.run(g, new short[2][8], 8, QuantLevel.F16, DataPath.FP16));
    }

    @Test
    void groupArgumentErrors() {
        try (GroupComms g = new CpuBackend(1).newGroup(2, 1 << 16, CommsOptions.of(Profile.CUDA));
             Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(1 << 17);
            List<MemorySegment> two = List.of(s, s);
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(List.of(s), two, 8, DType.FP16, QuantLevel.F16, false));
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(two, two, 12, DType.FP16, QuantLevel.F16, false), "N % 8");
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(two, two, 0, DType.FP16, QuantLevel.F16, false), "N = 0");
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(two, two, (1 << 15) + 8, DType.FP16, QuantLevel.F16, false),
                    "above max problem size");
            MemorySegment small = arena.allocate(64);
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(List.of(small, small), two, 64, DType.FP16, QuantLevel.F16, false),
                    "input shorter than 2N");
        }
        assertThrows(InvalidArgumentException.class, () -> new CpuBackend(1).newGroup(6, 1 << 16, CommsOptions.of(Profile.CUDA)));
    }

    @Test
    void perRankThreadsMatchTheGroupCallBitForBitIncludingBuffers() throws Exception {
        for (int w : new int[]{2, 4, 8}) {
            for (QuantLevel q : QuantLevel.values()) {
                DataPath path = q == QuantLevel.INT6 ? DataPath.BF16_CAST : q == QuantLevel.INT8 ? DataPath.BF16 : DataPath.FP16;
                int n = 5 * 16384 + 8;
                long maxBytes = 1 << 20;
                short[][] in = new short[w][];
                for (int r = 0; r < w; r++) {
                    in[r] = Tensors.withSpecials(path.dtype, n, 31 * w + r + 7 * q.code);
                }
                CommsOptions options = CommsOptions.of(Profile.CDNA3).withMaxBlocks(3).withTimeout(Duration.ofSeconds(60));
                short[][] groupOut;
                byte[][] groupBuf;
                try (GroupComms g = new CpuBackend(2).newGroup(w, maxBytes, options)) {
                    groupOut = GroupRun.run(g, in, n, q, path);
                    GroupRun.run(g, in, n, q, path); // a second call: counters and colours advance
                    groupBuf = GroupRun.buffers(g);
                }
                CpuBackend backend = new CpuBackend(1);
                List<DeviceComms> ranks = new ArrayList<>();
                try (Arena arena = Arena.ofShared()) {
                    for (int r = 0; r < w; r++) {
                        DeviceComms c = backend.newComms(options);
                        c.init(w, r, OptionalLong.of(maxBytes));
                        ranks.add(c);
                    }
                    List<IpcHandle> handles = ranks.stream().map(DeviceComms::handle).toList();
                    ranks.forEach(c -> c.openIpcHandles(handles));
                    List<MemorySegment> ins = new ArrayList<>();
                    List<MemorySegment> outs = new ArrayList<>();
                    for (int r = 0; r < w; r++) {
                        ins.add(Tensors.segment(arena, in[r]));
                        outs.add(arena.allocate(2L * n));
                    }
                    ExecutorService pool = Executors.newFixedThreadPool(w);
                    try {
                        for (int call = 0; call < 2; call++) {
                            List<Future<?>> fs = new ArrayList<>();
                            for (int r = 0; r < w; r++) {
                                int rank = r;
                                fs.add(pool.submit(() -> ranks.get(rank).allreduce(ins.get(rank), outs.get(rank), n, path.dtype, q, path.casts())));
                            }
                            for (Future<?> f : fs) {
                                f.get();
                            }
                        }
                    } finally {
                        pool.shutdownNow();
                    }
                    for (int r = 0; r < w; r++) {
                        assertArrayEquals(groupOut[r], Tensors.array(outs.get(r), n), "W=" + w + " " + q + " rank " + r + " output");
                        MemorySegment buf = MemorySegment.ofArray(new byte[(int) ranks.get(r).layout().totalBytes()]);
                        ranks.get(r).readBuffer(buf);
                        assertArrayEquals(groupBuf[r], buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                                "W=" + w + " " + q + " rank " + r + " buffer");
                    }
                } finally {
                    ranks.forEach(DeviceComms::close);
                }
            }
        }
    }

    @Test
    void aMissingPeerTimesOutInsteadOfHanging() {
        CommsOptions options = CommsOptions.of(Profile.CUDA).withTimeout(Duration.ofMillis(200));
        CpuBackend backend = new CpuBackend(1);
        try (DeviceComms a = backend.newComms(options); DeviceComms b = backend.newComms(options); Arena arena = Arena.ofConfined()) {
            a.init(2, 0, OptionalLong.of(1 << 20));
            b.init(2, 1, OptionalLong.of(1 << 20));
            List<IpcHandle> handles = List.of(a.handle(), b.handle());
            a.openIpcHandles(handles);
            b.openIpcHandles(handles);
            MemorySegment s = arena.allocate(1 << 16);
            long t0 = System.nanoTime();
            PeerTimeoutException e = assertThrows(PeerTimeoutException.class,
                    () -> a.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false), "rank 1 never calls");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "the wait is bounded");
            assertTrue(e.getMessage().contains("sender 1"), e.getMessage());
            assertEquals(CommsState.BROKEN, a.status());
            assertThrows(InvalidStateException.class, () -> a.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false));
        }
    }

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() {
        int w = 8;
        int n = 40 * 16384;
        short[][] in = new short[w][];
        for (int r = 0; r < w; r++) {
            in[r] = Tensors.withSpecials(DType.BF16, n, 900 + r);
        }
        for (QuantLevel q : new QuantLevel[]{QuantLevel.INT4, QuantLevel.F16}) {
            short[][] one;
            byte[][] oneBuf;
            try (GroupComms g = new CpuBackend(1).newGroup(w, 2L * n, CommsOptions.of(Profile.CUDA).withMaxBlocks(16))) {
                one = GroupRun.run(g, in, n, q, DataPath.BF16_CAST);
                oneBuf = GroupRun.buffers(g);
            }
            try (GroupComms g = new CpuBackend(4).newGroup(w, 2L * n, CommsOptions.of(Profile.CUDA).withMaxBlocks(16))) {
                short[][] many = GroupRun.run(g, in, n, q, DataPath.BF16_CAST);
                byte[][] manyBuf = GroupRun.buffers(g);
                for (int r = 0; r < w; r++) {
                    assertArrayEquals(one[r], many[r]);
                    assertArrayEquals(oneBuf[r], manyBuf[r]);
                }
            }
        }
    }
}
