package dev.qrref.conformance.plot;

/**
 * How a series is drawn: colour, width and dash pattern ({@code stroke-dasharray}, null for solid).
 *
 * @param colour any SVG colour
 * @param width  stroke width in pixels
 * @param dash   dash pattern such as {@code "4 3"}, or null
 */
public record Stroke(String colour, double width, String dash) {
    /** The dash of markers and dashed series. */
    public static final String DASHED = "4 3";
    /** A dotted pattern, e.g. for reference curves. */
    public static final String DOTTED = "1 3";

    public static Stroke solid(String colour) {
        return new Stroke(colour, 2, null);
    }

    public static Stroke dashed(String colour) {
        return new Stroke(colour, 2, DASHED);
    }
}
