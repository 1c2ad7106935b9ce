package dev.qrref.cli.audit;

import static dev.qrref.cli.audit.Tensors.counts;
import static dev.qrref.cli.audit.Tensors.even;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The FP8 codec's own hazard (dossier 4.6, issue 16): it has no clamp, so with fp16 arithmetic that does not saturate
 * the encoding scale of an all-zero group, rcp(0 + 2^-24) = 2^24, is +inf, 0 x inf = NaN reaches the fp8 conversion, and
 * the group decodes to NaN. Under saturation (cdna3) the scale is 65504 and the group stays zero.
 */
class Fp8HazardTest {

    static Optional<QuantLevel> fp8() {
        return Arrays.stream(QuantLevel.values()).filter(q -> q.cliName().equals("fp8")).findFirst();
    }

    @Test
    void zeroGroupsTurnNaNWithoutSaturation() {
        assumeTrue(fp8().isPresent(), "the spec has no fp8 codec yet");
        QuantLevel fp8 = fp8().get();
        short[][] t = Tensors.filled(2, 16384, 0x3C00);
        for (int m = 0; m < 32; m++) {
            t[0][even(1, m)] = 0;
            t[1][even(1, m)] = 0;
        }
        AuditReport r = Tensors.audit(t, DType.FP16, false, List.of(fp8), List.of(Profile.values()));
        for (Profile p : Profile.values()) {
            SetupTally s = r.setup(fp8, p);
            boolean saturates = NumericsProfile.of(p).arith(Format16.FP16).saturates();
            if (saturates) {
                assertArrayEquals(new long[]{2, 64, 0, 1, 32, 0, 1, 32}, counts(s.hazard(Hazard.ZERO_GROUP)), p.id());
                assertArrayEquals(new long[8], counts(s.hazard(Hazard.RCP_OVERFLOW_NONFINITE)), p.id());
                assertEquals(0, s.nonFiniteFromFinite(), p.id());
            } else {
                // each rank's zero group comes back as 32 NaN; their sum is 32 NaN, which FP8 keeps
                assertArrayEquals(new long[]{2, 64, 64, 0, 0, 0, 1, 32}, counts(s.hazard(Hazard.ZERO_GROUP)), p.id());
                assertArrayEquals(new long[]{2, 64, 64, 0, 0, 0, 1, 32}, counts(s.hazard(Hazard.RCP_OVERFLOW_NONFINITE)), p.id());
                assertArrayEquals(new long[]{0, 0, 0, 1, 32, 0, 1, 32}, counts(s.hazard(Hazard.NAN_INPUT)), p.id());
                assertEquals(32, s.nonFiniteFromFinite(), p.id());
            }
        }
        assertNotEquals(fp8.cliName(), r.recommendation());
    }

    /**
     * A group of 2^-10 on both ranks, below the FP8 cliff (about 240 x 2^-16): every profile counts the cliff for both
     * ranks' groups; where the scale is infinite and the fp8 conversion does not saturate (cdna4, as aiter builds it for
     * gfx950) the values reach the conversion as +inf and come back NaN, and exactly then the audit names
     * rcp_overflow_nonfinite.
     */
    @Test
    void lowAmplitudeGroupsUnderEveryProfile() {
        assumeTrue(fp8().isPresent(), "the spec has no fp8 codec yet");
        QuantLevel fp8 = fp8().get();
        short[][] t = Tensors.filled(2, 16384, 0x3C00);
        for (int m = 0; m < 32; m++) {
            t[0][even(2, m)] = 0x1400; // 2^-10
            t[1][even(2, m)] = 0x1400;
        }
        AuditReport r = Tensors.audit(t, DType.FP16, false, List.of(fp8), List.of(Profile.values()));
        for (Profile p : Profile.values()) {
            SetupTally s = r.setup(fp8, p);
            assertEquals(2, s.hazard(Hazard.RECIPROCAL_CLIFF).groups(1), p.id());
            boolean nonFinite = s.nonFiniteFromFinite() > 0;
            assertEquals(nonFinite ? 2 : 0, s.hazard(Hazard.RCP_OVERFLOW_NONFINITE).groups(1), p.id());
            assertEquals(nonFinite ? 64 : 0, s.hazard(Hazard.RCP_OVERFLOW_NONFINITE).spread(1), p.id());
        }
        assertTrue(r.setup(fp8, Profile.CDNA4).nonFiniteFromFinite() > 0, "cdna4: NaN from the fp8 conversion of +inf");
        assertEquals(0, r.setup(fp8, Profile.CDNA3).nonFiniteFromFinite(), "cdna3: the reciprocal saturates");
        // A group that decoded entirely NaN has no round-trip gain or error: the detail must not print "NaN" and "0.00 %".
        String cdna4 = r.setup(fp8, Profile.CDNA4).hazard(Hazard.RECIPROCAL_CLIFF).worst().get(0).detail();
        assertTrue(cdna4.contains("no finite value of the group decoded finite"), cdna4);
        assertFalse(cdna4.contains("gain NaN"), cdna4);
        String cdna3 = r.setup(fp8, Profile.CDNA3).hazard(Hazard.RECIPROCAL_CLIFF).worst().get(0).detail();
        assertTrue(cdna3.contains("; gain ") && cdna3.contains("round-trip error "), cdna3);
    }
}
