package dev.qrref.spec;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The numerics profiles: one row per hardware behaviour a kernel can follow, with named columns. The CPU model builds
 * its arithmetic from these columns ({@code NumericsProfile}), the kernels pick their arithmetic policy from the same
 * columns (generated into {@code qr_spec.h} as {@code QR_LIST_PROFILES}), and the checks, the documentation and the help
 * texts read them too. A profile that differs only in name needs this row and the regenerated header, nothing else.
 *
 * <p>Columns:
 * <ul>
 *   <li>{@link #fp16OverflowSaturates}: MODE.FP16_OVFL. A finite fp16 add/mul/rcp result that overflows becomes ±65504
 *       instead of ±inf, and rcp(±0) = ±65504; infinite inputs stay infinite. bf16 is never affected.</li>
 *   <li>{@link #castSaturates}: the bf16 → fp16 cast (binary32, RNE) saturates finite overflow the same way.</li>
 *   <li>{@link #fp8Format}: the e4m3 variant the FP8 codec converts to.</li>
 *   <li>{@link #fp8Saturates}: a value beyond the fp8 range (or ±inf) converts to ±max (NVIDIA's
 *       {@code cvt.rn.satfinite}) or to NaN (AMD's conversion without the clamp bit, as aiter builds it).</li>
 *   <li>{@link #amdArch}: the gfx name prefix of the AMD chips that run the profile natively ("" for none).</li>
 * </ul>
 * Every profile computes 16-bit add and mul as the exact result rounded to nearest even with subnormals kept, rcp as the
 * correctly rounded reciprocal, and max/min as maxNum/minNum with max(-0,+0) = +0; {@link #facts()} says for each
 * statement whether it is measured, documented or assumed.
 */
public enum Profile {
    CUDA(0, "cuda", "NVIDIA sm_90 (measured on H100/H200): IEEE RNE, overflow to inf, correctly rounded rcp, maxNum/minNum",
            false, false, Fp8Format.E4M3FN, true, "",
            List.of(
                    fact("fp16/bf16 add, mul", "binary32 result rounded to nearest even, subnormals kept", "measured",
                            "H100: __hadd2/__hmul2 vs RNE of the fp32 result, 0 mismatches in 8.4 M random pairs each"),
                    fact("fp16 overflow", "+-inf (60000+60000 = 0x7C00)", "measured", "H100"),
                    fact("fp16 rcp (h2rcp)", "correctly rounded 1/x; rcp(0x0001) = +inf; rcp(+-0) = +-inf", "measured",
                            "H100: all 65,536 inputs equal to the correctly rounded reciprocal"),
                    fact("bf16 rcp (h2rcp)", "bf16_rn(1.0f / x)", "measured", "H100: all 65,536 inputs"),
                    fact("max/min with NaN", "the other operand (maxNum/minNum), quiet or signalling NaN", "measured", "H100, half and bf16"),
                    fact("max/min of +-0", "max(-0,+0) = max(+0,-0) = +0; min gives -0", "measured", "H100, half and bf16"),
                    fact("bf16 -> fp16 cast", "__float22half2_rn: RNE, overflow to +-inf", "documented", "CUDA cuda_fp16.hpp"),
                    fact("fp16 -> bf16 cast", "__float22bfloat162_rn: RNE", "documented", "CUDA cuda_bf16.hpp"),
                    fact("fp8 conversion", "e4m3fn, RNE; beyond +-448 and +-inf -> +-448, NaN -> NaN", "documented",
                            "PTX cvt.rn.satfinite.e4m3x2.f32 (.satfinite is the only form PTX offers); capture-primitives measures it"))),
    CDNA3(1, "cdna3", "AMD gfx942 (MI300X) as upstream builds it: FP16_OVFL saturation of finite fp16 overflow to +-65504",
            true, true, Fp8Format.E4M3FNUZ, false, "gfx94",
            List.of(
                    fact("fp16 add, mul", "RNE; finite overflow -> +-65504 (0x7BFF), inf inputs stay inf", "documented",
                            "MODE.FP16_OVFL semantics (RDNA/CDNA ISA; sglang source comment)"),
                    fact("fp16 rcp (v_rcp_f16)", "modelled as correctly rounded; overflow and rcp(+-0) -> +-65504", "assumed",
                            "LLVM states 0.51 ulp; correct rounding on every input is not established (capture-primitives settles it)"),
                    fact("bf16 -> fp16 cast", "RNE; finite overflow -> +-65504", "assumed",
                            "sglang says the conversion is affected; order relative to s_setreg is compiler-dependent upstream"),
                    fact("bf16 add, mul, rcp", "binary32 then RNE to bf16; no saturation", "documented", "HIP amd_hip_bf16.h"),
                    fact("max/min with NaN", "maxNum/minNum (v_pk_max_f16 in IEEE mode)", "documented", "dossier 6.4"),
                    fact("max/min of +-0", "modelled as max(-0,+0) = +0, min = -0", "assumed", "not documented for v_pk_max_f16"),
                    fact("fp8 conversion", "e4m3fnuz, RNE; beyond +-240 (from 248 up) and +-inf -> NaN (0x80); -0 -> +0",
                            "assumed", "v_cvt_pk_fp8_f32 without the clamp bit (aiter); behaviour past the range is dossier open question 8"))),
    CDNA4(2, "cdna4", "AMD gfx950 (MI355X) as vLLM/aiter build it: no saturation, overflow to inf",
            false, false, Fp8Format.E4M3FN, false, "gfx95",
            List.of(
                    fact("fp16 add, mul", "RNE, finite overflow -> +-inf", "documented", "IEEE mode without FP16_OVFL (vLLM/aiter #if __gfx942__)"),
                    fact("fp16 rcp (v_rcp_f16)", "modelled as correctly rounded, overflow -> +-inf", "assumed",
                            "not established for gfx950"),
                    fact("bf16 -> fp16 cast", "RNE, overflow -> +-inf", "documented", "vLLM #55345 observed inf on MI355X"),
                    fact("max/min", "maxNum/minNum; max(-0,+0) = +0", "assumed", "signed-zero order not documented"),
                    fact("fp8 conversion", "OCP e4m3fn, RNE; beyond +-448 (above 464) and +-inf -> NaN", "assumed",
                            "v_cvt_pk_fp8_f32 on gfx950 without the clamp bit; a Triton note says FP16_OVFL may clamp it instead")));

    /** The integer the C ABI uses. */
    public final int code;
    private final String id;
    private final String summary;
    private final boolean fp16OverflowSaturates;
    private final boolean castSaturates;
    private final Fp8Format fp8Format;
    private final boolean fp8Saturates;
    private final String amdArch;
    private final List<Fact> facts;

    Profile(int code, String id, String summary, boolean fp16OverflowSaturates, boolean castSaturates, Fp8Format fp8Format,
            boolean fp8Saturates, String amdArch, List<Fact> facts) {
        this.code = code;
        this.id = id;
        this.summary = summary;
        this.fp16OverflowSaturates = fp16OverflowSaturates;
        this.castSaturates = castSaturates;
        this.fp8Format = fp8Format;
        this.fp8Saturates = fp8Saturates;
        this.amdArch = amdArch;
        this.facts = facts;
    }

    /**
     * One statement of a profile, for the profile table of the documentation.
     *
     * @param operation the operation, e.g. {@code "fp16 add overflow"}
     * @param behaviour what the profile computes
     * @param status    {@code measured}, {@code documented} or {@code assumed}
     * @param source    where the statement comes from
     */
    public record Fact(String operation, String behaviour, String status, String source) {
    }

    private static Fact fact(String operation, String behaviour, String status, String source) {
        return new Fact(operation, behaviour, status, source);
    }

    public String id() {
        return id;
    }

    public String summary() {
        return summary;
    }

    /** MODE.FP16_OVFL: finite fp16 overflow in add, mul and rcp (and rcp(±0)) gives ±65504 instead of ±inf. */
    public boolean fp16OverflowSaturates() {
        return fp16OverflowSaturates;
    }

    /** The bf16 → fp16 cast saturates finite overflow to ±65504. */
    public boolean castSaturates() {
        return castSaturates;
    }

    /** The e4m3 variant of the FP8 codec. */
    public Fp8Format fp8Format() {
        return fp8Format;
    }

    /** Out-of-range and infinite values convert to ±max fp8 (true) or to NaN (false). */
    public boolean fp8Saturates() {
        return fp8Saturates;
    }

    /** gfx name prefix of the AMD chips that run this profile natively, "" for none. */
    public String amdArch() {
        return amdArch;
    }

    public List<Fact> facts() {
        return facts;
    }

    /**
     * The kernels' arithmetic policy for this profile's fp16 work on NVIDIA: the hardware's own instructions when the
     * profile's fp16 columns match NVIDIA's (no saturation), else the binary32 emulation with saturation.
     */
    public ArithPolicy nvidiaFp16Policy() {
        return fp16OverflowSaturates || castSaturates ? ArithPolicy.SATURATING_FP16 : ArithPolicy.NATIVE_FP16;
    }

    /** Whether NVIDIA's own fp8 conversion ({@code cvt.rn.satfinite.e4m3x2}) is this profile's; otherwise emulated. */
    public boolean nvidiaNativeFp8() {
        return fp8Format == Fp8Format.E4M3FN && fp8Saturates;
    }

    /** The AMD instructions this profile assumes, as {@code qr isa-check} verifies them ({@link ProfileIsa}). */
    public ProfileIsa isa() {
        return ProfileIsa.of(this);
    }

    public static Profile fromName(String name) {
        return Names.lookup(values(), name, "profile", Profile::id);
    }

    public static Profile fromCode(int code) {
        for (Profile p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new InvalidArgumentException("unknown profile " + code + " (expected one of " + expectedCodes() + ")");
    }

    /** {@code 0 = cuda, 1 = cdna3, ...}: the list an error message offers. */
    public static String expectedCodes() {
        return Arrays.stream(values()).map(p -> p.code + " = " + p.id).collect(Collectors.joining(", "));
    }

    /** Every profile name, comma-separated: for help texts. */
    public static String names() {
        return Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", "));
    }
}
