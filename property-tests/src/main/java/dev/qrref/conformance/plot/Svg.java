package dev.qrref.conformance.plot;

import java.util.Locale;

/**
 * The project's one SVG writer, for drawings (layouts, maps) and plots ({@link LinePlot}, {@link BarChart}) alike.
 * Self-contained output: no external fonts, stylesheets or scripts; text uses generic font families so that any viewer
 * renders it offline, and every style is an attribute, so the same drawing works as a file and inline in HTML.
 */
public final class Svg {
    public static final String SANS = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
    public static final String MONO = "DejaVu Sans Mono, Liberation Mono, Consolas, monospace";
    /** Text and axis grey. */
    public static final String INK = "#222";

    private final StringBuilder body = new StringBuilder();
    private final double width;
    private final double height;
    private final String title;

    public Svg(double width, double height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
    }

    public double width() {
        return width;
    }

    public double height() {
        return height;
    }

    /** XML-escapes text and attribute values. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A coordinate: integers as such, everything else with two decimals. */
    public static String n(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public Svg rect(double x, double y, double w, double h, String fill, String stroke) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1\"/>\n");
        return this;
    }

    /** A rectangle with a tooltip. */
    public Svg rect(double x, double y, double w, double h, String fill, String stroke, String tooltip) {
        body.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"1\"><title>").append(esc(tooltip)).append("</title></rect>\n");
        return this;
    }

    public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth) {
        return line(x1, y1, x2, y2, stroke, strokeWidth, null);
    }

    /** A line with a dash pattern ({@code "4 3"}), or solid for null. */
    public Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String dash) {
        body.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(strokeWidth)).append('"').append(dash == null ? "" : " stroke-dasharray=\"" + dash + "\"").append("/>\n");
        return this;
    }

    /** A thin dashed line (markers, references). */
    public Svg dashed(double x1, double y1, double x2, double y2, String stroke) {
        return line(x1, y1, x2, y2, stroke, 1, Stroke.DASHED);
    }

    public Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth) {
        return polyline(xs, ys, stroke, strokeWidth, null);
    }

    /** An open path through the points, solid for a null {@code dash}. */
    public Svg polyline(double[] xs, double[] ys, String stroke, double strokeWidth, String dash) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            pts.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        }
        body.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(strokeWidth))
                .append('"').append(dash == null ? "" : " stroke-dasharray=\"" + dash + "\"").append(" points=\"").append(pts)
                .append("\"/>\n");
        return this;
    }

    public Svg polygon(String points, String fill, String stroke) {
        body.append("<polygon points=\"").append(points).append("\" fill=\"").append(fill).append("\" stroke=\"")
                .append(stroke).append("\"/>\n");
        return this;
    }

    /** Text; {@code anchor} is start, middle or end. */
    public Svg text(double x, double y, String s, double size, String anchor, String family, String fill, boolean bold) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" font-family=\"").append(family).append("\" text-anchor=\"").append(anchor).append("\" fill=\"")
                .append(fill).append('"').append(bold ? " font-weight=\"bold\"" : "").append('>').append(esc(s))
                .append("</text>\n");
        return this;
    }

    public Svg text(double x, double y, String s, double size, String anchor) {
        return text(x, y, s, size, anchor, SANS, INK, false);
    }

    public Svg mono(double x, double y, String s, double size, String anchor) {
        return text(x, y, s, size, anchor, MONO, INK, false);
    }

    /** Vertical text, rotated -90 degrees about (x, y). */
    public Svg vtext(double x, double y, String s, double size) {
        body.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" font-family=\"").append(SANS).append("\" text-anchor=\"middle\" fill=\"").append(INK)
                .append("\" transform=\"rotate(-90 ").append(n(x)).append(' ').append(n(y)).append(")\">").append(esc(s))
                .append("</text>\n");
        return this;
    }

    /** A horizontal brace-like bracket from x1 to x2 at y, with a label below. */
    public Svg bracket(double x1, double x2, double y, String label, double size) {
        line(x1, y, x2, y, "#555", 1);
        line(x1, y - 4, x1, y, "#555", 1);
        line(x2, y - 4, x2, y, "#555", 1);
        text((x1 + x2) / 2, y + size + 2, label, size, "middle");
        return this;
    }

    /** A standalone SVG file. */
    public String render() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg(" xmlns=\"http://www.w3.org/2000/svg\"");
    }

    /**
     * The {@code <svg>} element alone, for embedding in HTML (which needs no namespace declaration); {@code cssClass}
     * may be null.
     */
    public String element(String cssClass) {
        return svg(cssClass == null ? "" : " class=\"" + esc(cssClass) + "\"");
    }

    private String svg(String attributes) {
        return "<svg" + attributes + " width=\"" + n(width) + "\" height=\"" + n(height)
                + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" role=\"img\" aria-label=\"" + esc(title) + "\">\n"
                + "<title>" + esc(title) + "</title>\n"
                + "<rect x=\"0\" y=\"0\" width=\"" + n(width) + "\" height=\"" + n(height) + "\" fill=\"#ffffff\"/>\n"
                + body
                + "</svg>\n";
    }

    /** Qualitative colours (colour-blind safe palette), cycled. */
    public static String colour(int i) {
        String[] p = {"#88CCEE", "#DDCC77", "#CC6677", "#117733", "#AA4499", "#44AA99", "#999933", "#882255"};
        return p[Math.floorMod(i, p.length)];
    }

    /** Lighter fills for large areas. */
    public static String pale(int i) {
        String[] p = {"#D6EEF8", "#F3EDD2", "#EFD3D7", "#CFE5D5", "#E8D1E3", "#D2EBE7", "#E9E9CC", "#E6C9D4"};
        return p[Math.floorMod(i, p.length)];
    }
}
