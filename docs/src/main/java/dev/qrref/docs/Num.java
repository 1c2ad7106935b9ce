package dev.qrref.docs;

import dev.qrref.spec.Format16;
import java.math.BigDecimal;
import java.util.Locale;

/** Number formatting for the generated pages: exact decimals, short decimals, bit fields. */
final class Num {
    private Num() {
    }

    /** The exact decimal expansion of a double (fp16 and bf16 values and their products are short). */
    static String exact(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v > 0 ? "0" : "-0";
        }
        String s = new BigDecimal(v).toPlainString();
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** A short decimal (6 significant digits). */
    static String g(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v > 0 ? "0" : "-0";
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            String[] p = s.split("e");
            return strip(p[0]) + "e" + Integer.parseInt(p[1]);
        }
        return strip(s);
    }

    private static String strip(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A value with its bits: {@code -0.3125 (0xB500)}. */
    static String show(Format16 f, int bits) {
        return exact(f.toDouble(bits)) + " (" + Format16.hex(bits) + ")";
    }

    /** The fields of a 16-bit pattern: {@code 1 01101 0100000000}. */
    static String fields(Format16 f, int bits) {
        String b = String.format("%16s", Integer.toBinaryString(bits & 0xFFFF)).replace(' ', '0');
        return b.charAt(0) + " " + b.substring(1, 1 + f.exponentBits) + " " + b.substring(1 + f.exponentBits);
    }

    /** {@code (-1)^s × 1.f × 2^(e-bias)} spelled out for a normal number, or the subnormal form. */
    static String scientific(Format16 f, int bits) {
        double v = f.toDouble(bits);
        if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
            return exact(v);
        }
        int exp = (bits & f.exponentMask) >>> f.fractionBits;
        int frac = bits & f.fractionMask;
        String sign = f.isNegative(bits) ? "-" : "+";
        if (exp == 0) {
            return sign + "0." + exact((double) frac / (1 << f.fractionBits)).replaceFirst("^0\\.", "") + " × 2^" + (1 - f.exponentBias)
                    + " (subnormal)";
        }
        double m = 1.0 + (double) frac / (1 << f.fractionBits);
        return sign + exact(m) + " × 2^" + (exp - f.exponentBias);
    }

    static String binary(int v, int width) {
        String s = Integer.toBinaryString(v & ((1 << width) - 1));
        return "0".repeat(width - s.length()) + s;
    }

    static String hexBytes(byte[] b, int at, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b[at + i] & 0xFF));
        }
        return s.toString();
    }
}
