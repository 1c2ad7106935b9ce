package dev.qrref.spec;

/** The element type of the tensors handed to an all-reduce (always 2 bytes per element). */
public enum DType {
    FP16(0, Format16.FP16, "<f2"),
    BF16(1, Format16.BF16, "<u2");

    /** The integer the C ABI uses. */
    public final int code;
    public final Format16 format;
    /** The NumPy {@code descr} of a {@code .npy} file holding this type (bf16 travels as raw {@code uint16} bits). */
    public final String npyDescr;

    DType(int code, Format16 format, String npyDescr) {
        this.code = code;
        this.format = format;
        this.npyDescr = npyDescr;
    }

    public String id() {
        return format.id();
    }

    public static DType fromName(String name) {
        return Names.lookup(values(), name, "dtype", DType::id);
    }

    public static DType fromCode(int code) {
        for (DType d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new InvalidArgumentException("unknown dtype code " + code);
    }
}
