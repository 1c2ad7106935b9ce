package dev.qrref.cpu.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** INT3's planes and decode, FP8's bytes and the FP8 reciprocal hazard (issue 16), from the dossier's definitions. */
class Int3AndFp8CodecTest {

    private static short h(double v) {
        return (short) Fp16.fromFloatRne((float) v);
    }

    private static short[] roundTrip(QuantLevel level, Profile p, short[] span64) {
        short[] atom = new short[Geometry.ATOM_ELEMENTS];
        System.arraycopy(span64, 0, atom, 0, 64);
        Codec c = Codec.of(level, NumericsProfile.of(p), Format16.FP16);
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

    @Test
    void int3PacksLowBitsPairwiseAndTheHighBitOnePerElement() {
        int[] c = {0, 1, 2, 3, 4, 5, 6, 7};
        assertEquals(0b11_10_01_00_11_10_01_00, Int3Codec.packLow(c, 0));
        assertEquals(0b1111_0000, Int3Codec.packHigh(c, 0));
        int[] back = new int[8];
        Int3Codec.unpack(Int3Codec.packLow(c, 0), Int3Codec.packHigh(c, 0), back, 0);
        assertEquals(java.util.Arrays.toString(c), java.util.Arrays.toString(back));
        CodecLayout l = QuantLevel.INT3.layout();
        assertEquals(512, l.planes().get(1).offset());
        assertEquals(768, l.scaleOffset());
    }

    @Test
    void int3DecodesCodeMinusFourTimesD() {
        // group of integers -4..3 with M = -4: d = 1, e = 1, codes = value + 4, decode exact
        short[] span = new short[64];
        for (int i = 0; i < 64; i++) {
            span[i] = h(i < 2 ? -4 : (i / 2) % 8 - 4);
        }
        short[] out = roundTrip(QuantLevel.INT3, Profile.CUDA, span);
        for (int i = 0; i < 64; i++) {
            assertEquals(Fp16.toFloat(span[i]), Fp16.toFloat(out[i]), "element " + i);
        }
        GroupQuantizer q = GroupQuantizer.of(QuantLevel.INT3, NumericsProfile.of(Profile.CUDA).arith(Format16.FP16));
        for (int code = 0; code < 8; code++) {
            assertEquals(code - 4.0f, Fp16.toFloat(q.decodeOffset(code)), "code " + code);
        }
    }

    @Test
    void fp8StoresOneByteperElementInElementOrder() {
        Codec c = Codec.of(QuantLevel.FP8, NumericsProfile.of(Profile.CDNA4), Format16.FP16);
        for (int t = 0; t < 3; t++) {
            for (int j = 0; j < 8; j++) {
                CodeField f = c.fields(t, j).getFirst();
                assertEquals(8 * t + j, f.byteOffset());
                assertEquals(8, f.width());
            }
        }
        // group absmax 240 -> d = 240 * 0x1C44 ~ 0.99976, e = rcp(d + eps), w = x * e
        short[] span = new short[64];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 64; i++) {
            span[i] = h(r.nextDouble(-200, 200));
        }
        span[0] = h(240);
        short[] out = roundTrip(QuantLevel.FP8, Profile.CDNA4, span);
        for (int i = 0; i < 64; i++) {
            double x = Fp16.toFloat(span[i]);
            double y = Fp16.toFloat(out[i]);
            assertTrue(Math.abs(y - x) <= Math.abs(x) / 16 + 1e-3, "3 fraction bits: within half a spacing (" + x + " -> " + y + ")");
        }
    }

    /**
     * Issue 16's predicted hazard: with fp16 arithmetic and no FP16_OVFL (cuda, cdna4), rcp(d + EPS) overflows to +inf
     * for an all-zero group (d = +0, e = rcp(2^-24) = inf) and for groups with absmax below about 240 * 2^-16; then
     * 0 * inf = NaN and x * inf = +-inf reach the conversion. Under cdna3 the reciprocal saturates to 65504.
     */
    @Test
    void fp8ReciprocalOverflowGivesNaNWithoutSaturation() {
        short[] zeros = new short[64];
        for (Profile p : Profile.values()) {
            short[] out = roundTrip(QuantLevel.FP8, p, zeros);
            Arith16 a = NumericsProfile.of(p).arith(Format16.FP16);
            for (int i = 0; i < 64; i++) {
                int bits = out[i] & 0xFFFF;
                if (p.fp16OverflowSaturates()) {
                    assertEquals(0, bits, p + ": e = 65504, w = 0, code 0, decoded +0 x +0");
                } else {
                    assertTrue(Format16.FP16.isNaN(bits), p + ": 0 x inf = NaN -> NaN code -> NaN, got " + Format16.hex(bits));
                }
            }
            assertEquals(!p.fp16OverflowSaturates(), Format16.FP16.isInfinite(a.rcp(a.add(0, 0x0001))), p + " rcp(2^-24)");
        }
        // absmax 1e-3 < 240/65504: d ~ 4.2e-6, d + EPS ~ 4.2e-6, rcp ~ 2.4e5 > 65504
        short[] low = new short[64];
        for (int i = 0; i < 64; i++) {
            low[i] = h(i % 4 == 0 ? 0 : (i % 3 == 0 ? -1e-3 : 5e-4));
        }
        short[] cuda = roundTrip(QuantLevel.FP8, Profile.CUDA, low);
        short[] cdna4 = roundTrip(QuantLevel.FP8, Profile.CDNA4, low);
        short[] cdna3 = roundTrip(QuantLevel.FP8, Profile.CDNA3, low);
        for (int i = 0; i < 64; i++) {
            double x = Fp16.toFloat(low[i]);
            if (x == 0) {
                assertTrue(Format16.FP16.isNaN(cuda[i] & 0xFFFF) && Format16.FP16.isNaN(cdna4[i] & 0xFFFF), "zeros: 0 x inf = NaN");
            } else {
                assertTrue(Format16.FP16.isNaN(cdna4[i] & 0xFFFF), "cdna4: +-inf -> NaN code");
                double y = Fp16.toFloat(cuda[i]);
                assertTrue(Math.signum(y) == Math.signum(x) && Math.abs(y) > 1.5e-3, "cuda: +-inf saturates to +-448, times d ("
                        + x + " -> " + y + ")");
            }
            assertTrue(!Format16.FP16.isNaN(cdna3[i] & 0xFFFF), "cdna3: the reciprocal saturates, no NaN");
        }
    }
}
