package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.List;

/** NVIDIA sm_90 as measured on an H100 (hardware-facts.md): IEEE everywhere, no saturation mode. */
public final class CudaProfile implements NumericsProfile {
    public static final CudaProfile INSTANCE = new CudaProfile();

    private final Arith16 fp16 = new Arith16(Format16.FP16, false);
    private final Arith16 bf16 = new Arith16(Format16.BF16, false);

    private CudaProfile() {
    }

    @Override
    public Profile id() {
        return Profile.CUDA;
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
                new Fact("fp16/bf16 add, mul", "binary32 result rounded to nearest even, subnormals kept", "measured",
                        "H100: __hadd2/__hmul2 vs RNE of the fp32 result, 0 mismatches in 8.4 M random pairs each"),
                new Fact("fp16 overflow", "+-inf (60000+60000 = 0x7C00)", "measured", "H100"),
                new Fact("fp16 rcp (h2rcp)", "correctly rounded 1/x; rcp(0x0001) = +inf; rcp(+-0) = +-inf", "measured",
                        "H100: all 65,536 inputs equal to the correctly rounded reciprocal"),
                new Fact("bf16 rcp (h2rcp)", "bf16_rn(1.0f / x)", "measured", "H100: all 65,536 inputs"),
                new Fact("max/min with NaN", "the other operand (maxNum/minNum), quiet or signalling NaN", "measured", "H100, half and bf16"),
                new Fact("max/min of +-0", "max(-0,+0) = max(+0,-0) = +0; min gives -0", "measured", "H100, half and bf16"),
                new Fact("bf16 -> fp16 cast", "__float22half2_rn: RNE, overflow to +-inf", "documented", "CUDA cuda_fp16.hpp"),
                new Fact("fp16 -> bf16 cast", "__float22bfloat162_rn: RNE", "documented", "CUDA cuda_bf16.hpp"));
    }

    @Override
    public String toString() {
        return "cuda";
    }
}
