package dev.qrref.cli.bench;

import dev.qrref.hip.DeviceBuffer;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.GpuGraph;
import dev.qrref.hip.GpuGroupComms;
import dev.qrref.hip.QrNative;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sweep on the GPU: per W one group on the one GPU (every rank's grid resident at once), per size and data path
 * fresh non-zero inputs in several sets that the timed calls rotate over, so that no call finds its input in L2 from
 * the call before; median of device-event times per configuration. Beside each configuration the same run measures
 * its lower bound ({@link Bound}: B_HBM, B_L2 and t0) and its natural peer, W concurrent copies of the inputs to the
 * outputs; and, for small messages, the time per call under CUDA-graph replay ({@link #graphs}), where no host launch
 * cost enters.
 */
public final class GpuBench {
    private GpuBench() {
    }

    /**
     * @param rotationBytes input bytes (all sets, all ranks) at least, so that the input of a call was evicted from L2
     * @param maxSets       at most this many input sets
     */
    public record Config(List<Integer> worlds, List<QuantLevel> codecs, List<DataPath> paths, List<Long> sizes, int warmup, int iters,
                         long rotationBytes, int maxSets) {
    }

    /**
     * The rates and L2 size the bound is charged at, measured once per run in this process.
     *
     * @param hbm     three ways of moving 1 GiB buffers (far beyond L2)
     * @param l2      the same on an 8 MiB pair, which stays in L2: the kernels sweep it many times in one launch and load
     *                past L1 (a run that timed back-to-back 8 MiB launches measured launch cost, not L2: 61 rows beat it)
     * @param l2Bytes the device's L2 size
     */
    public record Rates(QrNative.Rates hbm, QrNative.Rates l2, long l2Bytes) {
        public double hbmGbps() {
            return hbm.fastest();
        }

        public double l2Gbps() {
            return l2.fastest();
        }

        public static Rates measure(GpuBackend gpu) {
            QrNative nat = gpu.nativeLibrary();
            return new Rates(nat.rates(gpu.device(), 1L << 30, 20), nat.rates(gpu.device(), 8L << 20, 20), nat.l2Bytes(gpu.device()));
        }
    }

    /**
     * t0 for world size w: the fastest of the timed 8-element FP calls (one tile: W launches, two flag round trips). The
     * fastest, not the median: a larger call's median must not fall below it by the noise of the launches alone.
     */
    static double floorUs(GpuGroupComms g, QrNative nat, Config c, long seed) {
        List<DeviceBuffer> in = new ArrayList<>();
        List<DeviceBuffer> out = new ArrayList<>();
        try {
            for (int r = 0; r < g.worldSize(); r++) {
                in.add(g.allocate(r, 16));
                out.add(g.allocate(r, 16));
                nat.fillRandom(g.device(r), in.get(r).address(), 8, DataPath.FP16.dtype.code, seed + r);
            }
            float[] t = g.time(in, out, 8, DataPath.FP16.dtype, QuantLevel.F16, false, c.warmup(), Math.max(c.iters(), 50));
            Arrays.sort(t);
            return t[0];
        } finally {
            in.forEach(DeviceBuffer::close);
            out.forEach(DeviceBuffer::close);
        }
    }

    /** Input sets for W ranks of n elements: enough that they exceed {@code rotationBytes}, at least 2. */
    static int sets(Config c, int w, long n) {
        long perSet = 2L * n * w;
        long k = (c.rotationBytes() + perSet - 1) / perSet;
        return (int) Math.max(2, Math.min(c.maxSets(), k));
    }

    public static List<BenchRow> run(GpuBackend gpu, Config c, Rates rates, Consumer<BenchRow> each,
                                     Consumer<String> progress) {
        QrNative nat = gpu.nativeLibrary();
        long maxN = c.sizes().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<BenchRow> rows = new ArrayList<>();
        long seed = 0x5EED_0000L;
        for (int w : c.worlds()) {
            try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * maxN, CommsOptions.of(Profile.CUDA))) {
                Bound bound = new Bound(rates.hbmGbps(), rates.l2Gbps(), floorUs(g, nat, c, seed), rates.l2Bytes());
                seed += w;
                progress.accept(String.format(java.util.Locale.ROOT, "W=%d: grid cap %d blocks per rank, t0 = %.2f us", w,
                        g.layout().maxBlocks(), bound.t0Us()));
                List<DeviceBuffer> out = new ArrayList<>();
                try {
                    for (int r = 0; r < w; r++) {
                        out.add(g.allocate(r, 2 * maxN));
                    }
                    for (long n : c.sizes()) {
                        for (DataPath path : c.paths()) {
                            int k = sets(c, w, n);
                            List<List<DeviceBuffer>> in = new ArrayList<>();
                            try {
                                for (int s = 0; s < k; s++) {
                                    List<DeviceBuffer> set = new ArrayList<>();
                                    in.add(set);
                                    for (int r = 0; r < w; r++) {
                                        DeviceBuffer b = g.allocate(r, 2 * n);
                                        set.add(b);
                                        nat.fillRandom(g.device(r), b.address(), n, path.dtype.code, seed++);
                                    }
                                }
                                // the data movement alone, timed the same way over the same rotating inputs
                                float[] copies = g.timeCopies(in, out, n, c.warmup(), c.iters());
                                Arrays.sort(copies);
                                double copyUs = copies[copies.length / 2];
                                for (QuantLevel q : c.codecs()) {
                                    float[] t = g.timeRotating(in, out, n, path.dtype, q, path.casts(), c.warmup(), c.iters());
                                    Arrays.sort(t);
                                    BenchRow row = new BenchRow(w, q, path, n, t[t.length / 2], t[t.length / 10], t[t.length * 9 / 10], c.iters(),
                                            k, bound, g.layout().maxBlocks(), copyUs);
                                    rows.add(row);
                                    each.accept(row);
                                }
                            } finally {
                                in.forEach(set -> set.forEach(DeviceBuffer::close));
                            }
                        }
                    }
                } finally {
                    out.forEach(DeviceBuffer::close);
                }
            }
        }
        return rows;
    }

    /** One small-message configuration timed under graph replay. */
    public record GraphRow(int worldSize, QuantLevel codec, long n, int callsPerGraph, double perCallUs, double p10Us, double p90Us) {
    }

    /**
     * Small messages as decode steps send them: {@code calls} identical calls captured in one graph, the graph replayed
     * after a warm-up; per-call time = replay time / calls (median over replays). Device-scope flags, as every one-GPU
     * group uses.
     */
    public static List<GraphRow> graphs(GpuBackend gpu, List<Integer> worlds, List<QuantLevel> codecs, List<Long> sizes, int calls,
                                        int iters, Consumer<GraphRow> each) {
        QrNative nat = gpu.nativeLibrary();
        List<GraphRow> rows = new ArrayList<>();
        long maxN = sizes.stream().mapToLong(Long::longValue).max().orElseThrow();
        for (int w : worlds) {
            try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * maxN, CommsOptions.of(Profile.CUDA))) {
                List<DeviceBuffer> in = new ArrayList<>();
                List<DeviceBuffer> out = new ArrayList<>();
                try {
                    for (int r = 0; r < w; r++) {
                        in.add(g.allocate(r, 2 * maxN));
                        out.add(g.allocate(r, 2 * maxN));
                        nat.fillRandom(g.device(r), in.get(r).address(), maxN, DataPath.FP16.dtype.code, 0xC0FFEEL + r);
                    }
                    for (long n : sizes) {
                        for (QuantLevel q : codecs) {
                            List<GpuGraph.Call> cs = new ArrayList<>();
                            for (int i = 0; i < calls; i++) {
                                cs.add(new GpuGraph.Call(in, out, n, DataPath.FP16.dtype, q, false));
                            }
                            try (GpuGraph graph = g.graph(cs)) {
                                float[] t = graph.time(5, iters);
                                Arrays.sort(t);
                                GraphRow row = new GraphRow(w, q, n, calls, t[t.length / 2] / calls, t[t.length / 10] / calls,
                                        t[t.length * 9 / 10] / calls);
                                rows.add(row);
                                each.accept(row);
                            }
                        }
                    }
                } finally {
                    in.forEach(DeviceBuffer::close);
                    out.forEach(DeviceBuffer::close);
                }
            }
        }
        return rows;
    }
}
