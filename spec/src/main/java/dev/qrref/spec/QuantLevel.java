package dev.qrref.spec;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The codec a call uses on the wire, numbered as in the seed's {@code QuickReduceQuantLevel}
 * ({@code F16=0, INT8=1, INT6=2, INT4=3}). Codes 4 (INT3 in vLLM/aiter) and an FP8 level are reserved.
 */
public enum QuantLevel {
    /** No quantization: raw 16-bit vectors on the wire (the "FP" codec). */
    F16(0, "fp"),
    /** 8-bit codes, groups of 32, one 16-bit scale each. */
    INT8(1, "int8"),
    /** 6-bit codes split into a nibble plane and a 2-bit plane. */
    INT6(2, "int6"),
    /** 4-bit codes. */
    INT4(3, "int4");

    /** The integer the C ABI and the seed use. */
    public final int code;
    private final String cliName;

    QuantLevel(int code, String cliName) {
        this.code = code;
        this.cliName = cliName;
    }

    /** Lower-case name used on the command line and in reports ({@code fp}, {@code int8}, …). */
    public String cliName() {
        return cliName;
    }

    /** The atom-block layout of this codec. */
    public CodecLayout layout() {
        return CodecLayout.of(this);
    }

    public boolean quantized() {
        return this != F16;
    }

    public static QuantLevel fromCode(int code) {
        for (QuantLevel q : values()) {
            if (q.code == code) {
                return q;
            }
        }
        throw new InvalidArgumentException("unknown quant level " + code + " (expected one of "
                + Arrays.stream(values()).map(q -> q.code + "=" + q.cliName).collect(Collectors.joining(", ")) + ")");
    }

    public static QuantLevel fromName(String name) {
        return Names.lookup(values(), name, "codec", QuantLevel::cliName);
    }
}
