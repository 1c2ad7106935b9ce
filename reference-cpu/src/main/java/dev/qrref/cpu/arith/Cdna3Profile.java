package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.List;

/**
 * AMD gfx942 (MI300X) as upstream builds it: the codec constructor sets MODE.FP16_OVFL, so a finite fp16 result that
 * overflows saturates to ±65504 in add, mul, rcp and the f32→f16 conversion (the bf16→fp16 cast). bf16 arithmetic is
 * emulated in fp32 and is not affected.
 */
public final class Cdna3Profile implements NumericsProfile {
    public static final Cdna3Profile INSTANCE = new Cdna3Profile();

    private final Arith16 fp16 = new Arith16(Format16.FP16, true);
    private final Arith16 bf16 = new Arith16(Format16.BF16, false);

    private Cdna3Profile() {
    }

    @Override
    public Profile id() {
        return Profile.CDNA3;
    }

    @Override
    public Arith16 arith(Format16 format) {
        return format == Format16.FP16 ? fp16 : bf16;
    }

    @Override
    public int castBf16ToFp16(int bf16bits) {
        return fp16.fromFloat(Bf16.toFloat(bf16bits));
    }

    @Override
    public List<Fact> facts() {
        return List.of(
                new Fact("fp16 add, mul", "RNE; finite overflow -> +-65504 (0x7BFF), inf inputs stay inf", "documented",
                        "MODE.FP16_OVFL semantics (RDNA/CDNA ISA; sglang source comment)"),
                new Fact("fp16 rcp (v_rcp_f16)", "modelled as correctly rounded; overflow and rcp(+-0) -> +-65504", "assumed",
                        "LLVM states 0.51 ulp; correct rounding on every input is not established (capture-primitives settles it)"),
                new Fact("bf16 -> fp16 cast", "RNE; finite overflow -> +-65504", "assumed",
                        "sglang says the conversion is affected; order relative to s_setreg is compiler-dependent upstream"),
                new Fact("bf16 add, mul, rcp", "binary32 then RNE to bf16; no saturation", "documented", "HIP amd_hip_bf16.h"),
                new Fact("max/min with NaN", "maxNum/minNum (v_pk_max_f16 in IEEE mode)", "documented", "dossier 6.4"),
                new Fact("max/min of +-0", "modelled as max(-0,+0) = +0, min = -0", "assumed", "not documented for v_pk_max_f16"));
    }

    @Override
    public String toString() {
        return "cdna3";
    }
}
