package dev.qrref.cli.bench;

import dev.qrref.hip.DeviceBuffer;
import dev.qrref.hip.GpuBackend;
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
 * the call before; median of device-event times per configuration.
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

    /** The copy bandwidth B: median of 20 cudaMemcpy device-to-device copies of 1 GiB, bytes read + written. */
    public static double copyBandwidth(GpuBackend gpu) {
        return gpu.nativeLibrary().copyBandwidth(gpu.device(), 1L << 30, 20);
    }

    /** Input sets for W ranks of n elements: enough that they exceed {@code rotationBytes}, at least 2. */
    static int sets(Config c, int w, long n) {
        long perSet = 2L * n * w;
        long k = (c.rotationBytes() + perSet - 1) / perSet;
        return (int) Math.max(2, Math.min(c.maxSets(), k));
    }

    public static List<BenchRow> run(GpuBackend gpu, Config c, double copyGbps, Consumer<BenchRow> each, Consumer<String> progress) {
        QrNative nat = gpu.nativeLibrary();
        long maxN = c.sizes().stream().mapToLong(Long::longValue).max().orElseThrow();
        List<BenchRow> rows = new ArrayList<>();
        long seed = 0x5EED_0000L;
        for (int w : c.worlds()) {
            try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * maxN, CommsOptions.of(Profile.CUDA))) {
                progress.accept("W=" + w + ": grid cap " + g.layout().maxBlocks() + " blocks per rank");
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
                                for (QuantLevel q : c.codecs()) {
                                    // a library from before qr_group_time_sets times one input set (the row says sets = 1)
                                    float[] t = nat.hasTimeSets() ? g.timeRotating(in, out, n, path.dtype, q, path.casts(), c.warmup(), c.iters())
                                            : g.time(in.get(0), out, n, path.dtype, q, path.casts(), c.warmup(), c.iters());
                                    Arrays.sort(t);
                                    BenchRow row = new BenchRow(w, q, path, n, t[t.length / 2], t[t.length / 10], t[t.length * 9 / 10], c.iters(),
                                            nat.hasTimeSets() ? k : 1, copyGbps, g.layout().maxBlocks());
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
}
