package dev.qrref.spec;

import java.util.List;

/**
 * The AMD instructions a profile assumes the kernels execute: one row per profile, checked by {@code qr isa-check} in the
 * disassembled device code objects of every AMD target the profile runs natively on.
 *
 * <p>The CPU model computes what a profile says; these rows say which instructions that arithmetic stands for, so that
 * a compiler that picks another instruction (a fused multiply-add where the model rounds twice, an fp32 division where
 * it assumes {@code v_rcp_f16}, a mode write moved after the first fp16 instruction) is caught without a chip.
 *
 * <p>Instruction patterns: a glob over the mnemonic with its encoding suffix removed ({@code v_rcp_f16_e32} is
 * {@code v_rcp_f16}; {@code *} matches any run of characters), optionally followed by {@code " nt"} (the instruction
 * must carry the nontemporal bit) or {@code " !nt"} (it must not).
 *
 * @param profile   the profile of the row
 * @param targets   the AMD targets (gfx names) whose builds follow the profile natively; empty when no AMD chip does
 * @param modeWrite whether every kernel writes MODE.FP16_OVFL at entry ({@link #MODE_WRITE}) or never does
 * @param classes   the instruction classes, each for the kernels of the arithmetic policies it names
 */
public record ProfileIsa(Profile profile, List<String> targets, ModeWrite modeWrite, List<InstructionClass> classes) {

    /**
     * The FP16_OVFL write as the disassembler prints it: hwreg MODE, offset 23, size 1 (SIMM16 {@code 0x5C1}), value 1.
     * Upstream's {@code 0xDC1} (size 2, which also clears bit 24) prints as {@code hwreg(HW_REG_MODE, 23, 2)} and does not
     * match.
     */
    public static final String MODE_WRITE = "s_setreg_imm32_b32 hwreg(HW_REG_MODE, 23, 1), 1";

    /** Instructions whose result the MODE write changes: they must all come after it. */
    public static final List<String> MODE_SENSITIVE = List.of("v_*f16*", "v_*fp8*", "v_*bf8*");

    /** Every fused multiply-add form (one rounding for a product and a sum) of the gfx9 family. */
    public static final List<String> FUSED = List.of("v_fma*", "v_pk_fma*", "v_*fmac*", "v_mad_f*", "v_mad_legacy*",
            "v_mad_mix*", "v_mac_f*", "v_*dot*");

    /** The MODE.FP16_OVFL write a profile's kernels make. */
    public enum ModeWrite {
        /** every kernel writes {@link #MODE_WRITE} before its first branch and its first mode-sensitive instruction */
        SET_AT_ENTRY,
        /** no kernel writes MODE bit 23 */
        NEVER
    }

    /** Which kernels must contain at least one instruction matching a class's expected patterns. */
    public enum Presence {
        /** every kernel of the class's policies */
        EVERY_KERNEL,
        /** the all-reduce kernels of quantized codecs and the primitive-capture kernels (they run every operation) */
        QUANTIZED,
        /** the all-reduce kernels of the integer codecs (they clamp w; FP8 does not) and the primitive-capture kernels */
        CLAMPING,
        /** the all-reduce kernels of the bf16-cast data path and the primitive-capture kernels */
        CAST_PATH,
        /** the all-reduce kernels only (not the primitive-capture kernels) */
        ALL_REDUCE,
        /** the all-reduce kernels of the FP8 codec and the primitive-capture kernels (they run TO_FP8 and FROM_FP8) */
        FP8_CODEC,
        /** none: the class only forbids */
        NONE
    }

    /** Which instructions of a kernel a class looks at. */
    public enum Scope {
        /** those whose source line lies in one of the class's functions of {@code qr_compat.h} */
        SOURCE,
        /** all of them */
        KERNEL,
        /** all but those from the class's functions */
        KERNEL_EXCEPT
    }

    /**
     * One instruction class: in its scope, an instruction matching {@code forbidden} is a mismatch, and where
     * {@code presence} applies at least one instruction matching {@code expected} must be there. Other instructions in
     * scope (moves, address arithmetic) are not looked at.
     *
     * @param name      short name, e.g. {@code "fp16 add"}
     * @param policies  the kernel arithmetic policies (the {@code Arith*} structs of {@code numerics.cuh}) it applies to
     * @param scope     which instructions of a kernel it looks at
     * @param functions the {@code qr_compat.h} functions of a SOURCE or KERNEL_EXCEPT scope
     * @param expected  the instructions the profile assumes
     * @param forbidden the instructions that would compute something else
     * @param presence  which kernels must contain an expected instruction
     */
    public record InstructionClass(String name, List<String> policies, Scope scope, List<String> functions,
                                   List<String> expected, List<String> forbidden, Presence presence) {
    }

    private static final List<String> NATIVE = List.of("ArithNativeFp16");
    private static final List<String> FP16_POLICIES = List.of("ArithNativeFp16", "ArithSaturatingFp16");
    private static final List<String> BF16 = List.of("ArithBf16");
    private static final List<String> ALL = List.of("ArithNativeFp16", "ArithSaturatingFp16", "ArithBf16");

    private static List<String> with(List<String> a, String... b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(b)).toList();
    }

    /** The classes every AMD profile shares: what differs between cdna3 and cdna4 is the mode write. */
    private static final List<InstructionClass> AMD_CLASSES = List.of(
            new InstructionClass("fp16 add", NATIVE, Scope.SOURCE, List.of("qr_pk_add_f16"), List.of("v_pk_add_f16"),
                    with(FUSED, "v_add_f16", "v_add_f32", "v_pk_add_f32", "v_sub*"), Presence.EVERY_KERNEL),
            new InstructionClass("fp16 mul", NATIVE, Scope.SOURCE, List.of("qr_pk_mul_f16"), List.of("v_pk_mul_f16"),
                    with(FUSED, "v_mul_f16", "v_mul_f32", "v_pk_mul_f32"), Presence.QUANTIZED),
            new InstructionClass("fp16 max", NATIVE, Scope.SOURCE, List.of("qr_pk_max_f16"), List.of("v_pk_max_f16"),
                    List.of("v_max_f16", "v_max_f32", "v_max3*"), Presence.QUANTIZED),
            new InstructionClass("fp16 min", NATIVE, Scope.SOURCE, List.of("qr_pk_min_f16"), List.of("v_pk_min_f16"),
                    List.of("v_min_f16", "v_min_f32", "v_min3*"), Presence.CLAMPING),
            new InstructionClass("fp16 rcp", NATIVE, Scope.SOURCE, List.of("qr_pk_rcp_f16"), List.of("v_rcp_f16"),
                    with(FUSED, "v_rcp_f32", "v_rcp_iflag*", "v_div_*", "v_rsq*", "v_sqrt*"), Presence.QUANTIZED),
            new InstructionClass("bf16->fp16 cast", NATIVE, Scope.SOURCE, List.of("qr_f32_to_f16_rn", "qr_f32x2_to_f16x2_rn"),
                    List.of("v_cvt_f16_f32"), List.of("v_cvt_pkrtz_f16_f32", "v_cvt_pknorm*", "v_cvt_f16_f32_dpp"),
                    Presence.CAST_PATH),
            new InstructionClass("no fused multiply-add (fp16)", FP16_POLICIES, Scope.KERNEL, List.of(), List.of(), FUSED,
                    Presence.NONE),
            new InstructionClass("bf16 add, mul in binary32", BF16, Scope.SOURCE, List.of("qr_pk_add_bf16", "qr_pk_mul_bf16"),
                    List.of("v_add_f32", "v_mul_f32", "v_pk_add_f32", "v_pk_mul_f32"),
                    with(FUSED, "v_*_f16", "v_*bf16*"), Presence.EVERY_KERNEL),
            new InstructionClass("bf16 rcp as a correctly rounded binary32 division", BF16, Scope.SOURCE, List.of("qr_rcp_f32_rn"),
                    List.of("v_div_fixup_f32"), List.of("v_rcp_f16", "v_rsq*", "v_sqrt*"), Presence.QUANTIZED),
            new InstructionClass("no fused multiply-add (bf16) outside the division", BF16, Scope.KERNEL_EXCEPT,
                    List.of("qr_rcp_f32_rn"), List.of(), FUSED, Presence.NONE),
            new InstructionClass("slot traffic nontemporal", ALL, Scope.SOURCE,
                    List.of("qr_slot_load16", "qr_slot_load8", "qr_slot_load4", "qr_slot_load2",
                            "qr_slot_store16", "qr_slot_store8", "qr_slot_store4", "qr_slot_store2"),
                    // register spills (scratch_*) carry the line of the code they serve and are not slot traffic
                    List.of("global_load_* nt", "global_store_* nt", "flat_load_* nt", "flat_store_* nt"),
                    List.of("global_* !nt", "flat_* !nt", "buffer_*"), Presence.ALL_REDUCE),
            // The fp8 codes come from the chip's conversion (round to nearest even, no clamp bit), which the profile's
            // fp8 format and saturation columns describe; stochastic rounding or the e5m2 (bf8) forms would not.
            new InstructionClass("fp8 conversion", ALL, Scope.SOURCE,
                    List.of("qr_native_f32x2_to_fp8x2", "qr_native_fp8x2_to_f32x2"),
                    List.of("v_cvt_pk_fp8_f32", "v_cvt_f32_fp8", "v_cvt_pk_f32_fp8"),
                    List.of("v_cvt_sr_*", "v_cvt_*bf8*", "v_cvt_scale*"), Presence.FP8_CODEC),
            new InstructionClass("1-byte plane traffic plain", ALL, Scope.SOURCE, List.of("qr_slot_load1", "qr_slot_store1"),
                    List.of("global_load_ubyte !nt", "global_store_byte !nt"), List.of("global_* nt", "flat_* nt"), Presence.NONE));

    private static final ProfileIsa CUDA = new ProfileIsa(Profile.CUDA, List.of(), ModeWrite.NEVER, List.of());
    private static final ProfileIsa CDNA3 = new ProfileIsa(Profile.CDNA3, List.of("gfx940", "gfx941", "gfx942"),
            ModeWrite.SET_AT_ENTRY, AMD_CLASSES);
    private static final ProfileIsa CDNA4 = new ProfileIsa(Profile.CDNA4, List.of("gfx950"), ModeWrite.NEVER, AMD_CLASSES);

    /** The row of {@code p}. */
    public static ProfileIsa of(Profile p) {
        return switch (p) {
            case CUDA -> CUDA;
            case CDNA3 -> CDNA3;
            case CDNA4 -> CDNA4;
        };
    }

    /** The profile whose row lists {@code target} (e.g. {@code gfx942}), or null when no profile runs natively on it. */
    public static Profile nativeProfileOf(String target) {
        for (Profile p : Profile.values()) {
            if (of(p).targets.contains(target)) {
                return p;
            }
        }
        return null;
    }
}
