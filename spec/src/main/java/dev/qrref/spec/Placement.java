package dev.qrref.spec;

/** Where the ranks of an in-process GPU group run ({@code qr_group_create}, C ABI codes {@code QR_GROUP_*}). */
public enum Placement {
    /** W GPUs when at least W are present and all pairs have peer access, else one GPU. */
    AUTO(0, "auto"),
    /** Every rank on one GPU, one stream each. */
    ONE_GPU(1, "one GPU"),
    /** Rank r on GPU r; fails when fewer than W GPUs or no peer access. */
    MULTI_GPU(2, "one GPU per rank");

    /** The integer the C ABI uses. */
    public final int code;
    public final String description;

    Placement(int code, String description) {
        this.code = code;
        this.description = description;
    }
}
