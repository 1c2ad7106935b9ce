package dev.qrref.cli.audit;

/**
 * The numerical hazards {@code qr audit} counts. Each is decided from the CPU model's own arithmetic for one group
 * encode: phase 1 is the load (and cast) of one rank's values and their encode; phase 2 is the reduction of the decoded
 * contributions and the re-encode of that sum. A hazard "touches" either single elements (the value that overflowed,
 * the NaN) or a whole group (the group whose scale fell off the cliff).
 */
public enum Hazard {
    CAST_OVERFLOW("cast_overflow", true,
            "a finite bf16 value beyond the fp16 range became +-inf in the bf16->fp16 cast (phase 1)"),
    FP16_OVFL_SATURATION("fp16_ovfl_saturation", true,
            "a finite fp16 result that overflowed was saturated to +-65504 by MODE.FP16_OVFL: in the cast (phase 1) or in "
                    + "the reduction sum (phase 2); elsewhere it would be +-inf"),
    SUM_OVERFLOW("sum_overflow", true,
            "the reduction of finite decoded contributions overflowed to +-inf (phase 2)"),
    RECIPROCAL_CLIFF("reciprocal_cliff", false,
            "1/(d+EPS) does not fit the compute format: the encoding scale saturated to +-max (the group is attenuated "
                    + "by the listed factor) or became +-inf (the group collapses onto +-M); all-zero groups are counted apart"),
    RCP_OVERFLOW_NONFINITE("rcp_overflow_nonfinite", false,
            "an infinite encoding scale turned finite values of the group into NaN or +-inf (the FP8 codec without "
                    + "saturation: all-zero groups and groups with absmax below about 240*2^-16)"),
    DECODE_OVERFLOW("decode_overflow", false,
            "a group of finite values with a finite encoding scale came back with NaN or +-inf: the decoded value left the "
                    + "format (the FP8 codec on groups whose absmax is close to the fp16 maximum)"),
    SCALE_UNDERFLOW("scale_underflow", false,
            "the decoding scale d = M*SF of a non-zero group is +-0 (every value decodes to zero) or subnormal (d itself "
                    + "has lost precision)"),
    ZERO_GROUP("zero_group", false,
            "every value of the group is +-0; its output is -0, +0 or, for FP8 without saturation, NaN"),
    NAN_INPUT("nan_input", true,
            "a NaN entered an encode: an integer codec decodes it to the group's M, the FP and FP8 codecs keep it NaN"),
    INF_INPUT("inf_input", true,
            "a +-inf entered an encode (in the input data, or in the reduced sum); it poisons the other values of its group");

    private final String id;
    private final boolean elementLevel;
    private final String description;

    Hazard(String id, boolean elementLevel, String description) {
        this.id = id;
        this.elementLevel = elementLevel;
        this.description = description;
    }

    /** The name in reports and in the JSON. */
    public String id() {
        return id;
    }

    /** Whether the hazard touches single elements (else the whole group it occurs in). */
    public boolean elementLevel() {
        return elementLevel;
    }

    public String description() {
        return description;
    }
}
