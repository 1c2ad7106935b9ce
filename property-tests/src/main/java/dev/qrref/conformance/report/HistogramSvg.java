package dev.qrref.conformance.report;

import static dev.qrref.conformance.report.Markup.escape;

import dev.qrref.conformance.SuiteResult;
import java.util.Locale;

/**
 * One codec's error histogram as an inline SVG bar chart. The x axis is logarithmic: bin i spans
 * (HISTOGRAM_BINS[i-1], HISTOGRAM_BINS[i]]; the first bin (everything up to the first edge, exact results included)
 * and the open last bin are drawn half a decade wide. Bar heights are fractions of all elements.
 */
final class HistogramSvg {
    private HistogramSvg() {
    }

    private static final int WIDTH = 520;
    private static final int HEIGHT = 200;
    private static final int LEFT = 48;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;
    /** How far the first and the open last bin reach beyond their one finite edge, in decades. */
    private static final double END_DECADES = 0.5;

    static String render(String codec, long[] counts) {
        double[] edges = SuiteResult.HISTOGRAM_BINS;
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double lo = Math.log10(edges[0]) - END_DECADES;
        double hi = Math.log10(edges[edges.length - 1]) + END_DECADES;
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double maxFraction = 0;
        for (long c : counts) {
            maxFraction = Math.max(maxFraction, total == 0 ? 0 : (double) c / total);
        }
        double yMax = niceCeiling(maxFraction);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg class=\"hist\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT, escape("error histogram of " + codec + ", " + total + " elements")));
        s.append("<title>").append(escape(codec + ": |output - exact sum| / rms(exact sum), " + total + " elements")).append("</title>\n");
        // y grid and labels: 0, yMax/2, yMax
        for (int k = 0; k <= 2; k++) {
            double f = yMax * k / 2;
            double y = TOP + plotH - plotH * k / 2;
            s.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>", LEFT, y, WIDTH - RIGHT, y));
            s.append(String.format(Locale.ROOT, "<text class=\"ylab\" x=\"%d\" y=\"%.1f\">%s</text>%n", LEFT - 4, y + 4, Markup.percent(f)));
        }
        for (int i = 0; i < counts.length; i++) {
            double from = i == 0 ? lo : Math.log10(edges[i - 1]);
            double to = i < edges.length ? Math.log10(edges[i]) : hi;
            double x0 = LEFT + plotW * (from - lo) / (hi - lo);
            double x1 = LEFT + plotW * (to - lo) / (hi - lo);
            double fraction = total == 0 ? 0 : (double) counts[i] / total;
            double h = yMax == 0 ? 0 : plotH * fraction / yMax;
            String range = i == 0 ? "<= " + edge(edges[0]) : i < edges.length ? edge(edges[i - 1]) + " .. " + edge(edges[i])
                    : "> " + edge(edges[edges.length - 1]);
            s.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">", x0 + 1,
                    TOP + plotH - h, Math.max(0.5, x1 - x0 - 2), h));
            s.append("<title>").append(escape(range + ": " + counts[i] + " (" + Markup.percent(fraction) + ")")).append("</title></rect>\n");
        }
        double axisY = TOP + plotH;
        s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>%n", LEFT, axisY, WIDTH - RIGHT, axisY));
        // decade ticks 1e-5 .. 1
        for (int d = (int) Math.ceil(lo); d <= Math.floor(hi); d++) {
            double x = LEFT + plotW * (d - lo) / (hi - lo);
            s.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, axisY, x, axisY + 4));
            s.append(String.format(Locale.ROOT, "<text class=\"xlab\" x=\"%.1f\" y=\"%.1f\">%s</text>%n", x, axisY + 16, d == 0 ? "1" : "1e" + d));
        }
        s.append(String.format(Locale.ROOT, "<text class=\"xtitle\" x=\"%.1f\" y=\"%d\">|error| / rms(exact sum), log scale</text>%n",
                LEFT + plotW / 2, HEIGHT - 4));
        s.append("</svg>\n");
        return s.toString();
    }

    private static String edge(double e) {
        return e >= 1 ? String.format(Locale.ROOT, "%.0f", e) : String.format(Locale.ROOT, "%.0e", e);
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code f} (0 stays 0). */
    static double niceCeiling(double f) {
        if (f <= 0) {
            return 0;
        }
        double p = Math.pow(10, Math.floor(Math.log10(f)));
        for (double m : new double[]{1, 2, 5, 10}) {
            if (m * p >= f * (1 - 1e-12)) {
                return Math.min(1, m * p);
            }
        }
        return 1;
    }
}
