package dev.qrref.cli.bench;

import dev.qrref.spec.QuantLevel;

/**
 * The lower bound on one all-reduce call with all W ranks on one GPU, from rates and a floor measured in the same run:
 *
 * <pre>T &gt;= max(t0, (W·2N + max(0, W·2N − C)) / B_HBM, W·(4 + 4b)·N / B_L2)</pre>
 *
 * <ul>
 *   <li>HBM: every rank's input (2N bytes, N elements of 2 bytes) comes from HBM, because the timed calls rotate over
 *       input sets that add up to several L2 sizes. The outputs are the same buffers every call, so up to the L2 size C
 *       of them can stay in L2 as dirty lines that the next call overwrites; only what exceeds C must reach HBM.</li>
 *   <li>L2: on one GPU every byte passes through L2: input and output (4N per rank) and the slots, 4bN per rank
 *       (phase 1: bN written by the scatter and read by the owners; phase 2 the same; b = the codec's wire bytes per
 *       element, scales included: stride / 2048).</li>
 *   <li>t0: the fastest of the timed 8-element calls (one tile: W launches and two flag round trips), which every
 *       larger call repeats.</li>
 * </ul>
 *
 * The terms are combined by max, not summed: the launches of later ranks and their flag waits overlap the data
 * movement of ranks already running, so a sum is not a bound (a run of the sum form had 279 rows below it). The rates
 * are the fastest of three ways of moving the bytes measured in the same process (cudaMemcpy, a 16-byte-word copy
 * kernel, a read-only kernel): HBM on 1 GiB buffers, L2 on an 8 MiB pair that stays in L2 (swept repeatedly within
 * one launch, loads past L1).
 *
 * @param hbmGbps  B_HBM in GB/s (1e9 bytes)
 * @param l2Gbps   B_L2 in GB/s
 * @param t0Us     the floor in microseconds, per world size
 * @param l2Bytes  C, the device's L2 size in bytes
 */
public record Bound(double hbmGbps, double l2Gbps, double t0Us, long l2Bytes) {

    /** Bytes that must cross HBM: every input, and the outputs beyond what L2 can hold. */
    public static double hbmBytes(int worldSize, long n, long l2Bytes) {
        double io = 2.0 * worldSize * n;
        return io + Math.max(0.0, io - l2Bytes);
    }

    /** Bytes that pass through L2: input, output and the slots of both phases. */
    public static double l2Bytes(int worldSize, long n, QuantLevel q) {
        return worldSize * (4.0 + 4.0 * q.layout().wireBytesPerElement()) * n;
    }

    public double hbmUs(int worldSize, long n) {
        return hbmBytes(worldSize, n, l2Bytes) / (hbmGbps * 1e3);
    }

    public double l2Us(int worldSize, long n, QuantLevel q) {
        return l2Bytes(worldSize, n, q) / (l2Gbps * 1e3);
    }

    /** The largest of the three. */
    public double us(int worldSize, long n, QuantLevel q) {
        return Math.max(t0Us, Math.max(hbmUs(worldSize, n), l2Us(worldSize, n, q)));
    }

    /** Which term binds: "t0", "HBM" or "L2". */
    public String binding(int worldSize, long n, QuantLevel q) {
        double h = hbmUs(worldSize, n);
        double l = l2Us(worldSize, n, q);
        if (t0Us >= h && t0Us >= l) {
            return "t0";
        }
        return h >= l ? "HBM" : "L2";
    }
}
