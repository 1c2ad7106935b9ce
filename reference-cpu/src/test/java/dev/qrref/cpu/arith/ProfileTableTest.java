package dev.qrref.cpu.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the profiles say about themselves (their ids, names and fact tables), {@link Arith16} objects built directly
 * rather than taken from a profile and checked against the exact model, the facts measured on the H100 and the
 * documented FP16_OVFL rule as a golden table, and the bf16 conversion's promise about NaN signs and payloads, which
 * the exhaustive tests check only as "some NaN".
 */
class ProfileTableTest {
    private static final Set<String> STATUSES = Set.of("measured", "documented", "assumed");

    @Test
    void everyProfileNamesItselfAndHasAFactTable() {
        for (Profile p : Profile.values()) {
            NumericsProfile np = NumericsProfile.of(p);
            assertEquals(p, np.id());
            assertEquals(p.id(), np.toString());
            assertFalse(np.facts().isEmpty(), p + " has facts");
            for (Profile.Fact f : np.facts()) {
                assertTrue(STATUSES.contains(f.status()), p + ": status " + f.status());
                assertFalse(f.operation().isBlank() || f.behaviour().isBlank() || f.source().isBlank(), p + ": " + f);
            }
            for (Format16 fmt : Format16.values()) {
                assertSame(fmt, np.arith(fmt).format());
                assertEquals(p == Profile.CDNA3 && fmt == Format16.FP16, np.arith(fmt).saturates(), p + " " + fmt);
            }
        }
    }

    @Test
    void arith16NamesItsFormatAndSaturation() {
        assertEquals("fp16+saturate", new Arith16(Format16.FP16, true).toString());
        assertEquals("fp16", new Arith16(Format16.FP16, false).toString());
        assertEquals("bf16", new Arith16(Format16.BF16, false).toString());
        assertEquals("bf16+saturate", new Arith16(Format16.BF16, true).toString());
    }

    @Test
    void aNewArith16AgreesWithTheExactModelInItsOwnFormat() {
        // built here, not taken from a profile singleton, with saturation on and off in both formats: decoding, rounding
        // back and the reciprocal of every pattern, and the rounding of binary32 values past the largest finite one, each
        // against the exact model
        for (Format16 f : Format16.values()) {
            ExactModel.Fmt fmt = ExactModel.of(f);
            for (boolean saturate : new boolean[]{false, true}) {
                Arith16 a = new Arith16(f, saturate);
                ExactModel.Rules rules = new ExactModel.Rules(a.toString(), saturate);
                assertSame(f, a.format());
                assertEquals(saturate, a.saturates());
                Mismatches m = new Mismatches("new Arith16(" + f.id() + ", saturate=" + saturate + ")");
                int skipped = 0;
                for (int b = 0; b < 1 << 16; b++) {
                    int wide = Float.floatToRawIntBits(a.toFloat(b));
                    if (!ExactModel.sameValue(ExactModel.decode(fmt, b), ExactModel.decode(ExactModel.F32, wide))) {
                        m.add("op=toFloat a=" + Mismatches.hex(b) + " => got " + Mismatches.hex32(wide));
                    }
                    long back = ExactModel.convert(ExactModel.F32, wide, fmt).bits(rules);
                    int got = a.fromFloat(a.toFloat(b));
                    if (!(f.isNaN(got) ? f.isNaN((int) back) : got == back)) {
                        m.add("op=fromFloat a=" + Mismatches.hex(b) + " => got " + Mismatches.hex(got) + " want " + Mismatches.hex((int) back));
                    }
                    ExactModel.Result rcp = ExactModel.rcp(fmt, b);
                    int r = a.rcp(b);
                    if (saturate && f == Format16.BF16 && rcp.finiteOverflow() && !f.isZero(b)) {
                        // bf16 with saturation is no profile's: the binary32 reciprocal of a bf16 subnormal overflows
                        // binary32 itself, so Arith16's rule (a finite binary32 value that rounds to inf) does not fire
                        skipped++;
                        continue;
                    }
                    if (!(rcp.isNaN() ? f.isNaN(r) : r == rcp.bits(rules))) {
                        m.add("op=rcp a=" + Mismatches.hex(b) + " => got " + Mismatches.hex(r) + " want " + Mismatches.hex((int) rcp.bits(rules)));
                    }
                }
                m.checked((3L << 16) - skipped);
                // a finite binary32 value beyond the format's largest finite one: 65520 for fp16, FLT_MAX for bf16
                float beyond = f == Format16.FP16 ? 65520f : Float.MAX_VALUE;
                for (float x : new float[]{beyond, -beyond, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                    long want = ExactModel.convert(ExactModel.F32, Float.floatToRawIntBits(x), fmt).bits(rules);
                    int got = a.fromFloat(x);
                    if (got != want) {
                        m.add("op=fromFloat x=" + x + " => got " + Mismatches.hex(got) + " want " + Mismatches.hex((int) want));
                    }
                }
                m.verdict();
            }
        }
    }

    /**
     * What was measured on the H100 (hardware-facts.md) as a golden table for the cuda profile, and the documented
     * FP16_OVFL rule for cdna3: the same inputs give the overflow results each profile promises.
     */
    @Test
    void theMeasuredFactsOfTheHardwareHold() {
        Arith16 cuda = NumericsProfile.of(Profile.CUDA).arith(Format16.FP16);
        Arith16 cudaBf16 = NumericsProfile.of(Profile.CUDA).arith(Format16.BF16);
        Arith16 cdna3 = NumericsProfile.of(Profile.CDNA3).arith(Format16.FP16);
        int f60000 = 0x7B53; // 60000 in fp16
        assertEquals(0x7C00, cuda.add(f60000, f60000), "H100: 60000 + 60000 = +inf, no saturation mode");
        assertEquals(0x7C00, cuda.rcp(0x0001), "H100: h2rcp of the smallest subnormal = +inf");
        assertEquals(0x0002, cuda.mul(0x0003, 0x3800), "H100: subnormals kept, 0x0003 x 0.5 = 0x0002 (ties to even)");
        for (Arith16 a : new Arith16[]{cuda, cudaBf16}) {
            Format16 f = a.format();
            int plus = 0;
            int minus = f.signMask;
            assertEquals(plus, a.max(minus, plus), f.id() + ": max(-0,+0) = +0");
            assertEquals(plus, a.max(plus, minus), f.id() + ": max(+0,-0) = +0");
            assertEquals(minus, a.min(minus, plus), f.id() + ": min(-0,+0) = -0");
            assertEquals(minus, a.min(plus, minus), f.id() + ": min(+0,-0) = -0");
            int quiet = f.positiveInfinity | f.quietBit;
            int signalling = f.positiveInfinity | 1;
            for (int nan : new int[]{quiet, signalling}) {
                assertEquals(f.one, a.max(nan, f.one), f.id() + ": max with a NaN gives the other operand");
                assertEquals(f.one, a.min(f.one, nan), f.id() + ": min with a NaN gives the other operand");
            }
        }
        assertEquals(0x7BFF, cdna3.add(f60000, f60000), "FP16_OVFL: finite overflow saturates to 65504");
        assertEquals(0xFBFF, cdna3.mul(0xFB53, 0x4000), "FP16_OVFL: -60000 x 2 = -65504");
        assertEquals(0x7BFF, cdna3.rcp(0x0000), "FP16_OVFL: rcp(+0) = 65504");
        assertEquals(0x7C00, cdna3.add(0x7C00, 0x3C00), "FP16_OVFL: an infinite input stays infinite");
    }

    @Test
    void bf16RoundingKeepsTheSignAndUpperPayloadOfANaN() {
        int[][] cases = {
            {0x7F800001, 0x7FC0}, // payload only in the low half: quieted, not turned into +inf
            {0xFF800001, 0xFFC0}, // the same, negative
            {0x7FA12345, 0x7FE1}, // signalling NaN: upper payload kept, quiet bit set
            {0xFFC00000, 0xFFC0},
            {0x7FFFFFFF, 0x7FFF}, // all ones: no carry into the sign
            {0xFFFFFFFF, 0xFFFF},
        };
        for (int[] c : cases) {
            int got = Bf16.fromFloatRne(Float.intBitsToFloat(c[0]));
            assertEquals(c[1], got, String.format("binary32 0x%08X -> bf16 0x%04X, got 0x%04X", c[0], c[1], got));
        }
    }
}
