package dev.qrref.cli.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Profile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of {@link IsaCheck} on small hand-written disassemblies, each with one planted difference. */
public class IsaCheckTest {
    /** A header with the functions the classes name, one per line range. */
    public static final String HEADER = String.join("\n",
            "// test header",
            "QR_DEVICE uint32_t qr_pk_add_f16(uint32_t a, uint32_t b) {",   // 2
            "    return a + b;",                                              // 3
            "}",
            "QR_DEVICE uint32_t qr_pk_mul_f16(uint32_t a, uint32_t b) {",   // 5
            "    return a * b;",                                              // 6
            "}",
            "QR_DEVICE uint32_t qr_pk_max_f16(uint32_t a, uint32_t b) {",   // 8
            "    return max;",                                                // 9
            "}",
            "QR_DEVICE uint32_t qr_pk_min_f16(uint32_t a, uint32_t b) {",   // 11
            "    return min;",                                                // 12
            "}",
            "QR_DEVICE uint32_t qr_pk_rcp_f16(uint32_t a) {",                // 14
            "    return rcp;",                                                // 15
            "}",
            "QR_DEVICE void qr_slot_store4(uint8_t* p, uint32_t v) {",      // 17
            "    store;",                                                     // 18
            "}",
            "QR_DEVICE uint32_t qr_slot_load4(const uint8_t* p) {",         // 20
            "    load;",                                                      // 21
            "}",
            "QR_DEVICE float qr_rcp_f32_rn(float x) {",                     // 23
            "    return 1.0f / x;",                                           // 24
            "}",
            "QR_DEVICE uint32_t qr_pk_add_bf16(uint32_t a, uint32_t b) {",  // 26
            "    return add;",                                                // 27
            "}",
            "QR_DEVICE uint32_t qr_pk_mul_bf16(uint32_t a, uint32_t b) {",  // 29
            "    return mul;",                                                // 30
            "}",
            "");
    static final SourceFunctions MAP = SourceFunctions.parse(HEADER);

    static final String NATIVE = "void qr::twoshot_kernel<qr::CodecInt4, qr::ArithNativeFp16, 2, (qr::PathId)0>(qr::TwoshotArgs)";
    static final String BF16 = "void qr::twoshot_kernel<qr::CodecInt4, qr::ArithBf16, 2, (qr::PathId)1>(qr::TwoshotArgs)";

    /** Builds disassembly text: {@code line(n)} sets the source line of the instructions that follow. */
    public static final class Dis {
        private final StringBuilder sb = new StringBuilder("\nx.co:\tfile format elf64-amdgpu\n\n");
        private long address = 0x1000;

        Dis kernel(String name) {
            sb.append(String.format("%016x <%s>:%n", address, name));
            return this;
        }

        Dis line(int n) {
            sb.append("; /src/qr_compat.h:").append(n).append('\n');
            return this;
        }

        Dis other(int n) {
            sb.append("; /src/twoshot.cuh:").append(n).append('\n');
            return this;
        }

        Dis insn(String text) {
            sb.append('\t').append(text).append(String.format("   // %012X: %n", address));
            address += 8;
            return this;
        }

        Disassembly parse() {
            return Disassembly.parse(sb.toString());
        }

        public String text() {
            return sb.toString();
        }
    }

    public static Dis goodNative(boolean modeWrite) {
        Dis d = new Dis().kernel(NATIVE).other(1).insn("s_load_dword s34, s[2:3], 0x18");
        if (modeWrite) {
            d.insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1");
        }
        return d.line(8).insn("v_pk_max_f16 v1, v2, v3").line(11).insn("v_pk_min_f16 v1, v2, v3")
                .line(5).insn("v_pk_mul_f16 v4, v5, v6").line(2).insn("v_pk_add_f16 v4, v4, v7")
                .line(15).insn("v_rcp_f16_e32 v8, v9").insn("v_rcp_f16_sdwa v10, v9 src0_sel:WORD_1")
                .line(18).insn("global_store_dword v[48:49], v3, off nt")
                .line(21).insn("global_load_dword v3, v[48:49], off nt")
                .other(5).insn("s_cbranch_execz 2").insn("global_store_dword v[2:3], v1, off")
                .insn("s_endpgm");
    }

    static List<String> mismatches(Disassembly d, Profile p) {
        List<String> out = new ArrayList<>();
        for (IsaCheck.KernelResult r : IsaCheck.check("gfx942", "x.co", d, p, f -> MAP)) {
            out.addAll(r.mismatches());
        }
        return out;
    }

    @Test
    void aKernelWithTheAssumedInstructionsMatchesCdna3() {
        assertEquals(List.of(), mismatches(goodNative(true).parse(), Profile.CDNA3));
    }

    @Test
    void theModeWriteIsRequiredByCdna3AndForbiddenByCdna4() {
        List<String> m = mismatches(goodNative(false).parse(), Profile.CDNA3);
        assertEquals(1, m.size(), m.toString());
        assertTrue(m.get(0).startsWith("gfx942 x.co twoshot<int4, ArithNativeFp16, w2, fp16>: FP16_OVFL: no MODE write"), m.get(0));
        assertTrue(m.get(0).contains("profile cdna3 assumes s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1"), m.get(0));
        assertEquals(List.of(), mismatches(goodNative(false).parse(), Profile.CDNA4));
        List<String> m4 = mismatches(goodNative(true).parse(), Profile.CDNA4);
        assertEquals(1, m4.size(), m4.toString());
        assertTrue(m4.get(0).contains("assumes no MODE write"), m4.get(0));
    }

    @Test
    void aModeWriteAfterTheFirstFp16InstructionOrAfterABranchIsAMismatch() {
        Disassembly late = new Dis().kernel(NATIVE).line(2).insn("v_pk_add_f16 v4, v4, v7")
                .insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1").parse();
        List<String> m = mismatches(late, Profile.CDNA3);
        assertTrue(m.stream().anyMatch(l -> l.contains("FP16_OVFL: found v_pk_add_f16 v4, v4, v7 at 0x1000 (qr_compat.h:2) before the MODE write")), m.toString());
        Disassembly branched = new Dis().kernel(NATIVE).insn("s_cbranch_scc1 3").insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1")
                .line(2).insn("v_pk_add_f16 v4, v4, v7").parse();
        assertTrue(mismatches(branched, Profile.CDNA3).stream().anyMatch(l -> l.contains("assumes the write in the entry block")));
        Disassembly wide = new Dis().kernel(NATIVE).insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 2), 1")
                .insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1").line(2).insn("v_pk_add_f16 v4, v4, v7").parse();
        assertTrue(mismatches(wide, Profile.CDNA3).stream().anyMatch(l -> l.contains("found s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 2), 1")));
    }

    @Test
    void aFusedMultiplyAddIsNamedWithWhatTheProfileAssumes() {
        Disassembly d = new Dis().kernel(NATIVE).insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1")
                .line(8).insn("v_pk_max_f16 v1, v2, v3").line(11).insn("v_pk_min_f16 v1, v2, v3")
                .line(5).insn("v_pk_mul_f16 v4, v5, v6").line(2).insn("v_pk_fma_f16 v4, v5, v6, v7")
                .line(15).insn("v_rcp_f16_e32 v8, v9").line(18).insn("global_store_dword v[48:49], v3, off nt").parse();
        List<String> m = mismatches(d, Profile.CDNA3);
        assertTrue(m.contains("gfx942 x.co twoshot<int4, ArithNativeFp16, w2, fp16>: fp16 add: found v_pk_fma_f16 v4, v5, v6, v7 "
                + "at 0x1020 (qr_compat.h:2), profile cdna3 assumes v_pk_add_f16"), m.toString());
        assertTrue(m.stream().anyMatch(l -> l.contains("no fused multiply-add (fp16): found v_pk_fma_f16")), m.toString());
        // the add itself is then missing: reported too
        assertTrue(m.stream().anyMatch(l -> l.contains("fp16 add: found no v_pk_add_f16 from qr_pk_add_f16")), m.toString());
    }

    @Test
    void anFp32DivisionWhereTheProfileAssumesVRcpF16IsAMismatch() {
        Disassembly d = new Dis().kernel(NATIVE).insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1")
                .line(8).insn("v_pk_max_f16 v1, v2, v3").line(11).insn("v_pk_min_f16 v1, v2, v3")
                .line(5).insn("v_pk_mul_f16 v4, v5, v6").line(2).insn("v_pk_add_f16 v4, v4, v7")
                .line(15).insn("v_rcp_f32_e32 v8, v9").insn("v_div_fixup_f32 v8, v8, v9, v10")
                .line(18).insn("global_store_dword v[48:49], v3, off nt").parse();
        List<String> m = mismatches(d, Profile.CDNA3);
        assertTrue(m.stream().anyMatch(l -> l.contains("fp16 rcp: found v_rcp_f32_e32 v8, v9") && l.endsWith("assumes v_rcp_f16")), m.toString());
        assertTrue(m.stream().anyMatch(l -> l.contains("fp16 rcp: found no v_rcp_f16")), m.toString());
    }

    @Test
    void slotTrafficWithoutTheNontemporalBitIsAMismatchButOtherPlainStoresAreNot() {
        Disassembly d = new Dis().kernel(NATIVE).insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1")
                .line(8).insn("v_pk_max_f16 v1, v2, v3").line(11).insn("v_pk_min_f16 v1, v2, v3")
                .line(5).insn("v_pk_mul_f16 v4, v5, v6").line(2).insn("v_pk_add_f16 v4, v4, v7")
                .line(15).insn("v_rcp_f16_e32 v8, v9")
                .line(18).insn("global_store_dword v[48:49], v3, off")
                .other(9).insn("global_store_dword v[2:3], v1, off").parse();
        List<String> m = mismatches(d, Profile.CDNA3);
        assertEquals(2, m.size(), m.toString());
        assertTrue(m.get(0).contains("slot traffic nontemporal: found global_store_dword v[48:49], v3, off at 0x1030 (qr_compat.h:18)"), m.get(0));
        assertTrue(m.get(1).contains("slot traffic nontemporal: found no global_load_* nt or global_store_* nt"), m.get(1));
    }

    @Test
    void bf16FusedMultiplyAddIsAllowedInsideTheDivisionOnly() {
        Dis d = new Dis().kernel(BF16).insn("s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1")
                .line(27).insn("v_add_f32_e32 v1, v2, v3").line(30).insn("v_mul_f32_e32 v1, v2, v3")
                .line(24).insn("v_div_scale_f32 v4, s[0:1], v5, v5, 1.0").insn("v_fma_f32 v6, -v4, v7, 1.0")
                .insn("v_div_fixup_f32 v4, v4, v5, 1.0").line(18).insn("global_store_dword v[48:49], v3, off nt");
        assertEquals(List.of(), mismatches(d.parse(), Profile.CDNA3));
        d.other(3).insn("v_fmac_f32_e32 v1, v2, v3");
        List<String> m = mismatches(d.parse(), Profile.CDNA3);
        assertEquals(1, m.size(), m.toString());
        assertTrue(m.get(0).contains("no fused multiply-add (bf16) outside the division: found v_fmac_f32_e32 v1, v2, v3"), m.get(0));
    }

    @Test
    void functionsWithoutAPolicyAreListedButNotChecked() {
        Disassembly d = new Dis().kernel("qr::(anonymous namespace)::fill_random_kernel(unsigned short*, long, int, unsigned long)")
                .insn("v_cvt_f16_f32_e32 v1, v2").parse();
        List<IsaCheck.KernelResult> r = IsaCheck.check("gfx942", "x.co", d, Profile.CDNA3, f -> MAP);
        assertEquals(1, r.size());
        assertFalse(r.get(0).checked());
    }

    @Test
    void patternsMatchTheBaseMnemonicAndTheNontemporalBit() {
        Disassembly.Instruction nt = new Disassembly.Instruction(0, "global_load_dwordx4", "v[0:3], v[4:5], off nt", null, 0);
        Disassembly.Instruction plain = new Disassembly.Instruction(0, "global_load_dwordx4", "v[0:3], v[4:5], off sc1", null, 0);
        assertTrue(IsaCheck.matches("global_load_* nt", nt));
        assertFalse(IsaCheck.matches("global_load_* nt", plain));
        assertTrue(IsaCheck.matches("global_load_* !nt", plain));
        Disassembly.Instruction rcp = new Disassembly.Instruction(0, "v_rcp_f16_sdwa", "v1, v2", null, 0);
        assertTrue(IsaCheck.matches("v_rcp_f16", rcp));
        assertFalse(IsaCheck.matches("v_rcp_f32", rcp));
        assertTrue(IsaCheck.matches("v_*fmac*", new Disassembly.Instruction(0, "v_fmac_f32_e32", "", null, 0)));
    }
}
