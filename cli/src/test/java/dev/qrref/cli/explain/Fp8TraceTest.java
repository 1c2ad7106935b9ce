package dev.qrref.cli.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cli.data.Round16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.oracle.Recipe;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The FP8 trace against the element-wise model (its own quantizer, written from the dossier, sharing nothing with the
 * model the trace reads): the scale and every decoded value, for every data path and profile; the range rule at its
 * edges; and the cliff text where a group falls below it.
 */
class Fp8TraceTest {

    @Test
    void everyStepAgreesWithTheElementwiseModel() {
        int groups = 0;
        for (DataPath p : DataPath.values()) {
            for (Profile pr : Profile.values()) {
                NumericsProfile np = NumericsProfile.of(pr);
                Recipe recipe = Recipe.of(QuantLevel.FP8, p.compute, pr);
                for (long seed = 1; seed <= 25; seed++) {
                    short[] span = new RandomInputs(seed, p.dtype, false).head(0, GroupTrace.SPAN);
                    if (seed % 5 == 0) {
                        for (int i = 0; i < span.length; i++) {
                            // a group below the reciprocal cliff: every value +-1e-4 (fp16: e = rcp(d + EPS) overflows)
                            span[i] = (short) Round16.of(p.dtype, (span[i] & 0x8000) == 0 ? 1e-4 : -1e-4);
                        }
                    }
                    Fp8Trace t = Fp8Trace.of(p, pr, span);
                    int[] members = new int[GroupTrace.GROUP];
                    for (int m = 0; m < members.length; m++) {
                        int v = span[2 * m] & 0xFFFF;
                        members[m] = p.casts() ? np.castBf16ToFp16(v) : v;
                    }
                    assertEquals(ElementwiseModel.decodingScale(members, recipe, np.arith(p.compute)), t.decodingScale, p + " " + pr);
                    int[] want = ElementwiseModel.roundTripGroup(members, recipe, np.arith(p.compute));
                    Format16 c = p.compute;
                    for (Fp8Trace.Element e : t.elements) {
                        int w = want[e.m()];
                        assertTrue(w == e.decoded() || (c.isNaN(w) && c.isNaN(e.decoded())),
                                p + " " + pr + " seed " + seed + " m=" + e.m() + ": trace " + Format16.hex(e.decoded())
                                        + ", element-wise model " + Format16.hex(w));
                    }
                    groups++;
                }
            }
        }
        assertEquals(DataPath.values().length * Profile.values().length * 25, groups);
    }

    @Test
    void theRangeEdgeFollowsTheTieRuleOfEachFormat() {
        // e4m3fn: 464 is the tie between 448 (fraction 110, even) and 480: it rounds down and stays in range
        assertFalse(Fp8Trace.beyondRange(Fp8Format.E4M3FN, 464f));
        assertTrue(Fp8Trace.beyondRange(Fp8Format.E4M3FN, 464.5f));
        // e4m3fnuz: 248 is the tie between 240 (fraction 111, odd) and 256: it rounds up, out of range
        assertFalse(Fp8Trace.beyondRange(Fp8Format.E4M3FNUZ, 247.9f));
        assertTrue(Fp8Trace.beyondRange(Fp8Format.E4M3FNUZ, 248f));
        assertTrue(Fp8Trace.beyondRange(Fp8Format.E4M3FN, Float.NEGATIVE_INFINITY));
    }

    @Test
    void aGroupBelowTheCliffIsNamedAndFollowsTheProfilesRule() {
        short[] span = new short[GroupTrace.SPAN];
        span[0] = (short) Round16.of(DType.FP16, 0.001);
        span[2] = (short) Round16.of(DType.FP16, -0.001);
        // cuda saturates: +-448 codes, finite decoded values; cdna4 converts without saturation: NaN codes
        Fp8Trace cuda = Fp8Trace.of(DataPath.FP16, Profile.CUDA, span);
        assertTrue(cuda.elements.get(0).beyond());
        assertEquals(0x7E, cuda.elements.get(0).code());
        assertEquals(0xFE, cuda.elements.get(1).code());
        Fp8Trace cdna4 = Fp8Trace.of(DataPath.FP16, Profile.CDNA4, span);
        assertTrue(Fp8Format.E4M3FN.isNaN(cdna4.elements.get(0).code()));
        StringWriter s = new StringWriter();
        Fp8TraceText.print(cuda, "test", new PrintWriter(s));
        assertTrue(s.toString().contains("2 element(s) beyond the range"), s.toString());
        assertTrue(s.toString().contains("e4m3fn (bias 7, largest 448 = 0x7E"), s.toString());
    }
}
