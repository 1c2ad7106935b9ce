package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decodes every codec constant and checks it against its derivation. */
class SpecConstantsTest {

    @Test
    void codecConstantsDecodeToTheirDerivation() {
        for (QuantLevel q : QuantLevel.values()) {
            if (q.kind != QuantLevel.Kind.INTEGER) {
                continue;
            }
            int l = q.layout().levels();
            assertEquals(1 << (q.layout().codeBits() - 1), l, q + " L = 2^(bits-1)");
            for (Format16 f : Format16.values()) {
                CodecConstants c = CodecConstants.of(q, f);
                String w = q + "/" + f;
                assertEquals(-1.0 / l, f.toDouble(c.scaleFactor()), w + " SF");
                assertEquals(-l, f.toDouble(c.rangeMin()), w + " RMIN");
                assertEquals(l - 1, f.toDouble(c.rangeMax()), w + " RMAX");
                assertEquals(l, c.bias(), w + " bias");
                assertEpsilon(f, c, w);
                if (f == Format16.FP16 && q.fp16Decode == QuantLevel.Fp16Decode.MAGIC_1024) {
                    assertEquals(-(1024 + l), f.toDouble(c.decodeAdder()), w + " decode adder");
                } else {
                    assertEquals(0, c.decodeAdder(), w + " has no 1024 decode adder");
                }
            }
        }
        assertEquals(1024.0, Format16.FP16.toDouble(CodecConstants.FP16_MAGIC_1024));
    }

    private static void assertEpsilon(Format16 f, CodecConstants c, String w) {
        if (f == Format16.FP16) {
            assertEquals(Math.scalb(1.0, -24), f.toDouble(c.epsilon()), w + " EPS is the smallest subnormal");
        } else {
            // bf16 nearest to 1e-7: 1.6796875 x 2^-24
            double eps = f.toDouble(c.epsilon());
            assertEquals(1.6796875 * Math.scalb(1.0, -24), eps, w + " EPS");
            double ulp = Math.scalb(1.0, -24 - 7);
            assertTrue(Math.abs(eps - 1e-7) <= ulp / 2, w + " EPS is the bf16 nearest to 1e-7");
        }
    }

    /** The dossier's §4.2 table, literal by literal: the derived constants must reproduce every one. */
    @Test
    void codecConstantsEqualTheDossierLiterals() {
        int[][] fp16 = {
            // SF, RMIN, RMAX, BIAS, decode adder
            {0xA000, 0xD800, 0x57F0, 0x80, 0xE480}, {0xA800, 0xD000, 0x4FC0, 0x20, 0xE420}, {0xB000, 0xC800, 0x4700, 0x08, 0xE408},
            {0xB400, 0xC400, 0x4200, 0x04, 0}};
        int[][] bf16 = {{0xBC00, 0xC300, 0x42FE}, {0xBD00, 0xC200, 0x41F8}, {0xBE00, 0xC100, 0x40E0}, {0xBE80, 0xC080, 0x4040}};
        QuantLevel[] codecs = {QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4, QuantLevel.INT3};
        for (int i = 0; i < codecs.length; i++) {
            CodecConstants h = CodecConstants.of(codecs[i], Format16.FP16);
            CodecConstants b = CodecConstants.of(codecs[i], Format16.BF16);
            assertEquals(List.of(fp16[i][0], fp16[i][1], fp16[i][2], fp16[i][3], fp16[i][4]),
                    List.of(h.scaleFactor(), h.rangeMin(), h.rangeMax(), h.bias(), h.decodeAdder()), codecs[i] + " fp16");
            assertEquals(List.of(bf16[i][0], bf16[i][1], bf16[i][2]), List.of(b.scaleFactor(), b.rangeMin(), b.rangeMax()),
                    codecs[i] + " bf16");
            assertEquals(0x0001, h.epsilon());
            assertEquals(0x33D7, b.epsilon());
        }
        CodecConstants f8h = CodecConstants.of(QuantLevel.FP8, Format16.FP16);
        CodecConstants f8b = CodecConstants.of(QuantLevel.FP8, Format16.BF16);
        assertEquals(0x1C44, f8h.scaleFactor());
        assertEquals(0x3B88, f8b.scaleFactor());
    }

    @Test
    void fp8ScaleFactorsDeriveFromOneOver240() {
        // fp16: the nearest fp16 to 1/240 (1.0666... x 2^-8, fraction 68.27 -> 68)
        double sf = Format16.FP16.toDouble(CodecConstants.of(QuantLevel.FP8, Format16.FP16).scaleFactor());
        double ulp = Math.scalb(1.0, -8 - 10);
        assertTrue(Math.abs(sf - 1.0 / CodecConstants.FP8_TARGET_MAX) <= ulp / 2, "fp16 SF is the nearest to 1/240");
        // bf16: the fp16 constant 1.06640625 x 2^-8 rounded to 7 fraction bits is a tie (136.5 / 128), taken to even
        double b = Format16.BF16.toDouble(CodecConstants.of(QuantLevel.FP8, Format16.BF16).scaleFactor());
        assertEquals(Math.scalb(136.0, -7 - 8), b);
        assertEquals(Math.scalb(136.5, -7 - 8), sf);
        assertEquals(0, CodecConstants.of(QuantLevel.FP8, Format16.FP16).bias(), "FP8 has no bias and no clamp");
    }

    @Test
    void fp8FormatsDecodeToTheirDefinitions() {
        assertEquals(448.0, Fp8Format.E4M3FN.maxValue());
        assertEquals(240.0, Fp8Format.E4M3FNUZ.maxValue());
        assertEquals(Math.scalb(1.0, -9), Fp8Format.E4M3FN.minSubnormal());
        assertEquals(Math.scalb(1.0, -10), Fp8Format.E4M3FNUZ.minSubnormal());
        int nanFn = 0;
        int nanFnuz = 0;
        for (int c = 0; c < 256; c++) {
            nanFn += Fp8Format.E4M3FN.isNaN(c) ? 1 : 0;
            nanFnuz += Fp8Format.E4M3FNUZ.isNaN(c) ? 1 : 0;
        }
        assertEquals(2, nanFn, "e4m3fn: 0x7F and 0xFF");
        assertEquals(1, nanFnuz, "e4m3fnuz: 0x80 only");
        assertTrue(Double.isNaN(Fp8Format.E4M3FNUZ.toDouble(0x80)));
        assertEquals(-0.0, Fp8Format.E4M3FN.toDouble(0x80));
        assertEquals(1.0, Fp8Format.E4M3FN.toDouble(0x38));
        assertEquals(1.0, Fp8Format.E4M3FNUZ.toDouble(0x40));
    }

    @Test
    void layoutsDeriveTheUpstreamStrides() {
        assertEquals(4096, QuantLevel.F16.layout().stride());
        assertEquals(2176, QuantLevel.INT8.layout().stride());
        assertEquals(1664, QuantLevel.INT6.layout().stride());
        assertEquals(1152, QuantLevel.INT4.layout().stride());
        assertEquals(896, QuantLevel.INT3.layout().stride());
        assertEquals(2176, QuantLevel.FP8.layout().stride());
        assertEquals(512, QuantLevel.INT3.layout().planes().get(1).offset());
        assertEquals(768, QuantLevel.INT3.layout().scaleOffset());
        assertEquals(2048, QuantLevel.FP8.layout().scaleOffset());
        assertFalse(QuantLevel.INT3.layout().planes().get(1).nontemporal(), "the INT3 high-bit plane is a plain access");
        assertEquals(0.4375, QuantLevel.INT3.layout().wireBytesPerElement());
        assertEquals(4096, CodecLayout.maxStride());
        assertEquals(1536, QuantLevel.INT6.layout().scaleOffset());
        assertEquals(3.556, QuantLevel.INT4.layout().compression(), 0.001);
        assertEquals(1.882, QuantLevel.INT8.layout().compression(), 0.001);
        assertEquals(2.462, QuantLevel.INT6.layout().compression(), 0.001);
        for (int w : Geometry.WORLD_SIZES) {
            assertEquals(8 / w * 1152, QuantLevel.INT4.layout().rankTransmittedTileBytes(w));
        }
    }

    @Test
    void bufferLayoutOfTheDefaultW8Configuration() {
        BufferLayout l = BufferLayout.defaults(8);
        assertEquals(8 * 1216 * 4, l.flagBytes());
        assertEquals(8 * 1216 * 4, l.flagsOffset(BufferLayout.Phase.TWO));
        assertEquals(82688, l.dataOffset());
        assertEquals(1216L * 8 * 4096, l.phaseBytes());
        assertEquals(82688 + 2L * 1216 * 32768, l.totalBytes());
        // slot of block 5, sender 3, INT4, phase 2
        long expected = 82688 + 1216L * 32768 + 5L * 8 * 1152 + 3L * 1152;
        assertEquals(expected, l.slotOffset(BufferLayout.Phase.TWO, QuantLevel.INT4, 5, 3));
        assertEquals(8 * 1216 * 4 + (7L * 8 + 2) * 4, l.flagOffset(BufferLayout.Phase.TWO, 7, 2));
    }

    @Test
    void bufferIsSizedFromWhatIsTouched() {
        // 1 MiB max problem: 32 tiles, so 32 blocks of slots per phase.
        BufferLayout l = new BufferLayout(2, 1216, 1 << 20);
        assertEquals(32, l.touchedBlocks());
        assertEquals(32L * 32768, l.phaseBytes());
        // every codec's last slot fits in the phase region
        for (QuantLevel q : QuantLevel.values()) {
            long end = l.slotOffset(BufferLayout.Phase.TWO, q, l.touchedBlocks() - 1, 1) + q.layout().rankTransmittedTileBytes(2);
            assertTrue(end <= l.totalBytes(), q + " slot overruns the buffer");
            long p1end = l.slotOffset(BufferLayout.Phase.ONE, q, l.touchedBlocks() - 1, 1) + q.layout().rankTransmittedTileBytes(2);
            assertTrue(p1end <= l.phaseOffset(BufferLayout.Phase.TWO), q + " phase-1 slot overruns into phase 2");
        }
    }

    @Test
    void invalidLayoutsAndSizesAreRejected() {
        assertThrows(InvalidArgumentException.class, () -> new BufferLayout(3, 16, 1 << 20));
        assertThrows(InvalidArgumentException.class, () -> new BufferLayout(2, 0, 1 << 20));
        assertThrows(InvalidArgumentException.class, () -> new BufferLayout(2, 16, 1000));
        assertThrows(InvalidArgumentException.class, () -> new BufferLayout(2, 16, (1L << 31) + 16));
        BufferLayout l = new BufferLayout(2, 16, 1 << 20);
        assertThrows(InvalidArgumentException.class, () -> l.checkElements(0));
        assertThrows(InvalidArgumentException.class, () -> l.checkElements(12));
        assertThrows(InvalidArgumentException.class, () -> l.checkElements((1 << 19) + 8));
        l.checkElements(1 << 19);
        assertThrows(InvalidArgumentException.class, () -> Geometry.checkRank(4, 4));
        assertThrows(InvalidArgumentException.class, () -> Geometry.checkRank(4, -1));
    }

    @Test
    void geometryCoordinatesRoundTrip() {
        for (long e : new long[]{0, 1, 7, 8, 63, 64, 2047, 2048, 16383, 16384, 123456789}) {
            Geometry.Coordinates c = Geometry.coordinates(e);
            assertEquals(e, Geometry.element(c.tile(), c.atom(), c.thread(), c.j()));
            assertEquals(e % 2 == 1, c.odd());
        }
        Geometry.Coordinates c = Geometry.coordinates(16384 + 3 * 2048 + 64 * 5 + 9);
        assertEquals(1, c.tile());
        assertEquals(3, c.atom());
        assertEquals(5, c.threadGroup());
        assertEquals(11, c.group());
        assertEquals(1, c.owner(4));
        assertEquals(3, c.owner(8));
    }

    @Test
    void gridAndIterations() {
        assertEquals(1, Geometry.numTiles(8));
        assertEquals(2, Geometry.numTiles(16392));
        assertEquals(3, Geometry.grid(3, 1216));
        assertEquals(132, Geometry.grid(4096, 132));
        // 4096 tiles on 132 blocks: blocks 0..3 run 32 iterations, the rest 31
        assertEquals(32, Geometry.iterations(0, 4096, 132));
        assertEquals(32, Geometry.iterations(3, 4096, 132));
        assertEquals(31, Geometry.iterations(4, 4096, 132));
        assertEquals(0, Geometry.iterations(132, 4096, 132));
        long sum = 0;
        for (int b = 0; b < 132; b++) {
            sum += Geometry.iterations(b, 4096, 132);
        }
        assertEquals(4096, sum);
    }

    @Test
    void namesParse() {
        assertEquals(QuantLevel.INT4, QuantLevel.fromName("int4"));
        assertEquals(QuantLevel.F16, QuantLevel.fromName("fp"));
        assertEquals(QuantLevel.INT6, QuantLevel.fromCode(2));
        assertThrows(InvalidArgumentException.class, () -> QuantLevel.fromName("int5"));
        assertEquals(QuantLevel.INT3, QuantLevel.fromCode(4));
        assertEquals(QuantLevel.FP8, QuantLevel.fromName("fp8"));
        assertThrows(InvalidArgumentException.class, () -> QuantLevel.fromCode(6));
        assertEquals(Profile.CDNA3, Profile.fromName("cdna3"));
        assertThrows(InvalidArgumentException.class, () -> Profile.fromName("rdna"));
        assertEquals(DataPath.BF16_CAST, DataPath.of(DType.BF16, true));
        assertEquals(DataPath.FP16, DataPath.of(DType.FP16, true));
        assertThrows(InvalidArgumentException.class, () -> DType.fromName("fp32"));
    }

    @Test
    void rulesHaveUniqueIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Rule r : Rule.values()) {
            assertTrue(ids.add(r.id), "duplicate rule id " + r.id);
            assertFalse(r.statement.isBlank());
        }
    }

    @Test
    void constantsAreUniqueAndFit() {
        List<Constant> all = Constants.all();
        assertTrue(all.size() > 60);
        assertThrows(IllegalArgumentException.class, () -> new Constant("X", 0x10000, 16, "", "", ""));
    }
}
