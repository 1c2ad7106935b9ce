package dev.qrref.docs;

import java.util.List;
import java.util.Locale;

/**
 * Small helpers for writing AsciiDoc: escaping text so that Asciidoctor prints it as it is, and tables.
 *
 * <p>Text from the spec and the model (rule statements, derivations, trace lines) contains characters that AsciiDoc
 * would read as markup ({@code |} ends a table cell, {@code *} and {@code _} start emphasis, {@code {x}} is an attribute
 * reference, {@code +} passes text through). {@link #text} replaces each of them by its numeric character reference,
 * which Asciidoctor passes to the HTML unchanged.
 */
final class Adoc {
    private Adoc() {
    }

    /** Text with every AsciiDoc markup character replaced by a character reference. */
    static String text(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '|', '*', '_', '`', '#', '^', '~', '+', '{', '}', '[', ']', '\\', '\'', '"', '=' ->
                        out.append("&#").append((int) c).append(';');
                case '-' -> {
                    // "--" would become an em dash and "->" an arrow: keep the characters as written
                    boolean next = i + 1 < s.length() && (s.charAt(i + 1) == '-' || s.charAt(i + 1) == '>');
                    out.append(next ? "&#45;" : "-");
                }
                case '.' -> {
                    boolean ellipsis = i + 2 < s.length() && s.charAt(i + 1) == '.' && s.charAt(i + 2) == '.';
                    out.append(ellipsis ? "&#46;" : ".");
                }
                case '(' -> out.append(i + 2 < s.length() && s.charAt(i + 2) == ')' ? "&#40;" : "(");
                case '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Monospace text. */
    static String mono(String s) {
        return "``" + text(s) + "``";
    }

    /**
     * A table: {@code cols} is the AsciiDoc cols spec (e.g. {@code "1,1,3"}); header cells are plain text (escaped here),
     * body cells are AsciiDoc (callers escape them with {@link #text} or {@link #mono}).
     */
    static String table(String title, String cols, List<String> header, List<List<String>> rows) {
        return table(title, cols, header, rows, "");
    }

    static String table(String title, String cols, List<String> header, List<List<String>> rows, String extraOptions) {
        return table(title, cols, header, rows, extraOptions, "");
    }

    /** As above; {@code role} (e.g. {@code small}) becomes the table's CSS class. */
    static String table(String title, String cols, List<String> header, List<List<String>> rows, String extraOptions,
                        String role) {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isEmpty()) {
            sb.append('.').append(text(title)).append('\n');
        }
        sb.append("[").append(role.isEmpty() ? "" : "." + role + ",").append("cols=\"").append(cols)
                .append("\",options=\"header").append(extraOptions).append("\"]\n|===\n");
        if (cols.split(",").length != header.size()) {
            throw new IllegalArgumentException("cols \"" + cols + "\" does not match " + header.size() + " header cells " + header);
        }
        for (String h : header) {
            sb.append("|").append(text(h)).append(' ');
        }
        sb.append("\n\n");
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size() + ": " + row);
            }
            for (String cell : row) {
                sb.append("|").append(cell).append('\n');
            }
            sb.append('\n');
        }
        sb.append("|===\n\n");
        return sb.toString();
    }

    /** A literal block (no substitutions at all): for traces and hex dumps. */
    static String literal(String title, String body) {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isEmpty()) {
            sb.append('.').append(title).append('\n');
        }
        String fence = "....";
        while (body.contains("\n" + fence + "\n") || body.startsWith(fence + "\n")) {
            fence += ".";
        }
        sb.append(fence).append('\n').append(body.endsWith("\n") ? body : body + "\n").append(fence).append("\n\n");
        return sb.toString();
    }

    /** A block image with a quoted alt text (commas in it would otherwise become width and height) and a role. */
    static String image(String target, String alt, String role) {
        return "image::" + target + "[\"" + alt.replace("\\", "").replace("\"", "'") + "\",role=" + role + "]\n\n";
    }

    /** An attribute definition line; the value is escaped. */
    static String attr(String name, String value) {
        return ":" + name + ": " + text(value) + "\n";
    }

    /** An anchor-safe id from free text. */
    static String id(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
