package dev.qrref.spec;

/**
 * The kernels' arithmetic policies ({@code kernels/src/numerics.cuh}, C ABI codes {@code QR_ARITH_*}): what actually
 * runs on the device for a profile's 16-bit work. On NVIDIA the native fp16 policy is the raw hardware and serves every
 * profile whose fp16 columns match NVIDIA's ({@link Profile#nvidiaFp16Policy()}); the saturating policy emulates
 * FP16_OVFL in binary32; native bf16 serves every profile (bf16 never saturates).
 */
public enum ArithPolicy {
    NATIVE_FP16(0, "native-fp16", Format16.FP16, true, "the hardware's own fp16 instructions"),
    SATURATING_FP16(1, "saturating-fp16", Format16.FP16, false, "cdna3 emulated: binary32, RNE to fp16, FP16_OVFL saturation"),
    BF16(2, "bf16", Format16.BF16, true, "bf16 instructions (binary32 then RNE to bf16)");

    /** {@code QR_ARITH_*}. */
    public final int code;
    private final String id;
    public final Format16 format;
    /** Whether the policy is the hardware's own instructions (its table is the raw hardware behaviour). */
    public final boolean raw;
    public final String description;

    ArithPolicy(int code, String id, Format16 format, boolean raw, String description) {
        this.code = code;
        this.id = id;
        this.format = format;
        this.raw = raw;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public static ArithPolicy fromCode(int code) {
        for (ArithPolicy p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown arithmetic policy " + code);
    }

    /**
     * Whether the policy runs {@code op}: the casts between bf16 and fp16 belong to the fp16 policies; the fp8
     * conversions are one function per 16-bit format, captured under the raw policy of that format.
     */
    public boolean runs(Primitive op) {
        if (op.fp8()) {
            return raw;
        }
        return format == Format16.FP16 || (op != Primitive.CAST_BF16_TO_FP16 && op != Primitive.CAST_FP16_TO_BF16);
    }
}
