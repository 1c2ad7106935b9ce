package dev.qrref.cli.bench;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;

/**
 * One timed configuration.
 *
 * @param worldSize W
 * @param codec     the codec
 * @param path      fp16 or bf16-cast
 * @param n         elements per rank
 * @param medianUs  median call time (device events around all W launches), microseconds
 * @param p10Us     10th percentile
 * @param p90Us     90th percentile
 * @param iters     timed calls
 * @param sets      input sets rotated over
 * @param bound     the lower bound's measured rates and floor ({@link Bound})
 * @param gridCap   blocks per rank (the layout's grid cap), which sizes the communication slots
 * @param copyUs    median time of W concurrent device-to-device copies of each rank's input to its output, timed the
 *                  same way: what the data movement alone costs
 */
public record BenchRow(int worldSize, QuantLevel codec, DataPath path, long n, double medianUs, double p10Us, double p90Us, int iters,
                       int sets, Bound bound, int gridCap, double copyUs) {

    /** Bytes of every rank's slots this call can touch: W x grid x 8 atom blocks x stride x 2 phases (reused per iteration). */
    public long slotBytes() {
        long grid = Math.min(gridCap, (n + 16383) / 16384);
        return (long) worldSize * grid * 8 * codec.layout().stride() * 2;
    }

    public double boundUs() {
        return bound.us(worldSize, n, codec);
    }

    public double hbmUs() {
        return bound.hbmUs(worldSize, n);
    }

    public double l2Us() {
        return bound.l2Us(worldSize, n, codec);
    }

    public String binding() {
        return bound.binding(worldSize, n, codec);
    }

    /** bound / measured: at most 1 for a correct bound; 1 means the call ran at the speed of its binding resource. */
    public double ratio() {
        return boundUs() / medianUs;
    }

    /** measured / the W concurrent copies' time: how many times the bare data movement the call costs. */
    public double vsCopy() {
        return medianUs / copyUs;
    }

    /** nccl-tests' algorithm bandwidth: one rank's data (2N bytes) over the time, GB/s. */
    public double algbwGbps() {
        return 2.0 * n / (medianUs * 1e-6) / 1e9;
    }
}
