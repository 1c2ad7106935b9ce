package dev.qrref.cli.audit;

import static dev.qrref.cli.audit.Tensors.counts;
import static dev.qrref.cli.audit.Tensors.even;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-built tensors with a known number of each hazard, and the audit must report exactly those counts. The expected
 * numbers are worked out in the comments from the dossier's pipeline, not taken from a run.
 */
class HazardCountsTest {
    static final int N = 16384;
    static final int ONE = 0x3C00;
    static final int ZERO = 0x0000;
    static final int NAN = 0x7E00;
    static final int INF = 0x7C00;

    /**
     * W = 2, fp16, every value 1.0 (an INT8 round trip of 1.0 is exact, so the background has no hazard), except:
     * <ul>
     *   <li>span 1, even group: 0 on both ranks (zero group);</li>
     *   <li>span 2, even group: 2^-11 on both ranks: M·SF = -2^-18, 1/(d+EPS) = -2^24/63 does not fit fp16 (cliff) and
     *       d is subnormal (scale underflow); the sum 2^-10 (cuda: exact) or 2^-12 (cdna3: attenuated to a quarter)
     *       falls off again in phase 2;</li>
     *   <li>span 3, even group: 2^-8 on both ranks: d = -2^-15 is subnormal but 1/(d+EPS) = -32832 fits (underflow only);
     *       the sum 2^-7 has d = -2^-14, normal;</li>
     *   <li>element 256 of rank 0: NaN; INT8 decodes it to M = 1, so it does not spread;</li>
     *   <li>element 326 of rank 1: +inf; its group decodes to NaN (31 values) and +inf; the sum group holds 31 NaN and
     *       one +inf;</li>
     *   <li>element 384 of both ranks: 60000: encoded exactly, but 60000 + 60000 overflows: +inf under cuda (and the sum
     *       group's re-encode turns its 31 zeros into NaN), 65504 under cdna3.</li>
     * </ul>
     */
    static short[][] int8Tensors() {
        short[][] t = Tensors.filled(2, N, ONE);
        for (int m = 0; m < 32; m++) {
            for (int r = 0; r < 2; r++) {
                t[r][even(1, m)] = ZERO;
                t[r][even(2, m)] = 0x1000; // 2^-11
                t[r][even(3, m)] = 0x1C00; // 2^-8
            }
        }
        t[0][256] = (short) NAN;
        t[1][326] = (short) INF;
        t[0][384] = Float.floatToFloat16(60000f);
        t[1][384] = Float.floatToFloat16(60000f);
        return t;
    }

    @Test
    void int8OnFp16UnderCudaAndCdna3() {
        AuditReport r = Tensors.audit(int8Tensors(), DType.FP16, false, List.of(QuantLevel.INT8), List.of(Profile.CUDA, Profile.CDNA3));
        Map<Hazard, long[]> cuda = new EnumMap<>(Hazard.class);
        //                                  ph1 grp, elem, spread | ph2 grp, elem, spread | groups, elements
        cuda.put(Hazard.ZERO_GROUP, new long[]{2, 64, 0, 1, 32, 0, 1, 32});
        cuda.put(Hazard.RECIPROCAL_CLIFF, new long[]{2, 64, 0, 1, 32, 0, 1, 32});
        cuda.put(Hazard.SCALE_UNDERFLOW, new long[]{4, 128, 0, 1, 32, 0, 2, 64});
        // element 256 in phase 1; the 31 NaN of the poisoned sum group in phase 2
        cuda.put(Hazard.NAN_INPUT, new long[]{1, 1, 0, 1, 31, 0, 2, 32});
        cuda.put(Hazard.INF_INPUT, new long[]{1, 1, 31, 1, 1, 0, 1, 32});
        cuda.put(Hazard.SUM_OVERFLOW, new long[]{0, 0, 0, 1, 1, 31, 1, 32});
        Map<Hazard, long[]> cdna3 = new EnumMap<>(cuda);
        cdna3.remove(Hazard.SUM_OVERFLOW);
        cdna3.put(Hazard.FP16_OVFL_SATURATION, new long[]{0, 0, 0, 1, 1, 0, 1, 1});
        check(r.setup(QuantLevel.INT8, Profile.CUDA), cuda);
        check(r.setup(QuantLevel.INT8, Profile.CDNA3), cdna3);
        // outputs NaN or inf where the exact sum is finite: cuda 31 (poisoned group) + 32 (overflowed sum group); cdna3 31
        assertEquals(63, r.setup(QuantLevel.INT8, Profile.CUDA).nonFiniteFromFinite());
        assertEquals(31, r.setup(QuantLevel.INT8, Profile.CDNA3).nonFiniteFromFinite());
    }

    @Test
    void cliffAttenuationIsReportedUnderSaturation() {
        AuditReport r = Tensors.audit(int8Tensors(), DType.FP16, false, List.of(QuantLevel.INT8), List.of(Profile.CDNA3));
        List<WorstGroup> worst = r.setup(QuantLevel.INT8, Profile.CDNA3).hazard(Hazard.RECIPROCAL_CLIFF).worst();
        assertEquals(3, worst.size(), worst::toString);
        // e saturates to -65504: 2^-11 x -65504 = -31.98 -> q = -32 -> decoded -32 x -2^-18 = 2^-13, a quarter
        WorstGroup w = worst.stream().filter(x -> x.phase() == 1).findFirst().orElseThrow();
        assertTrue(w.detail().contains("e saturated to -65504 (0xFBFF)") && w.detail().contains("gain 0.25,"), w.detail());
        assertEquals(128, w.element());
        assertEquals(0, w.coordinates().tile());
        assertEquals(0, w.coordinates().atom());
        assertEquals(4, w.coordinates().group());
        assertTrue(w.explain().startsWith("./qr explain --codec int8 --profile cdna3 --dtype fp16 --values 0x1000,0x1000"), w.explain());
    }

    /**
     * bf16 with the cast, every value 1.0 except rank 0's element 10 = 1e30 (bf16 0x7149). cuda and cdna4: the cast gives
     * +inf, which poisons its group (31 NaN), and the sum group holds 31 NaN and +inf. cdna3: the cast saturates to 65504.
     */
    @Test
    void castOverflowAndSaturation() {
        short[][] t = Tensors.filled(2, N, 0x3F80);
        t[0][10] = 0x7149;
        AuditReport r = Tensors.audit(t, DType.BF16, true, List.of(QuantLevel.INT8, QuantLevel.F16), List.of(Profile.values()));
        Map<Hazard, long[]> inf = new EnumMap<>(Hazard.class);
        inf.put(Hazard.CAST_OVERFLOW, new long[]{1, 1, 31, 0, 0, 0, 1, 32});
        inf.put(Hazard.NAN_INPUT, new long[]{0, 0, 0, 1, 31, 0, 1, 31});
        inf.put(Hazard.INF_INPUT, new long[]{0, 0, 0, 1, 1, 0, 1, 1});
        Map<Hazard, long[]> sat = new EnumMap<>(Hazard.class);
        sat.put(Hazard.FP16_OVFL_SATURATION, new long[]{1, 1, 0, 0, 0, 0, 1, 1});
        for (Profile p : Profile.values()) {
            boolean saturates = dev.qrref.cpu.arith.NumericsProfile.of(p).castBf16ToFp16(0x7149) != INF;
            check(r.setup(QuantLevel.INT8, p), saturates ? sat : inf);
            assertEquals(saturates ? 0 : 32, r.setup(QuantLevel.INT8, p).nonFiniteFromFinite(), p.id());
            // the FP codec sends the values as they are: the infinity stays alone
            Map<Hazard, long[]> fp = new EnumMap<>(Hazard.class);
            fp.put(saturates ? Hazard.FP16_OVFL_SATURATION : Hazard.CAST_OVERFLOW, new long[]{1, 1, 0, 0, 0, 0, 1, 1});
            check(r.setup(QuantLevel.F16, p), fp);
            assertEquals(saturates ? 0 : 1, r.setup(QuantLevel.F16, p).nonFiniteFromFinite(), p.id());
        }
        assertEquals(AuditReport.FP_ONLY, r.recommendation());
    }

    @Test
    void cleanTensorsHaveNoHazardAndAreExact() {
        AuditReport r = Tensors.audit(Tensors.filled(2, N, ONE), DType.FP16, false, List.of(QuantLevel.values()), List.of(Profile.values()));
        for (SetupTally s : r.setups()) {
            check(s, Map.of());
            assertEquals(Double.POSITIVE_INFINITY, s.sqnrDb(), s.codec() + " " + s.profile());
        }
    }

    static void check(SetupTally s, Map<Hazard, long[]> expected) {
        for (Hazard h : Hazard.values()) {
            long[] want = expected.getOrDefault(h, new long[8]);
            assertArrayEquals(want, counts(s.hazard(h)), s.codec().cliName() + " " + s.profile().id() + " " + h.id()
                    + ": want " + java.util.Arrays.toString(want) + " got " + java.util.Arrays.toString(counts(s.hazard(h))));
        }
    }
}
