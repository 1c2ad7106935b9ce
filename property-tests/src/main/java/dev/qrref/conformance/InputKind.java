package dev.qrref.conformance;

/**
 * What a case's tensors look like. Each kind aims at coverage classes ({@link Coverage}); the scanner confirms which
 * classes a generated case really hits.
 */
public enum InputKind {
    /** N(0,1) values rounded to the dtype, a different stream per rank. */
    GAUSSIAN("gaussian"),
    /** Gaussian data sprinkled with the format's special values (NaN, ±inf, subnormals, ±max, signed zeros). */
    SPECIALS("specials"),
    /** Whole 64-element spans of zeros (both groups), some of them -0, among Gaussian data. */
    ZERO_GROUPS("zero-groups"),
    /** Groups whose absmax is below L/65504, where the fp16 reciprocal overflows (the low-amplitude cliff). */
    LOW_AMPLITUDE("low-amplitude"),
    /** Large values near ±65504 so that sums and the cast overflow fp16 (saturate under cdna3, inf elsewhere). */
    SATURATING("saturating"),
    /** Groups whose 32 values are equal, and groups holding +v and -v (the tie rule). */
    ALL_EQUAL("all-equal"),
    /** Small integers: every sum is exact, so the FP codec's output is the integer sum. */
    SMALL_INTEGERS("small-integers"),
    /** bf16 values beyond the fp16 range and at its rounding thresholds (for the bf16 -> fp16 cast). */
    CAST_RANGE("cast-range");

    private final String id;

    InputKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static InputKind fromId(String id) {
        for (InputKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown input kind '" + id + "'");
    }
}
