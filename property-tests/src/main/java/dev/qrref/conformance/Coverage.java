package dev.qrref.conformance;

/**
 * Coverage classes a suite run must hit (the suite fails when one is missed). Input classes are detected in the
 * generated tensors by {@link CoverageScanner}; configuration classes come from the case itself.
 */
public enum Coverage {
    ZERO_GROUP("a quantization group of zeros"),
    ZERO_SPAN_ALL_RANKS("a 64-element span that is zero on every rank (an all-zero group of sums)"),
    SUBNORMAL("a subnormal input"),
    NAN("a NaN input"),
    INF("an infinite input"),
    SATURATING_GROUP("a group whose fp16 sum or cast overflows"),
    ALL_EQUAL_GROUP("a group of 32 equal non-zero values"),
    LOW_AMPLITUDE_GROUP("a non-zero group with |M| < L/65504"),
    TIE_GROUP("a group where +v and -v share the largest magnitude"),
    TAIL_TILE("N not a multiple of the tile size"),
    MULTI_ITERATION("a block running more than one grid-stride iteration"),
    W2("world size 2"), W4("world size 4"), W8("world size 8"),
    CODEC_FP("the FP codec"), CODEC_INT8("INT8"), CODEC_INT6("INT6"), CODEC_INT4("INT4"),
    PATH_FP16("fp16 tensors"), PATH_BF16("bf16 tensors, bf16 arithmetic"), PATH_BF16_CAST("bf16 tensors cast to fp16");

    public final String meaning;

    Coverage(String meaning) {
        this.meaning = meaning;
    }
}
