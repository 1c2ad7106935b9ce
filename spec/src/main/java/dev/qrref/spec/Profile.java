package dev.qrref.spec;

/**
 * A named numerics profile: the hardware-defined arithmetic behaviour a kernel follows. The behaviour itself is
 * implemented in {@code reference-cpu} ({@code CudaProfile}, {@code Cdna3Profile}, {@code Cdna4Profile}); the spec only
 * names the profiles and says what each one stands for.
 */
public enum Profile {
    /**
     * NVIDIA (measured on H100, sm_90, CUDA 13): IEEE round-to-nearest-even with subnormals, overflow to infinity,
     * correctly rounded {@code h2rcp} for fp16 and bf16, max/min ignore NaN, {@code max(-0,+0) = +0}, {@code min = -0}.
     */
    CUDA(0, "cuda", "NVIDIA sm_90 (measured on H100): IEEE RNE, overflow to inf, correctly rounded rcp, maxNum/minNum, max(-0,+0)=+0"),
    /**
     * AMD gfx942 (MI300X) with MODE.FP16_OVFL set as upstream does: a finite fp16 result that overflows saturates to
     * ±65504 in add, mul, reciprocal and the f32→f16 conversion; infinite inputs stay infinite. The reciprocal is
     * modelled as correctly rounded (not established for {@code v_rcp_f16}); max/min as on CUDA (signed-zero order not
     * documented for {@code v_pk_max_f16}).
     */
    CDNA3(1, "cdna3", "AMD gfx942 (MI300X) as upstream builds it: FP16_OVFL saturation of finite fp16 overflow to +-65504"),
    /**
     * AMD gfx950 (MI355X) as vLLM and aiter build it: FP16_OVFL is not set, so overflow gives ±inf. Otherwise modelled
     * as {@link #CDNA3}'s unsaturated twin.
     */
    CDNA4(2, "cdna4", "AMD gfx950 (MI355X) as vLLM/aiter build it: no saturation, overflow to inf");

    /** The integer the C ABI uses. */
    public final int code;
    private final String id;
    private final String summary;

    Profile(int code, String id, String summary) {
        this.code = code;
        this.id = id;
        this.summary = summary;
    }

    public String id() {
        return id;
    }

    public String summary() {
        return summary;
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
        throw new InvalidArgumentException("unknown profile code " + code);
    }
}
