package dev.qrref.cli.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cliff threshold the reports draw agrees with where the audit itself finds the cliff, for every codec. */
class ThresholdsTest {

    @Test
    void int8CliffIsAboutLOver65504AndBf16HasNone() {
        double cliff = Thresholds.cliff(QuantLevel.INT8, Format16.FP16);
        // 1/(d + EPS) must stay below 65520 (where RNE reaches infinity): |M| about 128/65520, a little more for EPS
        assertTrue(cliff > 128.0 / 65520 && cliff < 128.0 / 65504 * 1.01, Double.toString(cliff));
        for (QuantLevel q : QuantLevel.values()) {
            if (q.quantized()) {
                assertEquals(0, Thresholds.cliff(q, Format16.BF16), q.cliName());
            }
        }
        assertEquals(65504, Thresholds.overflow(Format16.FP16));
    }

    /**
     * A group whose values all equal the threshold is not on the cliff for either sign; one step of fp16 below, it is
     * for at least one sign, under every profile (the profiles differ in what happens there, not in where).
     */
    @Test
    void auditFindsTheCliffExactlyBelowTheThreshold() {
        for (QuantLevel q : QuantLevel.values()) {
            if (!q.quantized()) {
                continue;
            }
            int at = Float.floatToFloat16((float) Thresholds.cliff(q, Format16.FP16)) & 0xFFFF;
            assertEquals(Thresholds.cliff(q, Format16.FP16), Format16.FP16.toDouble(at), "the threshold is an fp16 value");
            for (Profile p : Profile.values()) {
                long onIt = 0;
                long below = 0;
                for (int sign : new int[]{0, 0x8000}) {
                    onIt += cliffGroups(q, p, at | sign);
                    below += cliffGroups(q, p, (at - 1) | sign);
                }
                assertEquals(0, onIt, q.cliName() + " " + p.id() + " at the threshold");
                assertTrue(below > 0, q.cliName() + " " + p.id() + " one step below");
            }
        }
    }

    private static long cliffGroups(QuantLevel q, Profile p, int bits) {
        short[][] t = Tensors.filled(2, 16384, 0x3C00);
        for (int m = 0; m < 32; m++) {
            t[0][Tensors.even(0, m)] = (short) bits;
        }
        return Tensors.audit(t, DType.FP16, false, List.of(q), List.of(p), 0, 1, 32).setup(q, p).hazard(Hazard.RECIPROCAL_CLIFF)
                .groups(1);
    }
}
