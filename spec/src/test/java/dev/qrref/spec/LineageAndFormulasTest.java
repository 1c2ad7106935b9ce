package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lineage table against the dossier's §7.5/§7.6, and the layout formulas' parser and C rendering. */
class LineageAndFormulasTest {

    @Test
    void levelOneMeansInt8InVllmAndFp8InAiter() {
        assertEquals(Optional.of(QuantLevel.INT8), Lineage.VLLM.codecOf(1));
        assertEquals(Optional.of(QuantLevel.FP8), Lineage.AITER.codecOf(1));
        assertEquals(Optional.of(QuantLevel.INT3), Lineage.VLLM.codecOf(4));
        assertEquals(Optional.empty(), Lineage.SGLANG.codecOf(4));
        assertEquals(Optional.of(QuantLevel.INT4), Lineage.MK1.codecOf(5));
        assertEquals(Optional.of(2), Lineage.MK1.levelOf(QuantLevel.FP8));
        assertEquals("level 1 means int8 in vllm, int8 in sglang, fp8 in aiter, fp in mk1", Lineage.describeLevel(1));
    }

    @Test
    void thresholdsFollowTheVllmTableAndAitersChanges() {
        long mb = 1L << 20;
        assertEquals(Optional.of(16 * mb), Lineage.VLLM.minBytes(DType.FP16, 4, QuantLevel.INT8));
        assertEquals(Optional.of(2 * mb), Lineage.VLLM.minBytes(DType.FP16, 8, QuantLevel.INT4));
        assertEquals(Optional.of(8 * mb), Lineage.AITER.minBytes(DType.FP16, 8, QuantLevel.INT4));
        assertEquals(Optional.of(4 * mb), Lineage.AITER.minBytes(DType.FP16, 8, QuantLevel.FP8));
        assertEquals(Optional.empty(), Lineage.AITER.minBytes(DType.FP16, 8, QuantLevel.INT8));
        assertEquals(Optional.of(2048 * mb), Lineage.VLLM.minBytes(DType.BF16, 8, QuantLevel.INT3));
        assertEquals(Optional.empty(), Lineage.SGLANG.minBytes(DType.FP16, 2, QuantLevel.INT3));
    }

    @Test
    void formulasComputeTheDocumentedLayout() {
        // W=2, 4 blocks, 1 MiB: flags 2*4*4 = 32 per phase, counters at 64, data at align256(64 + 16) = 256
        assertEquals(32, LayoutFormulas.FLAG_BYTES.eval(2, 4));
        assertEquals(256, LayoutFormulas.DATA_OFFSET.eval(2, 4));
        assertEquals(4, LayoutFormulas.TOUCHED_BLOCKS.eval(4, 1 << 20));
        assertEquals(4L * 8 * 4096, LayoutFormulas.PHASE_BYTES.eval(4, 1 << 20));
        assertEquals(2, LayoutFormulas.NUM_TILES.eval(16392));
        // INT3 W=2: sender 1 of block 3 starts 3*8*896 + 1*4*896 into the phase
        assertEquals(3L * 8 * 896 + 4 * 896, LayoutFormulas.SLOT_IN_PHASE.eval(2, 896, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> LayoutFormulas.FLAG_BYTES.eval(2));
    }

    @Test
    void everyFormulaRendersAsACFunctionOfItsParameters() {
        Set<String> names = new HashSet<>();
        for (LayoutFormulas.Formula f : LayoutFormulas.all()) {
            assertTrue(names.add(f.name), "formula defined twice: " + f.name);
            String c = f.renderC();
            assertTrue(c.startsWith("QR_SPEC_FN int64_t qr_layout_" + f.name + "(int64_t "), c);
            assertTrue(CHeaderGenerator.render().contains(c), "the header holds " + f.name);
            for (String p : f.params) {
                assertTrue(c.contains("int64_t " + p), c);
            }
        }
        // every constant a formula names is a spec constant the header declares
        String h = CHeaderGenerator.render();
        for (LayoutFormulas.Formula f : LayoutFormulas.all()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("QR_([A-Z0-9_]+)").matcher(f.renderC());
            while (m.find()) {
                if (!m.group(1).equals("SPEC_FN")) {
                    assertTrue(h.contains("QR_SPEC_CONST uint32_t QR_" + m.group(1) + " ") || h.contains("QR_SPEC_CONST uint64_t QR_"
                            + m.group(1) + " "), f.name + " names QR_" + m.group(1) + ", which the header lacks");
                }
            }
        }
    }

    @Test
    void closedListsAreGeneratedWithTheirCodes() {
        String h = CHeaderGenerator.render();
        for (QuantLevel q : QuantLevel.values()) {
            assertTrue(h.contains("X(" + q.name() + ", " + q.code + ", \"" + q.cliName() + "\", " + q.kernelName + ", "
                    + q.layout().stride()), q.toString());
            assertTrue(h.contains("case " + q.code + ": return " + q.layout().stride() + ";"), q + " stride lookup");
        }
        for (Profile p : Profile.values()) {
            assertTrue(h.contains("X(" + p.name() + ", " + p.code + ", \"" + p.id() + "\", " + (p.fp16OverflowSaturates() ? 1 : 0)),
                    p.toString());
        }
        assertTrue(h.contains("#define QR_CODEC_COUNT " + QuantLevel.values().length));
        assertTrue(h.contains("#define QR_PROFILE_EXPECTED \"" + "0 = cuda, 1 = cdna3, 2 = cdna4\""));
    }
}
