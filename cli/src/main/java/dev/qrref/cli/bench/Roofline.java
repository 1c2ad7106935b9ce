package dev.qrref.cli.bench;

import dev.qrref.spec.QuantLevel;

/**
 * The memory roofline of one all-reduce call with all W ranks on one GPU. Per rank: the input read and the output
 * written (2N bytes each), and the communication slots at the codec's compression c: phase 1 written N·2/c and read
 * N·2/c, phase 2 likewise; so W·(4N + 8N/c) bytes through device memory for the call, over the measured
 * device-to-device copy bandwidth B (bytes read + written per second).
 */
public final class Roofline {
    private Roofline() {
    }

    /** c = FP atom-block bytes / codec atom-block bytes (4096/stride: 1, 1.882, 2.462, 3.556). */
    public static double compression(QuantLevel q) {
        return (double) QuantLevel.F16.layout().stride() / q.layout().stride();
    }

    /** Bytes through device memory for one call of {@code n} elements per rank. */
    public static double bytes(int worldSize, long n, QuantLevel q) {
        return worldSize * (4.0 * n + 8.0 * n / compression(q));
    }

    /** The roofline time in microseconds at {@code gbps} (GB/s, 1e9 bytes). */
    public static double micros(int worldSize, long n, QuantLevel q, double gbps) {
        return bytes(worldSize, n, q) / (gbps * 1e9) * 1e6;
    }
}
