package dev.qrref.cli.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import org.junit.jupiter.api.Test;

/** The ziggurat tables close, and the draws look like N(0, 1). */
class GaussianTest {

    @Test
    void tablesClose() {
        // the top layer [0, X[255]] x [F[255], 1] must have the common area V
        assertEquals(Gaussian.V, Gaussian.X[255] * (1 - Gaussian.F[255]), 1e-15);
        for (int i = 0; i < Gaussian.LAYERS; i++) {
            assertTrue(Gaussian.X[i] > Gaussian.X[i + 1], "decreasing at " + i);
        }
        // V = R f(R) + the tail integral, by Simpson's rule on [R, R + 12]
        double tail = 0;
        int steps = 200_000;
        double h = 12.0 / steps;
        for (int k = 0; k <= steps; k++) {
            double x = Gaussian.R + k * h;
            double w = k == 0 || k == steps ? 1 : k % 2 == 1 ? 4 : 2;
            tail += w * Math.exp(-x * x / 2);
        }
        tail *= h / 3;
        assertEquals(Gaussian.V, Gaussian.R * Math.exp(-Gaussian.R * Gaussian.R / 2) + tail, 1e-14);
    }

    @Test
    void momentsAndTails() {
        Gaussian g = new Gaussian(12345);
        int n = 4_000_000;
        double s1 = 0;
        double s2 = 0;
        double s4 = 0;
        long beyond3 = 0;
        long beyondR = 0;
        for (int i = 0; i < n; i++) {
            double x = g.next();
            s1 += x;
            s2 += x * x;
            s4 += x * x * x * x;
            beyond3 += Math.abs(x) > 3 ? 1 : 0;
            beyondR += Math.abs(x) > Gaussian.R ? 1 : 0;
        }
        double mean = s1 / n;
        double var = s2 / n - mean * mean;
        assertEquals(0, mean, 0.003);
        assertEquals(1, var, 0.003);
        assertEquals(3, s4 / n, 0.03, "kurtosis");
        // P(|x| > 3) = 0.0026998, P(|x| > R) = 2.58e-4: within 5 sigma of the binomial count
        assertEquals(0.0026998 * n, beyond3, 5 * Math.sqrt(0.0027 * n));
        assertEquals(2.5806e-4 * n, beyondR, 5 * Math.sqrt(2.58e-4 * n));
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        Gaussian a = new Gaussian(Gaussian.streamSeed(1, 0, 0));
        Gaussian b = new Gaussian(Gaussian.streamSeed(1, 0, 0));
        Gaussian c = new Gaussian(Gaussian.streamSeed(1, 1, 0));
        boolean differ = false;
        for (int i = 0; i < 1000; i++) {
            double x = a.next();
            assertEquals(x, b.next());
            differ |= x != c.next();
        }
        assertTrue(differ);
    }

    @Test
    void streamsArePinned() {
        // a seed names the same inputs forever (reports quote seeds): a change here changes every seeded run
        assertEquals(0xbfee1e87fb23b458L, Double.doubleToLongBits(new Gaussian(Gaussian.streamSeed(1, 0, 0)).next()));
        assertArrayEquals(new short[]{(short) 0xBB88, (short) 0xBB6B, 0x3D29, 0x387B},
                new RandomInputs(1, DType.FP16, false).head(0, 4));
        assertArrayEquals(new short[]{0x3E92, (short) 0xBD16, 0x3F4A, (short) 0xBFBD}, new RandomInputs(1, DType.BF16, false).head(1, 4));
    }
}
