package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

/**
 * SQNR of the full two-shot on Gaussian data against the exact sum: the published figures are INT4 18.32 dB, INT6
 * 30.42 dB (MI355X measurement, and an independent emulation), INT8 ≈ 42.4 dB (emulation; 42.25 measured), INT3 ≈
 * 12.2 dB (emulation), with no dependence on the world size.
 */
class AccuracyTest {

    static double sqnr(int w, QuantLevel q, int n) {
        short[][] in = new short[w][];
        for (int r = 0; r < w; r++) {
            in[r] = Tensors.gaussian(DType.FP16, n, 4242L * w + r, 1.0);
        }
        try (GroupComms g = new CpuBackend(2).newGroup(w, 2L * n, CommsOptions.of(Profile.CUDA))) {
            short[] out = GroupRun.run(g, in, n, q, DataPath.FP16)[0];
            double signal = 0;
            double noise = 0;
            for (int e = 0; e < n; e++) {
                double ref = 0;
                for (int r = 0; r < w; r++) {
                    ref += Fp16.toFloat(in[r][e]);
                }
                double err = Fp16.toFloat(out[e]) - ref;
                signal += ref * ref;
                noise += err * err;
            }
            return 10 * Math.log10(signal / noise);
        }
    }

    @Test
    void sqnrMatchesThePublishedFigures() {
        int n = 1 << 19;
        // INT3: 12.2 dB is the dossier's independent emulation (§10), not a hardware measurement
        double[][] want = {{18.3, 0.3}, {30.4, 0.3}, {42.4, 0.3}, {12.2, 0.3}};
        QuantLevel[] levels = {QuantLevel.INT4, QuantLevel.INT6, QuantLevel.INT8, QuantLevel.INT3};
        for (int i = 0; i < levels.length; i++) {
            for (int w : new int[]{2, 4, 8}) {
                double s = sqnr(w, levels[i], n);
                System.out.printf("SQNR %s W=%d: %.2f dB%n", levels[i].cliName(), w, s);
                assertEquals(want[i][0], s, want[i][1], levels[i] + " W=" + w);
            }
        }
    }
}
