package dev.qrref.docs;

import java.util.ArrayList;
import java.util.List;

/** A line plot drawn as SVG: axes with ticks, series as polylines, vertical markers and a legend. */
final class Plot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double x0;
    private final double x1;
    private final double y0;
    private final double y1;
    /** x values are log10 of the quantity; ticks are labelled 10^k. */
    boolean logX;
    /** y values are log10 of the quantity; ticks are labelled 10^k. */
    boolean logY;
    double width = 760;
    double height = 400;

    private record Series(String name, double[] xs, double[] ys, String colour, boolean dashed) {
    }

    private record Marker(double x, String label) {
    }

    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    Plot(String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.x0 = x0;
        this.x1 = x1;
        this.y0 = y0;
        this.y1 = y1;
    }

    void series(String name, double[] xs, double[] ys, String colour, boolean dashed) {
        series.add(new Series(name, xs, ys, colour, dashed));
    }

    void vline(double x, String label) {
        markers.add(new Marker(x, label));
    }

    Svg render() {
        double left = 70;
        double right = 200;
        double top = 40;
        double bottom = 55;
        double pw = width - left - right;
        double ph = height - top - bottom;
        Svg s = new Svg(width, height, title);
        s.text(left, 22, title, 13, "start", Svg.SANS, "#222", true);
        s.rect(left, top, pw, ph, "#FFFFFF", "#444");
        // ticks
        for (double t : ticks(x0, x1, logX)) {
            double x = left + (t - x0) / (x1 - x0) * pw;
            s.line(x, top + ph, x, top + ph + 5, "#444", 1);
            s.line(x, top, x, top + ph, "#EEEEEE", 1);
            s.text(x, top + ph + 18, label(t, logX), 10.5, "middle");
        }
        for (double t : ticks(y0, y1, logY)) {
            double y = top + ph - (t - y0) / (y1 - y0) * ph;
            s.line(left - 5, y, left, y, "#444", 1);
            s.line(left, y, left + pw, y, "#EEEEEE", 1);
            s.text(left - 8, y + 4, label(t, logY), 10.5, "end");
        }
        s.rect(left, top, pw, ph, "none", "#444");
        s.text(left + pw / 2, height - 14, xLabel, 12, "middle");
        s.vtext(18, top + ph / 2, yLabel, 12);
        for (Marker m : markers) {
            double x = left + (m.x - x0) / (x1 - x0) * pw;
            s.dashed(x, top, x, top + ph, "#777");
            s.text(x + 3, top + 12 + 12 * markers.indexOf(m), m.label, 10, "start");
        }
        int i = 0;
        for (Series se : series) {
            List<double[]> run = new ArrayList<>();
            for (int k = 0; k < se.xs.length; k++) {
                double xv = se.xs[k];
                double yv = se.ys[k];
                if (Double.isNaN(yv) || Double.isInfinite(yv)) {
                    flush(s, run, se);
                    continue;
                }
                yv = Math.max(y0, Math.min(y1, yv));
                run.add(new double[]{left + (xv - x0) / (x1 - x0) * pw, top + ph - (yv - y0) / (y1 - y0) * ph});
            }
            flush(s, run, se);
            double ly = top + 10 + i * 18;
            if (se.dashed) {
                s.dashed(left + pw + 15, ly, left + pw + 40, ly, se.colour);
                s.dashed(left + pw + 15, ly + 1, left + pw + 40, ly + 1, se.colour);
            } else {
                s.line(left + pw + 15, ly, left + pw + 40, ly, se.colour, 2.5);
            }
            s.text(left + pw + 46, ly + 4, se.name, 11, "start");
            i++;
        }
        return s;
    }

    private static void flush(Svg s, List<double[]> run, Series se) {
        if (run.size() >= 2) {
            double[] xs = new double[run.size()];
            double[] ys = new double[run.size()];
            for (int k = 0; k < run.size(); k++) {
                xs[k] = run.get(k)[0];
                ys[k] = run.get(k)[1];
            }
            if (se.dashed) {
                dashedPolyline(s, xs, ys, se.colour);
            } else {
                s.polyline(xs, ys, se.colour, 2);
            }
        }
        run.clear();
    }

    private static void dashedPolyline(Svg s, double[] xs, double[] ys, String colour) {
        for (int k = 1; k < xs.length; k++) {
            s.dashed(xs[k - 1], ys[k - 1], xs[k], ys[k], colour);
        }
    }

    static List<Double> ticks(double lo, double hi, boolean log) {
        List<Double> out = new ArrayList<>();
        if (log) {
            for (double t = Math.ceil(lo); t <= hi + 1e-9; t++) {
                out.add(t);
            }
            return out;
        }
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        if (span / step > 10) {
            step *= 2;
        }
        if (span / step > 10) {
            step *= 2.5;
        }
        for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
            out.add(Math.abs(t) < 1e-12 ? 0 : t);
        }
        return out;
    }

    static String label(double t, boolean log) {
        if (log) {
            return "1e" + (long) Math.rint(t);
        }
        return Num.g(Math.rint(t * 1e6) / 1e6);
    }
}
