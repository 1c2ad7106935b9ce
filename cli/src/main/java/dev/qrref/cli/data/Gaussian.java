package dev.qrref.cli.data;

/**
 * A deterministic N(0, 1) stream: the ziggurat method (Marsaglia and Tsang 2000) with 256 layers, fed by SplitMix64.
 * About 99% of draws cost one 64-bit random number, one multiply and one compare. Each draw takes its layer from the
 * low 8 bits and its position from the top 53 bits of the same word, so the two are independent (the classic 32-bit
 * version reuses bits, a known flaw). Only {@link StrictMath} is used in the rare slow paths and for the tables, so a
 * seed gives the same numbers on every JVM and whether or not the code is JIT-compiled.
 */
public final class Gaussian {
    /** Layers of the ziggurat. */
    static final int LAYERS = 256;
    /** Right edge of the base layer: where the tail starts (for 256 layers). */
    static final double R = 3.6541528853610088;
    /**
     * Area of every layer under f(x) = exp(-x²/2): {@code R·f(R) + sqrt(π/2)·erfc(R/√2)}; the recursion below closes at
     * x = 0 with this value (GaussianTest checks it).
     */
    static final double V = 0.004928673233974658;
    /** X[i]: right edge of layer i (X[0] is the base layer's virtual width V/f(R)); decreasing, X[256] = 0. */
    static final double[] X = new double[LAYERS + 1];
    /** F[i] = f(X[i]); increasing, F[256] = 1. */
    static final double[] F = new double[LAYERS + 1];

    static {
        X[0] = V / f(R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(V / X[i] + f(X[i])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = f(X[i]);
        }
    }

    private static double f(double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    private long state;

    public Gaussian(long seed) {
        this.state = seed;
    }

    /** SplitMix64 (Steele, Lea, Flood 2014). */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) on a 2^-53 grid. */
    public double nextUniform() {
        return (nextLong() >>> 11) * 0x1p-53;
    }

    /** One N(0, 1) draw. */
    public double next() {
        while (true) {
            long bits = nextLong();
            int i = (int) bits & (LAYERS - 1);
            // symmetric in (-1, 1): the sign comes with the position
            double u = 2 * ((bits >>> 11) * 0x1p-53) - 1;
            double x = u * X[i];
            if (Math.abs(x) < X[i + 1]) {
                return x;
            }
            if (i == 0) {
                return tail(u < 0);
            }
            // the wedge between layers i and i+1: accept under the curve
            if (F[i] + (F[i + 1] - F[i]) * nextUniform() < f(x)) {
                return x;
            }
        }
    }

    /** Marsaglia's tail beyond R: exponential proposals, accepted with the right density. */
    private double tail(boolean negative) {
        double x;
        double y;
        do {
            // 1 - uniform lies in (0, 1]: the logarithms stay finite
            x = -StrictMath.log(1 - nextUniform()) / R;
            y = -StrictMath.log(1 - nextUniform());
        } while (y + y < x * x);
        return negative ? -(R + x) : R + x;
    }

    /** A well-mixed seed for stream {@code (a, b, c)} of a base seed (e.g. rank and chunk): streams never overlap in practice. */
    public static long streamSeed(long base, long a, long b) {
        return mix(mix(mix(base) ^ (a * 0xD1B54A32D192ED03L)) ^ (b * 0xABC98388FB8FAC03L));
    }

    /** The SplitMix64 finaliser, as a hash. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
