package dev.qrref.cpu.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The codec's fast absmax (plain max/min in totalOrder, NaNs ignored) against the kernel's literal reduction tree built
 * from the profile's max/min, on random, special-heavy and zero-heavy groups, both formats, every profile.
 */
class GroupStatisticsTest {

    @Test
    void fastPathEqualsTheLiteralTree() {
        SplittableRandom rnd = new SplittableRandom(2026);
        long checked = 0;
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                int[] specials = {0x0000, 0x8000, f.positiveInfinity, f.positiveInfinity | 0x8000, f.canonicalNaN,
                        f.positiveInfinity | 1, 0x0001, 0x8001, f.maxFinite, f.maxFinite | 0x8000, f.one, f.one | 0x8000};
                for (int trial = 0; trial < 30000; trial++) {
                    short[] span = new short[64];
                    int mode = trial % 4;
                    for (int i = 0; i < 64; i++) {
                        int pick = rnd.nextInt(8);
                        span[i] = (short) switch (mode) {
                            case 0 -> rnd.nextInt(0x10000);
                            case 1 -> pick < 3 ? specials[rnd.nextInt(specials.length)] : rnd.nextInt(0x10000);
                            case 2 -> pick < 6 ? (rnd.nextBoolean() ? 0x8000 : 0x0000) : specials[rnd.nextInt(specials.length)];
                            default -> (f.one + rnd.nextInt(3) - 1) | (rnd.nextBoolean() ? 0x8000 : 0); // ties of magnitude
                        };
                    }
                    for (int half = 0; half < 2; half++) {
                        int tree = GroupStatistics.signedAbsMax(a, span, 0, half);
                        int fast = GroupStatistics.signedAbsMaxFast(f, span, 0, half);
                        boolean same = tree == fast || (f.isNaN(tree) && f.isNaN(fast));
                        assertTrue(same, p + " " + f + " trial " + trial + " half " + half + ": tree=" + Format16.hex(tree)
                                + " fast=" + Format16.hex(fast));
                        checked++;
                    }
                }
            }
        }
        System.out.println("GroupStatisticsTest: fast path == tree on " + checked + " groups");
    }

    @Test
    void aGroupOfNaNsGivesANaNPatternOnBothPaths() {
        // M is a 16-bit pattern even when every element is NaN; the other group of the span is left out of it
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                int[] nans = {f.canonicalNaN, f.canonicalNaN | 0x8000, f.positiveInfinity | 1, f.positiveInfinity | f.quietBit};
                for (int half = 0; half < 2; half++) {
                    short[] span = new short[64];
                    for (int i = 0; i < 64; i++) {
                        span[i] = (short) ((i & 1) == half ? nans[(i / 2) % nans.length] : f.one);
                    }
                    for (int m : new int[]{GroupStatistics.signedAbsMaxFast(f, span, 0, half), GroupStatistics.signedAbsMax(a, span, 0, half)}) {
                        assertTrue(m >= 0 && m <= 0xFFFF && f.isNaN(m), p + " " + f + " half " + half + ": M = 0x" + Integer.toHexString(m));
                    }
                    assertEquals(f.one, GroupStatistics.signedAbsMaxFast(f, span, 0, 1 - half), p + " " + f + ": the other group");
                }
            }
        }
    }
}
