package dev.qrref.conformance.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Bars over intervals of an x axis (a histogram), heights from 0 to {@code yMax} with grid lines at 0, yMax/2 and yMax,
 * each bar with a tooltip.
 */
public final class BarChart {
    private final String title;
    private final String xLabel;
    private final Axis x;
    private final double yMax;
    private final DoubleFunction<String> yLabel;
    private final String colour;
    private final List<double[]> bars = new ArrayList<>();
    private final List<String> tips = new ArrayList<>();

    /**
     * @param yMax   top of the y axis (0 draws no bars)
     * @param yLabel label of a y grid value
     */
    public BarChart(String title, String xLabel, Axis x, double yMax, DoubleFunction<String> yLabel, String colour) {
        this.title = title;
        this.xLabel = xLabel;
        this.x = x;
        this.yMax = yMax;
        this.yLabel = yLabel;
        this.colour = colour;
    }

    /** A bar over [from, to] (x units) of height {@code value}. */
    public BarChart bar(double from, double to, double value, String tooltip) {
        bars.add(new double[]{from, to, value});
        tips.add(tooltip);
        return this;
    }

    public Svg render(double width, double height) {
        double left = 48;
        double right = 12;
        double top = 12;
        double bottom = 40;
        double pw = width - left - right;
        double ph = height - top - bottom;
        Svg s = new Svg(width, height, title);
        for (int k = 0; k <= 2; k++) {
            double gy = top + ph - ph * k / 2;
            s.line(left, gy, width - right, gy, "#EAEEF2", 1);
            s.text(left - 4, gy + 4, yLabel.apply(yMax * k / 2), 11, "end");
        }
        for (int i = 0; i < bars.size(); i++) {
            double[] b = bars.get(i);
            double x0 = left + pw * x.fraction(b[0]);
            double x1 = left + pw * x.fraction(b[1]);
            double h = yMax == 0 ? 0 : ph * b[2] / yMax;
            s.rect(x0 + 1, top + ph - h, Math.max(0.5, x1 - x0 - 2), h, colour, "none", tips.get(i));
        }
        double axisY = top + ph;
        s.line(left, axisY, width - right, axisY, "#57606A", 1);
        for (double t : x.ticks()) {
            double px = left + pw * x.fraction(t);
            s.line(px, axisY, px, axisY + 4, "#57606A", 1);
            s.text(px, axisY + 16, x.label().apply(t), 11, "middle");
        }
        s.text(left + pw / 2, height - 4, xLabel, 11, "middle");
        return s;
    }
}
