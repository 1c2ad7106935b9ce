package dev.qrref.cpu.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Named facts of the dossier at the level of one group or one atom (rules GRP-*, ENC-*, DEC-1). */
class CodecFactsTest {
    private static final Arith16 CUDA = NumericsProfile.of(Profile.CUDA).arith(Format16.FP16);
    private static final Arith16 CDNA3 = NumericsProfile.of(Profile.CDNA3).arith(Format16.FP16);

    private static short h(double v) {
        return (short) Fp16.fromFloatRne((float) v);
    }

    /** Round trip of one 64-element span through the codec's bytes. */
    private static short[] roundTrip(QuantLevel level, Arith16 a, short[] span64) {
        short[] atom = new short[Geometry.ATOM_ELEMENTS];
        System.arraycopy(span64, 0, atom, 0, 64);
        Codec c = Codec.of(level, profileOf(a), a.format());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = arena.allocate(c.layout().stride());
            c.encodeAtom(atom, 0, block, 0);
            short[] back = new short[Geometry.ATOM_ELEMENTS];
            c.decodeAtom(block, 0, back, 0);
            short[] out = new short[64];
            System.arraycopy(back, 0, out, 0, 64);
            return out;
        }
    }

    private static NumericsProfile profileOf(Arith16 a) {
        return a.saturates() ? NumericsProfile.of(Profile.CDNA3) : NumericsProfile.of(Profile.CUDA);
    }

    @Test
    void evenAndOddPositionsFormSeparateGroups() {
        // GRP-1: even positions small, odd positions large: each group gets its own scale
        short[] span = new short[64];
        for (int i = 0; i < 64; i++) {
            span[i] = h(i % 2 == 0 ? 0.25 * (i % 8 + 1) : 100.0 + i);
        }
        int[] codes = new int[64];
        GroupQuantizer q = new GroupQuantizer(QuantLevel.INT8, CUDA);
        int word = q.encodeSpan(span, 0, codes);
        assertEquals(q.decodingScale(h(1.75)), word & 0xFFFF, "even group scale from max even element 1.75");
        assertEquals(q.decodingScale(h(163.0)), word >>> 16, "odd group scale from max odd element 163");
        // changing only odd elements never changes an even element's code
        short[] span2 = span.clone();
        for (int i = 1; i < 64; i += 2) {
            span2[i] = h(-5000.0);
        }
        int[] codes2 = new int[64];
        q.encodeSpan(span2, 0, codes2);
        for (int i = 0; i < 64; i += 2) {
            assertEquals(codes[i], codes2[i], "even element " + i);
        }
    }

    @Test
    void aTiePicksTheNegativeElement() {
        // GRP-3: +3 and -3 in one group: M = -3 (0xC200), in either position order
        for (int order = 0; order < 2; order++) {
            short[] span = new short[64];
            span[order == 0 ? 0 : 40] = h(3.0);
            span[order == 0 ? 40 : 0] = h(-3.0);
            assertEquals(0xC200, GroupStatistics.signedAbsMax(CUDA, span, 0, 0));
        }
        short[] span = new short[64];
        span[2] = h(3.0);
        span[4] = h(-2.0);
        assertEquals(0x4200, GroupStatistics.signedAbsMax(CUDA, span, 0, 0), "no tie: the larger magnitude wins");
    }

    @Test
    void treeAgreesWithTheDefinitionOnRandomAndSpecialGroups() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[] specials = {0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE00, 0x7C01, 0x0001, 0x8001, 0x7BFF, 0xFBFF, 0x3C00, 0xBC00};
        int checked = 0;
        for (int trial = 0; trial < 20000; trial++) {
            short[] span = new short[64];
            for (int i = 0; i < 64; i++) {
                int kind = rnd.nextInt(4);
                span[i] = (short) (kind == 0 ? specials[rnd.nextInt(specials.length)] : kind == 1 ? rnd.nextInt(0x10000)
                        : (rnd.nextInt(8) << 10) | (rnd.nextBoolean() ? 0x8000 : 0) | 0x3800);
            }
            for (int half = 0; half < 2; half++) {
                int[] members = new int[32];
                for (int m = 0; m < 32; m++) {
                    members[m] = span[2 * m + half] & 0xFFFF;
                }
                int tree = GroupStatistics.signedAbsMax(CUDA, span, 0, half);
                int def = ElementwiseModel.signedAbsMax(Format16.FP16, members);
                boolean same = tree == def || (Format16.FP16.isNaN(tree) && Format16.FP16.isNaN(def));
                assertTrue(same, "trial " + trial + " half " + half + " tree=" + Format16.hex(tree) + " definition=" + Format16.hex(def));
                checked++;
            }
        }
        System.out.println("tree vs definition: " + checked + " groups");
    }

    @Test
    void oneInfinityTurnsTheRestOfItsGroupIntoNaN() {
        short[] span = new short[64];
        for (int i = 0; i < 64; i++) {
            span[i] = h(0.5 + i);
        }
        span[10] = (short) 0x7C00; // +inf in the even group
        short[] out = roundTrip(QuantLevel.INT4, CUDA, span);
        assertEquals(0x7C00, out[10] & 0xFFFF, "the inf element decodes to inf");
        for (int i = 0; i < 64; i += 2) {
            if (i != 10) {
                assertTrue(Format16.FP16.isNaN(out[i] & 0xFFFF), "even element " + i + " is NaN, got " + Format16.hex(out[i]));
            }
        }
        for (int i = 1; i < 64; i += 2) {
            assertTrue(Format16.FP16.isFinite(out[i] & 0xFFFF), "the odd group is untouched");
        }
    }

    @Test
    void aNaNElementDecodesToTheSignedAbsmax() {
        for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
            short[] span = new short[64];
            for (int i = 0; i < 64; i += 2) {
                span[i] = h(0.015625 * i - 0.5);
            }
            span[6] = (short) 0x7E00; // NaN
            int m = GroupStatistics.signedAbsMax(CUDA, span, 0, 0);
            assertEquals(h(-0.5) & 0xFFFF, m);
            assertEquals(m, roundTrip(level, CUDA, span)[6] & 0xFFFF, level + ": NaN decodes to M");
        }
    }

    @Test
    void zeroGroupDecodesToPlusZeroUnderCudaAndMinusZeroUnderCdna3() {
        for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
            short[] zeros = new short[64];
            short[] c = roundTrip(level, CUDA, zeros);
            short[] a = roundTrip(level, CDNA3, zeros);
            for (int i = 0; i < 64; i++) {
                assertEquals(0x0000, c[i] & 0xFFFF, level + " cuda: rcp(2^-24) = inf, 0*inf = NaN -> -L, -L * -0 = +0");
                assertEquals(0x8000, a[i] & 0xFFFF, level + " cdna3: rcp saturates to 65504, code L, +0 * -0 = -0");
            }
        }
    }

    @Test
    void lowAmplitudeCliff() {
        // INT8, M = 1e-3 < L/65504: the fp16 reciprocal of d + EPS overflows
        short[] span = new short[64];
        for (int i = 0; i < 64; i += 2) {
            span[i] = h((i % 4 == 0 ? 1 : -1) * 1e-3 * (1.0 - i / 128.0));
        }
        span[30] = 0;
        int m = GroupStatistics.signedAbsMax(CUDA, span, 0, 0);
        short[] sat = roundTrip(QuantLevel.INT8, CDNA3, span);
        short[] inf = roundTrip(QuantLevel.INT8, CUDA, span);
        // cdna3: every element is attenuated by the same factor, about 0.51
        for (int i = 2; i < 64; i += 2) {
            if (i == 30) {
                continue;
            }
            double ratio = Fp16.toFloat(sat[i]) / Fp16.toFloat(span[i]);
            assertTrue(ratio > 0.45 && ratio < 0.56, "cdna3 element " + i + " ratio " + ratio);
        }
        // cuda: rcp overflows to -inf: same-sign elements and zeros get code 0 and decode to -L*d (about M), opposite-sign
        // ones get code 2L-1 and decode to (L-1)*d (about -(L-1)/L * M); d is subnormal here, so "about"
        float mf = Fp16.toFloat(m);
        float d = Fp16.toFloat(new GroupQuantizer(QuantLevel.INT8, CUDA).decodingScale(m));
        for (int i = 0; i < 64; i += 2) {
            float x = Fp16.toFloat(span[i]);
            int got = inf[i] & 0xFFFF;
            if (x == 0 || Math.signum(x) == Math.signum(mf)) {
                assertEquals(Fp16.fromFloatRne(-128 * d), got, "cuda element " + i + " decodes to -L*d");
            } else {
                assertEquals(Fp16.fromFloatRne(127 * d), got, "cuda element " + i + " decodes to (L-1)*d");
            }
            assertEquals(1.0, Math.abs(Fp16.toFloat(got) / mf), 0.02, "within 2% of |M|");
        }
    }

    @Test
    void decodeOffsetIsExactForEveryCodeAndProfile() {
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
                    GroupQuantizer q = new GroupQuantizer(level, a);
                    int l = level.layout().levels();
                    for (int code = 0; code < 2 * l; code++) {
                        assertEquals(code - l, a.toFloat(q.decodeOffset(code)), p + " " + f + " " + level + " code " + code);
                    }
                }
            }
        }
    }

    @Test
    void everyCodeInRangeAndPackingRoundTrips() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
            Codec c = Codec.of(level, NumericsProfile.of(Profile.CUDA), Format16.FP16);
            short[] atom = Tensors.gaussian(DType.FP16, Geometry.ATOM_ELEMENTS, rnd.nextLong(), 3.0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment block = arena.allocate(c.layout().stride());
                c.encodeAtom(atom, 0, block, 0);
                short[] back = new short[Geometry.ATOM_ELEMENTS];
                c.decodeAtom(block, 0, back, 0);
                // re-encoding the decoded values reproduces the same bytes (decoded values sit on the code grid)
                MemorySegment again = arena.allocate(c.layout().stride());
                short[] scratch = back.clone();
                c.encodeAtom(scratch, 0, again, 0);
                assertEquals(-1L, block.mismatch(again), level + ": re-encoding decoded values is idempotent");
            }
        }
    }

    @Test
    void aQuantizerReportsItsLevelArithmeticAndConstants() {
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
                    GroupQuantizer q = new GroupQuantizer(level, a);
                    assertEquals(level, q.level());
                    assertSame(a, q.arith());
                    assertEquals(CodecConstants.of(level, f), q.constants(), p + " " + f + " " + level);
                    assertEquals(level, Codec.of(level, NumericsProfile.of(p), f).level());
                }
            }
        }
        assertEquals(QuantLevel.F16, Codec.of(QuantLevel.F16, NumericsProfile.of(Profile.CUDA), Format16.BF16).level());
    }

    @Test
    void everyPatternGetsItsClampedRoundedCode() {
        // ENC-3, ENC-4 on all 65,536 values w (encoding scale 1): NaN -> -L, else clamp(rint(w), -L, L-1), ties to even,
        // plus L; from a quantizer built here and from the shared one
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
                    int l = level.layout().levels();
                    for (GroupQuantizer q : new GroupQuantizer[]{new GroupQuantizer(level, a), GroupQuantizer.of(level, a)}) {
                        for (int w = 0; w < 1 << 16; w++) {
                            float x = a.toFloat(w);
                            int want = Float.isNaN(x) ? 0 : (int) Math.max(-l, Math.min(l - 1, Math.rint(x))) + l;
                            int got = q.code(w, f.one);
                            if (got != want) {
                                assertEquals(want, got, p + " " + f + " " + level + " w=" + Format16.hex(w) + " (" + x + ")");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aQuantizerBuiltHereEncodesSpansAsItsElementwiseSteps() {
        // encodeSpan's fast paths (fp16 intrinsics, code table) against code(x, e) element by element, on a quantizer
        // built in this test: the shared ones may predate the code under test in a long-lived JVM
        SplittableRandom r = new SplittableRandom(0x5EED);
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
                    GroupQuantizer q = new GroupQuantizer(level, a);
                    short[] v = new short[Geometry.GROUP_SPAN];
                    int[] codes = new int[Geometry.GROUP_SPAN];
                    for (int trial = 0; trial < 64; trial++) {
                        for (int i = 0; i < v.length; i++) {
                            // wide magnitudes (products beyond the format's range included) and any bit pattern at times
                            v[i] = (short) (trial % 4 == 3 ? r.nextInt(1 << 16) : a.fromFloat((float) (r.nextGaussian() * Math.scalb(1.0, r.nextInt(-20, 16)))));
                        }
                        int word = q.encodeSpan(v, 0, codes);
                        for (int half = 0; half < 2; half++) {
                            int d = half == 0 ? word & 0xFFFF : word >>> 16;
                            int e = q.encodingScale(d);
                            for (int i = half; i < v.length; i += 2) {
                                int want = q.code(v[i] & 0xFFFF, e);
                                if (codes[i] != want) {
                                    assertEquals(want, codes[i], p + " " + f + " " + level + " trial " + trial + " element " + i
                                            + " x=" + Format16.hex(v[i] & 0xFFFF) + " e=" + Format16.hex(e));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theSharedQuantizerIsBuiltOncePerLevelAndArithmetic() {
        // an arithmetic object no other test has used: the cache starts empty for it
        Arith16 fresh = new Arith16(Format16.BF16, false);
        for (QuantLevel level : new QuantLevel[]{QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4}) {
            GroupQuantizer first = GroupQuantizer.of(level, fresh);
            assertTrue(first != null, level.toString());
            assertSame(first, GroupQuantizer.of(level, fresh), level.toString());
            assertSame(fresh, first.arith());
            assertSame(level, first.level());
        }
    }
}
