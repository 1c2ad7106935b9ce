package dev.qrref.hip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.PeerTimeoutException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Needs a GPU (skipped with the reason otherwise): the backend end to end, against exact sums and the CPU model. */
class GpuBackendTest {
    private static final CommsOptions OPTIONS = new CommsOptions(Profile.CUDA, 0, Duration.ofSeconds(20));

    /** fp16 bits of a small integer. */
    private static short fp16(int v) {
        return Float.floatToFloat16(v);
    }

    private static List<MemorySegment> segments(Arena a, short[][] data) {
        List<MemorySegment> out = new ArrayList<>();
        for (short[] d : data) {
            MemorySegment s = a.allocate(2L * d.length, 16);
            MemorySegment.copy(d, 0, s, ValueLayout.JAVA_SHORT_UNALIGNED, 0, d.length);
            out.add(s);
        }
        return out;
    }

    private static short[] read(MemorySegment s, int n) {
        short[] v = new short[n];
        MemorySegment.copy(s, ValueLayout.JAVA_SHORT_UNALIGNED, 0, v, 0, n);
        return v;
    }

    @Test
    void fpCodecSumsSmallIntegersExactlyForEveryWorldSizeAndTail() {
        GpuBackend gpu = NativeTestSupport.gpu();
        for (int w : new int[]{2, 4, 8}) {
            for (int n : new int[]{8, 16392, 3 * 16384 + 104}) {
                short[][] in = new short[w][n];
                int[] sum = new int[n];
                SplittableRandom rnd = new SplittableRandom(w * 1000L + n);
                for (int r = 0; r < w; r++) {
                    for (int e = 0; e < n; e++) {
                        int v = rnd.nextInt(255) - 127;
                        in[r][e] = fp16(v);
                        sum[e] += v;
                    }
                }
                try (GroupComms g = gpu.newGroup(w, 2L * n, OPTIONS); Arena a = Arena.ofConfined()) {
                    List<MemorySegment> outs = segments(a, new short[w][n]);
                    g.allreduce(segments(a, in), outs, n, DType.FP16, QuantLevel.F16, false);
                    for (int r = 0; r < w; r++) {
                        short[] got = read(outs.get(r), n);
                        for (int e = 0; e < n; e++) {
                            assertEquals(fp16(sum[e]), got[e], "W=" + w + " n=" + n + " rank " + r + " element " + e);
                        }
                    }
                }
            }
        }
    }

    @Test
    void outputsAndBuffersEqualTheCpuModelOnGaussianInt4() {
        GpuBackend gpu = NativeTestSupport.gpu();
        Backend cpu = Backends.open("cpu");
        int w = 4;
        int n = 2 * 16384 + 24;
        short[][] in = new short[w][n];
        SplittableRandom rnd = new SplittableRandom(42);
        for (short[] row : in) {
            for (int e = 0; e < n; e++) {
                row[e] = Float.floatToFloat16((float) rnd.nextGaussian());
            }
        }
        try (GroupComms g = gpu.newGroup(w, 2L * n, OPTIONS); Arena a = Arena.ofConfined()) {
            int maxBlocks = g.layout().maxBlocks();
            try (GroupComms m = cpu.newGroup(w, 2L * n, OPTIONS.withMaxBlocks(maxBlocks))) {
                assertEquals(m.layout(), g.layout());
                List<MemorySegment> go = segments(a, new short[w][n]);
                List<MemorySegment> mo = segments(a, new short[w][n]);
                g.allreduce(segments(a, in), go, n, DType.FP16, QuantLevel.INT4, false);
                m.allreduce(segments(a, in), mo, n, DType.FP16, QuantLevel.INT4, false);
                for (int r = 0; r < w; r++) {
                    assertArrayEquals(read(mo.get(r), n), read(go.get(r), n), "rank " + r + " output");
                    byte[] gb = new byte[(int) g.layout().totalBytes()];
                    byte[] mb = new byte[gb.length];
                    g.readBuffer(r, MemorySegment.ofArray(gb));
                    m.readBuffer(r, MemorySegment.ofArray(mb));
                    assertArrayEquals(mb, gb, "rank " + r + " buffer");
                }
            }
        }
    }

    @Test
    void perRankCommunicatorsOnThreadsAgreeWithTheGroupAndAMissingPeerTimesOut() throws Exception {
        GpuBackend gpu = NativeTestSupport.gpu();
        int w = 2;
        int n = 16392;
        DeviceComms[] c = new DeviceComms[w];
        List<IpcHandle> handles = new ArrayList<>();
        for (int r = 0; r < w; r++) {
            c[r] = gpu.newComms(OPTIONS.withTimeout(Duration.ofMillis(300)));
            c[r].init(w, r, OptionalLong.of(2L * n));
            handles.add(c[r].handle());
        }
        for (DeviceComms d : c) {
            d.openIpcHandles(handles);
            assertEquals(CommsState.READY, d.status());
        }
        short[][] in = new short[w][n];
        for (int r = 0; r < w; r++) {
            for (int e = 0; e < n; e++) {
                in[r][e] = fp16((e % 50) - 25 + r);
            }
        }
        try (Arena a = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(w)) {
            List<MemorySegment> ins = segments(a, in);
            List<MemorySegment> outs = segments(a, new short[w][n]);
            List<Future<?>> f = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                int rank = r;
                f.add(pool.submit(() -> c[rank].allreduce(ins.get(rank), outs.get(rank), n, DType.FP16, QuantLevel.INT8, false)));
            }
            for (Future<?> x : f) {
                x.get();
            }
            try (GroupComms g = gpu.newGroup(w, 2L * n, OPTIONS)) {
                List<MemorySegment> gouts = segments(a, new short[w][n]);
                g.allreduce(ins, gouts, n, DType.FP16, QuantLevel.INT8, false);
                assertArrayEquals(read(gouts.get(0), n), read(outs.get(0), n));
                assertArrayEquals(read(outs.get(0), n), read(outs.get(1), n));
            }
            // rank 1 never calls: rank 0 gives up after its timeout and is broken
            long t0 = System.nanoTime();
            PeerTimeoutException e = assertThrows(PeerTimeoutException.class,
                    () -> c[0].allreduce(ins.get(0), outs.get(0), n, DType.FP16, QuantLevel.INT8, false));
            assertTrue((System.nanoTime() - t0) < 10_000_000_000L, "the wait is bounded");
            assertTrue(e.getMessage().contains("TIMEOUT"), e.getMessage());
            assertEquals(CommsState.BROKEN, c[0].status());
        } finally {
            for (DeviceComms d : c) {
                d.close();
            }
        }
    }
}
