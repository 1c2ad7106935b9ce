package dev.qrref.cli.bench;

import dev.qrref.spec.QuantLevel;

/**
 * The lower bound on one all-reduce call with all W ranks on one GPU, from rates measured in the same run:
 *
 * <pre>T &gt;= t0 + max(W·4N / B_HBM, W·(4 + 4b)·N / B_L2)</pre>
 *
 * Per rank the input is read and the output written through HBM (2N bytes each, N elements of 2 bytes). The slots add
 * 4bN bytes per rank (phase 1: bN written by the scatter, bN read by the owner; phase 2 the same; b = the codec's wire
 * bytes per element, scales included: stride / 2048), which stay in L2 because every grid-stride iteration reuses them,
 * so they and the input and output pass through L2 at B_L2. t0 is the launch and flag floor: the median of a call of 8
 * elements (one tile: W launches and two flag round trips). B_HBM is a device-to-device copy of HBM-sized buffers,
 * B_L2 one of an L2-resident pair, both bytes read + written.
 *
 * @param hbmGbps  B_HBM in GB/s (1e9 bytes)
 * @param l2Gbps   B_L2 in GB/s
 * @param t0Us     the floor in microseconds, per world size
 */
public record Bound(double hbmGbps, double l2Gbps, double t0Us) {

    /** The HBM term in microseconds: every rank's input read and output written. */
    public static double hbmUs(int worldSize, long n, double hbmGbps) {
        return worldSize * 4.0 * n / (hbmGbps * 1e3);
    }

    /** The L2 term in microseconds: input, output and the slots of both phases. */
    public static double l2Us(int worldSize, long n, QuantLevel q, double l2Gbps) {
        double b = q.layout().wireBytesPerElement();
        return worldSize * (4.0 + 4.0 * b) * n / (l2Gbps * 1e3);
    }

    public double hbmUs(int worldSize, long n) {
        return hbmUs(worldSize, n, hbmGbps);
    }

    public double l2Us(int worldSize, long n, QuantLevel q) {
        return l2Us(worldSize, n, q, l2Gbps);
    }

    /** t0 plus the larger term. */
    public double us(int worldSize, long n, QuantLevel q) {
        return t0Us + Math.max(hbmUs(worldSize, n), l2Us(worldSize, n, q));
    }

    /** Which term binds: "HBM" or "L2". */
    public String binding(int worldSize, long n, QuantLevel q) {
        return hbmUs(worldSize, n) >= l2Us(worldSize, n, q) ? "HBM" : "L2";
    }
}
