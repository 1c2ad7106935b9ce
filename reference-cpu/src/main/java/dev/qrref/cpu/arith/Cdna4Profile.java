package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.List;

/**
 * AMD gfx950 (MI355X) as vLLM and aiter build it: FP16_OVFL is not set, so fp16 overflow gives ±inf. Every modelled
 * behaviour then coincides with {@link CudaProfile}; the profiles differ in what is measured and what is assumed.
 */
public final class Cdna4Profile implements NumericsProfile {
    public static final Cdna4Profile INSTANCE = new Cdna4Profile();

    private final Arith16 fp16 = new Arith16(Format16.FP16, false);
    private final Arith16 bf16 = new Arith16(Format16.BF16, false);

    private Cdna4Profile() {
    }

    @Override
    public Profile id() {
        return Profile.CDNA4;
    }

    @Override
    public Arith16 arith(Format16 format) {
        return format == Format16.FP16 ? fp16 : bf16;
    }

    @Override
    public int castBf16ToFp16(int bf16bits) {
        return Fp16.fromFloatRne(Bf16.toFloat(bf16bits));
    }

    @Override
    public List<Fact> facts() {
        return List.of(
                new Fact("fp16 add, mul", "RNE, finite overflow -> +-inf", "documented", "IEEE mode without FP16_OVFL (vLLM/aiter #if __gfx942__)"),
                new Fact("fp16 rcp (v_rcp_f16)", "modelled as correctly rounded, overflow -> +-inf", "assumed",
                        "not established for gfx950"),
                new Fact("bf16 -> fp16 cast", "RNE, overflow -> +-inf", "documented", "vLLM #55345 observed inf on MI355X"),
                new Fact("max/min", "maxNum/minNum; max(-0,+0) = +0", "assumed", "signed-zero order not documented"));
    }

    @Override
    public String toString() {
        return "cdna4";
    }
}
