package dev.qrref.conformance.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * A line plot: framed axes with ticks and grid lines, series as polylines (broken at NaN and infinite points, clipped
 * to the y range), vertical and horizontal markers, and a legend at the right. {@link #render()} draws a standalone
 * plot; {@link #drawPanel} draws the plot area into a region of a larger drawing (small multiples).
 */
public final class LinePlot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Axis x;
    private final Axis y;
    private double width = 760;
    private double height = 400;

    private record Series(String name, double[] xs, double[] ys, Stroke stroke) {
    }

    private record Marker(double at, String label, Stroke stroke) {
    }

    private final List<Series> series = new ArrayList<>();
    private final List<Marker> vertical = new ArrayList<>();
    private final List<Marker> horizontal = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel, Axis x, Axis y) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.x = x;
        this.y = y;
    }

    /** Size of the standalone drawing (default 760 x 400). */
    public LinePlot size(double w, double h) {
        this.width = w;
        this.height = h;
        return this;
    }

    /** A series; {@code name} null keeps it out of the legend. */
    public LinePlot series(String name, double[] xs, double[] ys, Stroke stroke) {
        series.add(new Series(name, xs, ys, stroke));
        return this;
    }

    /** A labelled dashed vertical line at {@code at} (x units). */
    public LinePlot vline(double at, String label) {
        vertical.add(new Marker(at, label, new Stroke("#777", 1, Stroke.DASHED)));
        return this;
    }

    /** A horizontal reference line at {@code at} (y units). */
    public LinePlot hline(double at, String label, Stroke stroke) {
        horizontal.add(new Marker(at, label, stroke));
        return this;
    }

    public Svg render() {
        double left = 70;
        double right = 200;
        double top = 40;
        double bottom = 55;
        double pw = width - left - right;
        double ph = height - top - bottom;
        Svg s = new Svg(width, height, title);
        s.text(left, 22, title, 13, "start", Svg.SANS, Svg.INK, true);
        drawPanel(s, left, top, pw, ph, 10.5);
        s.text(left + pw / 2, height - 14, xLabel, 12, "middle");
        s.vtext(18, top + ph / 2, yLabel, 12);
        legend(s, left + pw + 15, top + 10);
        return s;
    }

    /** The plot area (frame, ticks, grid, markers, series) at (left, top), {@code pw} x {@code ph}, in {@code s}. */
    public void drawPanel(Svg s, double left, double top, double pw, double ph, double tickSize) {
        s.rect(left, top, pw, ph, "#FFFFFF", "#444");
        for (double t : x.ticks()) {
            double px = left + x.fraction(t) * pw;
            s.line(px, top + ph, px, top + ph + 5, "#444", 1);
            s.line(px, top, px, top + ph, "#EEEEEE", 1);
            s.text(px, top + ph + 8 + tickSize, x.label().apply(t), tickSize, "middle");
        }
        for (double t : y.ticks()) {
            double py = top + ph - y.fraction(t) * ph;
            s.line(left - 5, py, left, py, "#444", 1);
            s.line(left, py, left + pw, py, "#EEEEEE", 1);
            s.text(left - 8, py + 4, y.label().apply(t), tickSize, "end");
        }
        s.rect(left, top, pw, ph, "none", "#444");
        for (int i = 0; i < vertical.size(); i++) {
            Marker m = vertical.get(i);
            double px = left + x.fraction(m.at) * pw;
            s.line(px, top, px, top + ph, m.stroke.colour(), m.stroke.width(), m.stroke.dash());
            s.text(px + 3, top + 12 + 12 * i, m.label, 10, "start");
        }
        for (Marker m : horizontal) {
            double py = top + ph - y.fraction(m.at) * ph;
            s.line(left, py, left + pw, py, m.stroke.colour(), m.stroke.width(), m.stroke.dash());
        }
        for (Series se : series) {
            List<double[]> run = new ArrayList<>();
            for (int k = 0; k < se.xs.length; k++) {
                double yv = se.ys[k];
                if (Double.isNaN(yv) || Double.isInfinite(yv)) {
                    flush(s, run, se.stroke);
                    continue;
                }
                yv = Math.max(y.lo(), Math.min(y.hi(), yv));
                run.add(new double[]{left + x.fraction(se.xs[k]) * pw, top + ph - y.fraction(yv) * ph});
            }
            flush(s, run, se.stroke);
        }
    }

    /** The legend of the named series and horizontal markers, one entry per 18 px from (x, y). */
    public double legend(Svg s, double lx, double ly) {
        List<Marker> entries = new ArrayList<>();
        for (Series se : series) {
            if (se.name != null) {
                entries.add(new Marker(0, se.name, se.stroke));
            }
        }
        for (Marker m : horizontal) {
            if (m.label != null) {
                entries.add(m);
            }
        }
        for (Marker e : entries) {
            s.line(lx, ly, lx + 25, ly, e.stroke.colour(), Math.max(2, e.stroke.width()), e.stroke.dash());
            s.text(lx + 31, ly + 4, e.label, 11, "start");
            ly += 18;
        }
        return ly;
    }

    private static void flush(Svg s, List<double[]> run, Stroke stroke) {
        if (run.size() >= 2) {
            double[] xs = new double[run.size()];
            double[] ys = new double[run.size()];
            for (int k = 0; k < run.size(); k++) {
                xs[k] = run.get(k)[0];
                ys[k] = run.get(k)[1];
            }
            s.polyline(xs, ys, stroke.colour(), stroke.width(), stroke.dash());
        }
        run.clear();
    }
}
