package dev.qrref.spec;

/**
 * Which arithmetic a call runs: the element type in memory combined with the cast option.
 *
 * <p>Upstream instantiates the kernel with a codec element type {@code T}: {@code half} for fp16 tensors and for bf16
 * tensors with {@code cast_bf2half} (the vLLM default), {@code bf16} for bf16 tensors without the cast. The cast option
 * has no effect on fp16 tensors.
 */
public enum DataPath {
    /** fp16 in memory, fp16 arithmetic and fp16 constants. */
    FP16(0, "fp16", DType.FP16, Format16.FP16),
    /** bf16 in memory, bf16 arithmetic (every operation in fp32, rounded to bf16), bf16 constants. */
    BF16(1, "bf16", DType.BF16, Format16.BF16),
    /** bf16 in memory, converted to fp16 at load and back to bf16 at store; fp16 arithmetic in between. */
    BF16_CAST(2, "bf16-cast", DType.BF16, Format16.FP16);

    /** The integer the kernels' table uses ({@code QR_PATH_*}). */
    public final int code;
    private final String id;
    /** Element type in memory. */
    public final DType dtype;
    /** Format of the codec arithmetic, the scales and the FP codec's wire data. */
    public final Format16 compute;

    DataPath(int code, String id, DType dtype, Format16 compute) {
        this.code = code;
        this.id = id;
        this.dtype = dtype;
        this.compute = compute;
    }

    public String id() {
        return id;
    }

    public boolean casts() {
        return this == BF16_CAST;
    }

    /** The path a call takes; {@code castBf16ToFp16} is ignored for fp16 tensors, as upstream. */
    public static DataPath of(DType dtype, boolean castBf16ToFp16) {
        return switch (dtype) {
            case FP16 -> FP16;
            case BF16 -> castBf16ToFp16 ? BF16_CAST : BF16;
        };
    }

    public static DataPath fromName(String name) {
        return Names.lookup(values(), name, "data path", DataPath::id);
    }
}
