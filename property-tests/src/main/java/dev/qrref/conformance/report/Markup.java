package dev.qrref.conformance.report;

import java.util.Locale;

/** Escaping and number formatting shared by the XML, HTML and text writers. */
final class Markup {
    private Markup() {
    }

    /**
     * Escapes text for XML and HTML content and attribute values. Characters XML 1.0 forbids (control characters other
     * than tab, newline and carriage return; lone surrogates) become {@code ?}, so a stray byte in a backend's message
     * cannot make the whole file unreadable.
     */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xFFFE && !Character.isSurrogate(c))) {
                        b.append(c);
                    } else {
                        b.append('?');
                    }
                }
            }
        }
        return b.toString();
    }

    /** Seconds with three decimals, locale-independent. */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** A duration for people: 850 ms, 12.3 s, 4 min 05 s. */
    static String duration(double s) {
        if (s < 1) {
            return String.format(Locale.ROOT, "%.0f ms", s * 1000);
        }
        if (s < 120) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }

    /** A fraction as a percentage with enough digits to tell small bins apart. */
    static String percent(double fraction) {
        double p = 100 * fraction;
        if (p == 0) {
            return "0%";
        }
        return p >= 10 ? String.format(Locale.ROOT, "%.1f%%", p)
                : p >= 0.01 ? String.format(Locale.ROOT, "%.2f%%", p) : String.format(Locale.ROOT, "%.1e%%", p);
    }
}
