package dev.qrref.spec;

/**
 * One named constant of the specification: its bits, what they mean and where the number comes from.
 *
 * <p>Every number the kernels, the CPU model and the documentation share is declared once as a {@code Constant}
 * (see {@link Constants#all()}); the C header {@code kernels/include/qr_spec.h} and the documentation tables are
 * generated from that list.
 *
 * @param name       C-style identifier, also used in the generated header ({@code QR_} prefix added there)
 * @param value      the bits, zero-extended to 64 bits
 * @param widthBits  how many of those bits are meaningful (8, 16, 32 or 64)
 * @param meaning    the decoded value in words, e.g. {@code "-1/8 (fp16)"} or {@code "32768 bytes"}
 * @param derivation how the number follows from others, or where it was taken from
 * @param group      documentation section the constant belongs to
 */
public record Constant(String name, long value, int widthBits, String meaning, String derivation, String group) {

    public Constant {
        if (!name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("constant name must be UPPER_SNAKE: " + name);
        }
        if (widthBits != 8 && widthBits != 16 && widthBits != 32 && widthBits != 64) {
            throw new IllegalArgumentException("width must be 8, 16, 32 or 64 bits: " + widthBits);
        }
        if (widthBits < 64 && (value >>> widthBits) != 0) {
            throw new IllegalArgumentException(name + " = 0x" + Long.toHexString(value) + " does not fit " + widthBits + " bits");
        }
    }

    /** The value as hex with the width's digit count, e.g. {@code 0xB000}. */
    public String hex() {
        return String.format("0x%0" + (widthBits / 4) + "X", value);
    }
}
