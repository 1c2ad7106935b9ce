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
 * rather than taken from a profile, and the bf16 conversion's promise about NaN signs and payloads, which the
 * exhaustive tests check only as "some NaN".
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
    void aNewArith16DecodesAndRoundsInItsOwnFormat() {
        // built here, not taken from a profile singleton: every pattern decodes as its format defines it
        for (Format16 f : Format16.values()) {
            for (boolean saturate : new boolean[]{false, true}) {
                Arith16 a = new Arith16(f, saturate);
                assertSame(f, a.format());
                assertEquals(saturate, a.saturates());
                for (int b = 0; b < 1 << 16; b++) {
                    float want = f == Format16.FP16 ? Fp16.toFloat(b) : Bf16.toFloat(b);
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(a.toFloat(b)), f + " pattern " + b);
                }
                int two = f.one + (1 << f.fractionBits);
                assertEquals(two, a.add(f.one, f.one), f + ": 1 + 1");
                // a finite binary32 value beyond the format's largest finite one: 65520 for fp16, FLT_MAX for bf16
                float beyond = f == Format16.FP16 ? 65520f : Float.MAX_VALUE;
                assertEquals(saturate ? f.maxFinite : f.positiveInfinity, a.fromFloat(beyond), f + " saturate=" + saturate + ": overflow");
                assertEquals(f.positiveInfinity, a.fromFloat(Float.POSITIVE_INFINITY), f + ": inf stays inf");
                assertEquals(saturate ? f.maxFinite | f.signMask : f.positiveInfinity | f.signMask, a.rcp(f.signMask),
                        f + " saturate=" + saturate + ": 1 / -0");
            }
        }
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
