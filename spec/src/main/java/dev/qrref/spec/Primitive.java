package dev.qrref.spec;

/**
 * The primitive operations of the kernels' numerics policies that {@code qr capture-primitives} runs on the hardware,
 * with their C ABI codes ({@code QR_PRIM_*} of the generated {@code qr_spec.h}) and the element kinds of their tables.
 */
public enum Primitive {
    RCP(0, "rcp", Kind.U16, Kind.U16),
    WIDEN(1, "widen", Kind.U16, Kind.F32),
    CAST_BF16_TO_FP16(2, "cast-bf16-fp16", Kind.U16, Kind.U16),
    CAST_FP16_TO_BF16(3, "cast-fp16-bf16", Kind.U16, Kind.U16),
    FROM_F32(4, "from-f32", Kind.F32, Kind.U16),
    MAX(5, "max", Kind.PAIR, Kind.U16),
    MIN(6, "min", Kind.PAIR, Kind.U16),
    ABS_GREATER(7, "abs-greater", Kind.PAIR, Kind.BOOL),
    ADD(8, "add", Kind.PAIR, Kind.U16),
    MUL(9, "mul", Kind.PAIR, Kind.U16),
    /** The FP8 codec's conversion of a 16-bit value (widened exactly) to e4m3 in a profile's format: code in the low byte. */
    TO_FP8(10, "to-fp8", Kind.U16, Kind.U16),
    /** An e4m3 code (low byte) to its exact value in the policy's 16-bit format. */
    FROM_FP8(11, "from-fp8", Kind.U16, Kind.U16);

    /** How a table element is held in an {@code int}. */
    public enum Kind {
        /** a 16-bit pattern */
        U16,
        /** binary32 bits */
        F32,
        /** two 16-bit operands, {@code a << 16 | b} */
        PAIR,
        /** 0 or 1 */
        BOOL
    }

    /** {@code QR_PRIM_*}. */
    public final int code;
    private final String id;
    public final Kind input;
    public final Kind output;

    Primitive(int code, String id, Kind input, Kind output) {
        this.code = code;
        this.id = id;
        this.input = input;
        this.output = output;
    }

    public String id() {
        return id;
    }

    /** The fp8 conversions, which also depend on a profile's fp8 columns (format, out-of-range rule). */
    public boolean fp8() {
        return this == TO_FP8 || this == FROM_FP8;
    }

    /** Bytes of one input or output element in the native tables. */
    public static int bytes(Kind k) {
        return k == Kind.F32 || k == Kind.PAIR ? 4 : 2;
    }

    /** The format of the 16-bit inputs (casts read the other format than the one they compute in). */
    public Format16 inputFormat(Format16 format) {
        return switch (this) {
            case CAST_BF16_TO_FP16 -> Format16.BF16;
            case CAST_FP16_TO_BF16 -> Format16.FP16;
            default -> format;
        };
    }

    /** The format of 16-bit outputs, which decides what counts as a NaN there. */
    public Format16 outputFormat(Format16 format) {
        return switch (this) {
            case CAST_BF16_TO_FP16 -> Format16.FP16;
            case CAST_FP16_TO_BF16 -> Format16.BF16;
            default -> format;
        };
    }

    /** The label of the table's format column: the casts name both ends. */
    public String formatLabel(Format16 format) {
        return switch (this) {
            case CAST_BF16_TO_FP16 -> "bf16->fp16";
            case CAST_FP16_TO_BF16 -> "fp16->bf16";
            case FROM_F32 -> "f32->" + format.id();
            case WIDEN -> format.id() + "->f32";
            default -> format.id();
        };
    }
}
