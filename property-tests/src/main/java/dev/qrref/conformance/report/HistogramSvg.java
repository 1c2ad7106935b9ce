package dev.qrref.conformance.report;

import dev.qrref.conformance.SuiteResult;
import dev.qrref.conformance.plot.Axis;
import dev.qrref.conformance.plot.BarChart;
import java.util.Locale;

/**
 * One codec's error histogram as an inline SVG bar chart ({@link BarChart}). The x axis is logarithmic: bin i spans
 * (HISTOGRAM_BINS[i-1], HISTOGRAM_BINS[i]]; the first bin (everything up to the first edge, exact results included)
 * and the open last bin are drawn half a decade wide. Bar heights are fractions of all elements.
 */
final class HistogramSvg {
    private HistogramSvg() {
    }

    private static final int WIDTH = 520;
    private static final int HEIGHT = 200;
    private static final String BAR = "#0969DA";
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
        double maxFraction = 0;
        for (long c : counts) {
            maxFraction = Math.max(maxFraction, total == 0 ? 0 : (double) c / total);
        }
        Axis decades = Axis.log10(lo, hi, d -> d == 0 ? "1" : "1e" + (long) Math.rint(d));
        BarChart chart = new BarChart(codec + ": |output - exact sum| / rms(exact sum), " + total + " elements",
                "|error| / rms(exact sum), log scale", decades, niceCeiling(maxFraction), Markup::percent, BAR);
        for (int i = 0; i < counts.length; i++) {
            double from = i == 0 ? lo : Math.log10(edges[i - 1]);
            double to = i < edges.length ? Math.log10(edges[i]) : hi;
            double fraction = total == 0 ? 0 : (double) counts[i] / total;
            String range = i == 0 ? "<= " + edge(edges[0]) : i < edges.length ? edge(edges[i - 1]) + " .. " + edge(edges[i])
                    : "> " + edge(edges[edges.length - 1]);
            chart.bar(from, to, fraction, range + ": " + counts[i] + " (" + Markup.percent(fraction) + ")");
        }
        return chart.render(WIDTH, HEIGHT).element("hist");
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
