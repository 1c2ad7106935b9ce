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
 * @param copyGbps  the device-to-device copy bandwidth B the roofline uses
 * @param gridCap   blocks per rank (the layout's grid cap), which sizes the communication slots
 */
public record BenchRow(int worldSize, QuantLevel codec, DataPath path, long n, double medianUs, double p10Us, double p90Us, int iters,
                       int sets, double copyGbps, int gridCap) {

    /** Bytes of every rank's slots this call can touch: W x grid x 8 atom blocks x stride x 2 phases (reused per iteration). */
    public long slotBytes() {
        long grid = Math.min(gridCap, (n + 16383) / 16384);
        return (long) worldSize * grid * 8 * codec.layout().stride() * 2;
    }

    public double rooflineUs() {
        return Roofline.micros(worldSize, n, codec, copyGbps);
    }

    /** roofline / measured: 1 means the call moved its minimum bytes at copy speed; above 1, part of them stayed in L2. */
    public double ratio() {
        return rooflineUs() / medianUs;
    }

    /** nccl-tests' algorithm bandwidth: one rank's data (2N bytes) over the time, GB/s. */
    public double algbwGbps() {
        return 2.0 * n / (medianUs * 1e-6) / 1e9;
    }
}
