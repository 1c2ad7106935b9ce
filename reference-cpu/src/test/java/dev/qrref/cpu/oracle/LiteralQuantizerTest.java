package dev.qrref.cpu.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The element-wise model's own quantizer against numbers worked out by hand from the dossier: the INT4 worked example
 * (Appendix A), INT3 and FP8 groups (§4.1, §4.2, §4.6) through their recipes with the dossier's constants (the codecs
 * may not have a {@link QuantLevel} yet), the zero-group signs of §7.1 and the FP8 zero-group hazard, and the accuracy
 * figures of §10 on Gaussian data.
 */
class LiteralQuantizerTest {
    private static final Format16 H = Format16.FP16;
    private static final Format16 B = Format16.BF16;

    /** INT3 (dossier §4.2 row Q3): SF -1/4, EPS, RMIN -4, RMAX 3, BIAS 4, decode by int -> T plus RMIN. */
    static Recipe int3(Format16 f) {
        return f == H ? Recipe.integer(0xB400, 0x0001, 0xC400, 0x4200, 4, 0) : Recipe.integer(0xBE80, 0x33D7, 0xC080, 0x4040, 4, 0);
    }

    /** FP8 (dossier §4.2 row FP8): SF +1/240.06 (fp16) or +1/240.94 (bf16), the same EPS, no clamp. */
    static Recipe fp8(Format16 f, Profile p) {
        return Recipe.fp8(f == H ? 0x1C44 : 0x3B88, f == H ? 0x0001 : 0x33D7, Fp8Literal.formatOf(p), Fp8Literal.overflowOf(p));
    }

    /** A group of 32 with the given leading members and zeros after them. */
    static int[] group(int... leading) {
        return Arrays.copyOf(leading, 32);
    }

    static int[] lead(int[] decoded, int count) {
        return Arrays.copyOf(decoded, count);
    }

    static Arith16 arith(Profile p, Format16 f) {
        return NumericsProfile.of(p).arith(f);
    }

    static String hex(int[] v) {
        return Arrays.stream(v).mapToObj(Format16::hex).toList().toString();
    }

    @Test
    void exactValuesGetTheirPatternBack() {
        // the oracle's own int -> T and fp8 -> T conversion, over every finite pattern of both formats
        for (Format16 f : Format16.values()) {
            for (int b = 0; b < 1 << 16; b++) {
                if (f.isFinite(b)) {
                    assertEquals(b, ElementwiseModel.exactly(f, f.toDouble(b)), f.id() + " " + Format16.hex(b));
                }
            }
            assertTrue(f.isNaN(ElementwiseModel.exactly(f, Double.NaN)));
        }
        assertEquals(0x6400, ElementwiseModel.exactly(H, 1024));
        assertEquals(0x4300, ElementwiseModel.exactly(B, 128));
    }

    @Test
    void theWorkedInt4ExampleOfAppendixA() {
        // 3.0, -2.9, 1.0, 0.5, 0.0, -1.4: M = 3.0, d = -0.375, e = -2.666
        int[] g = group(0x4200, 0xC1CD, 0x3C00, 0x3800, 0x0000, 0xBD9A);
        Recipe r = Recipe.of(QuantLevel.INT4, H, Profile.CUDA);
        assertEquals(0xB600, ElementwiseModel.decodingScale(g, r, arith(Profile.CUDA, H)));
        int[] out = ElementwiseModel.roundTripGroup(g, r, arith(Profile.CUDA, H));
        assertEquals(hex(new int[]{0x4200, 0xC140, 0x3C80, 0x3600, 0x8000, 0xBE00}), hex(lead(out, 6)));
    }

    @Test
    void int3ByHand() {
        // M = -2 (the tie of +2 and -2 goes to the negative one), d = 0.5, e = 2:
        // w = 4 -> clamp 3 -> 1.5; -4 -> -2; 1.2 -> 1 -> 0.5; 1.5 -> 2 (tie to even) -> 1.0; 2.5 -> 2 (tie) -> 1.0; 0.5 -> 0 -> +0
        for (Profile p : Profile.values()) {
            int[] half = group(0x4000, 0xC000, 0x38CD, 0x3A00, 0x3D00, 0x3400);
            int[] out = ElementwiseModel.roundTripGroup(half, int3(H), arith(p, H));
            assertEquals(hex(new int[]{0x3E00, 0xC000, 0x3800, 0x3C00, 0x3C00, 0x0000}), hex(lead(out, 6)), p + " fp16");
            int[] bf = group(0x4000, 0xC000, 0x3F1A, 0x3F40, 0x3FA0, 0x3E80);
            out = ElementwiseModel.roundTripGroup(bf, int3(B), arith(p, B));
            assertEquals(hex(new int[]{0x3FC0, 0xC000, 0x3F00, 0x3F80, 0x3F80, 0x0000}), hex(lead(out, 6)), p + " bf16");
        }
    }

    @Test
    void fp8ByHandOnEachFormat() {
        // a = 240: d = T(240 x 0x1C44) = T(1 - 2^-12) = 1.0 (tie to even), e = 1, w = x; then only the fp8 rounding acts:
        // 3.30078 -> 3.25 in both formats; 0.09998 -> 0.1015625; 0.0050011 -> 3 x 2^-9 (e4m3fn) or 5 x 2^-10 (e4m3fnuz)
        int[] g = group(0x5B80, 0x429A, 0xC29A, 0x2E66, 0x1D1F);
        assertEquals(0x3C00, ElementwiseModel.decodingScale(g, fp8(H, Profile.CUDA), arith(Profile.CUDA, H)));
        for (Profile p : Profile.values()) {
            int[] out = ElementwiseModel.roundTripGroup(g, fp8(H, p), arith(p, H));
            int small = p == Profile.CDNA3 ? 0x1D00 : 0x1E00;
            assertEquals(hex(new int[]{0x5B80, 0x4280, 0xC280, 0x2E80, small, 0x0000}), hex(lead(out, 6)), p.id());
        }
    }

    @Test
    void fp8TakesTheMagnitudeNotTheSignedElement() {
        // the negative -4 is the largest magnitude: a = +4 (the integer codecs would take M = -4)
        int[] g = group(0xC400, 0x3C00);
        int[] m = new int[32];
        System.arraycopy(g, 0, m, 0, 32);
        assertEquals(0x4400, ElementwiseModel.absMax(H, m));
        assertEquals(0xC400, ElementwiseModel.signedAbsMax(H, m));
        assertEquals(0x0000, ElementwiseModel.absMax(H, group(0x8000)), "all zeros: +0");
        assertTrue(H.isNaN(ElementwiseModel.absMax(H, new int[]{0xFE00, 0x7E00})), "all NaN: NaN");
        assertEquals(0x3C00, ElementwiseModel.absMax(H, new int[]{0xFE00, 0xBC00}), "NaN skipped, sign dropped");
    }

    @Test
    void zeroGroupsGetTheSignOrTheNaNTheDossierPredicts() {
        int[] zeros = group();
        for (Profile p : Profile.values()) {
            boolean saturates = p == Profile.CDNA3;
            // §7.1: INT codecs give -0 under FP16_OVFL (rcp saturates, d = -0) and +0 without it (NaN w clamps to RMIN)
            int[] q4 = ElementwiseModel.roundTripGroup(zeros, Recipe.of(QuantLevel.INT4, H, p), arith(p, H));
            assertEquals(saturates ? 0x8000 : 0x0000, q4[0], p + " INT4 fp16 zero group");
            // issue 16: FP8 has no clamp, so without saturation 0 x rcp(2^-24) = 0 x inf = NaN reaches the output
            int[] f8 = ElementwiseModel.roundTripGroup(zeros, fp8(H, p), arith(p, H));
            for (int v : f8) {
                assertEquals(!saturates, H.isNaN(v), p + " FP8 fp16 zero group: " + Format16.hex(v));
            }
            // native bf16 has the range: rcp(EPS) is finite, the zero group stays +0
            int[] b8 = ElementwiseModel.roundTripGroup(zeros, fp8(B, p), arith(p, B));
            assertEquals(0x0000, b8[0], p + " FP8 bf16 zero group");
        }
    }

    @Test
    void lowAmplitudeFp8GroupsOverflowTheReciprocalWithoutSaturation() {
        // absmax 1e-3 < 240 x 2^-16: d + EPS ~ 4.2e-6, its reciprocal ~ 2.4e5 is beyond fp16
        int[] g = group(0x1419, 0x9419, 0x0E8E, 0x0000);
        for (Profile p : Profile.values()) {
            int[] out = ElementwiseModel.roundTripGroup(g, fp8(H, p), arith(p, H));
            if (p == Profile.CDNA3) {
                // e = 65504: w = x * 65504 stays in range, the values come back attenuated but finite
                assertTrue(Arrays.stream(out).allMatch(H::isFinite), hex(lead(out, 4)));
                assertEquals(0x0000, out[3], "a zero stays +0");
            } else if (Fp8Literal.overflowOf(p) == Fp8Literal.Overflow.SATURATE) {
                // x * inf = +-inf saturates to +-448 (NVIDIA's satfinite), decoded as +-448 x d; 0 * inf = NaN
                int d = ElementwiseModel.decodingScale(g, fp8(H, p), arith(p, H));
                int sat = arith(p, H).mul(ElementwiseModel.exactly(H, 448.0), d);
                assertEquals(List.of(sat, sat | 0x8000, sat), Arrays.stream(lead(out, 3)).boxed().toList(), p + " " + hex(lead(out, 4)));
                assertTrue(H.isNaN(out[3]), p + " " + hex(lead(out, 4)));
            } else {
                // x * inf = +-inf overflows fp8 to NaN without saturation, 0 * inf = NaN
                assertTrue(Arrays.stream(out).allMatch(H::isNaN), p + " " + hex(lead(out, 4)));
            }
        }
    }

    /** SQNR (dB) and relative MAE of a W = 2 all-reduce of N(0,1) fp16 data through {@code recipe}. */
    static double[] accuracy(Recipe recipe) {
        return accuracy(recipe, Profile.CUDA);
    }

    static double[] accuracy(Recipe recipe, Profile profile) {
        int n = 4 * 16384;
        short[][] in = {Tensors.gaussian(dev.qrref.spec.DType.FP16, n, 11, 1.0), Tensors.gaussian(dev.qrref.spec.DType.FP16, n, 12, 1.0)};
        short[] out = ElementwiseModel.allreduce(in, n, recipe, DataPath.FP16, NumericsProfile.of(profile));
        double signal = 0;
        double noise = 0;
        double absErr = 0;
        double absRef = 0;
        for (int e = 0; e < n; e++) {
            double ref = H.toDouble(in[0][e]) + H.toDouble(in[1][e]);
            double err = H.toDouble(out[e]) - ref;
            signal += ref * ref;
            noise += err * err;
            absErr += Math.abs(err);
            absRef += Math.abs(ref);
        }
        return new double[]{10 * Math.log10(signal / noise), absErr / absRef};
    }

    @Test
    void accuracyOnGaussianDataIsWhatSection10Reports() {
        // dossier §10 [computed], independent emulation: Q8 42.4 dB (0.0076), Q6 30.4 (0.030), Q4 18.3 (0.122), Q3 12.2 (0.246)
        double[][] want = {{42.4, 0.0076}, {30.4, 0.030}, {18.3, 0.122}};
        QuantLevel[] levels = {QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4};
        for (int i = 0; i < levels.length; i++) {
            double[] got = accuracy(Recipe.of(levels[i], H, Profile.CUDA));
            System.out.printf("element-wise model, W=2, N(0,1) fp16, cuda: %s SQNR %.2f dB, relative MAE %.4f%n", levels[i].cliName(), got[0], got[1]);
            assertEquals(want[i][0], got[0], 0.3, levels[i] + " SQNR");
            assertEquals(want[i][1], got[1], want[i][1] * 0.03, levels[i] + " relative MAE");
        }
        double[] q3 = accuracy(int3(H));
        System.out.printf("element-wise model, W=2, N(0,1) fp16, cuda: int3 SQNR %.2f dB, relative MAE %.4f%n", q3[0], q3[1]);
        assertEquals(12.2, q3[0], 0.3, "INT3 SQNR");
        assertEquals(0.246, q3[1], 0.246 * 0.03, "INT3 relative MAE");
    }

    @Test
    void fp8AccuracyOnGaussianDataIsPrintedPerFormat() {
        // no published figure to hold it to (issue 16 asks for one): printed, and the two formats must agree closely,
        // since they share [-240, 240] with 3 fraction bits and Gaussian groups rarely reach their subnormals
        double[] fn = accuracy(fp8(H, Profile.CUDA), Profile.CUDA);
        double[] fnuz = accuracy(fp8(H, Profile.CDNA3), Profile.CDNA3);
        System.out.printf("element-wise model, W=2, N(0,1) fp16: fp8 e4m3fn (cuda) SQNR %.2f dB, relative MAE %.4f; "
                + "e4m3fnuz (cdna3) SQNR %.2f dB, relative MAE %.4f%n", fn[0], fn[1], fnuz[0], fnuz[1]);
        assertEquals(fn[0], fnuz[0], 0.2);
    }
}
