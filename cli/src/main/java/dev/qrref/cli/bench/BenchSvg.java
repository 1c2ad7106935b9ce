package dev.qrref.cli.bench;

import dev.qrref.conformance.plot.Axis;
import dev.qrref.conformance.plot.LinePlot;
import dev.qrref.conformance.plot.Stroke;
import dev.qrref.conformance.plot.Svg;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The benchmark plot, drawn with the project's plotter ({@link LinePlot}): one column per codec; top row the median
 * latency against the size (log-log, one line per W and data path, the bound dotted), bottom row bound / measured
 * in percent with the 80 % target.
 */
public final class BenchSvg {
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 220;
    private static final int LEFT = 60;
    private static final int TOP = 50;
    private static final int GAP_X = 40;
    private static final int GAP_Y = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};
    private static final String TARGET_COLOUR = "#ff7f0e";
    private static final String BF16_DASH = "5 3";
    private static final String TARGET_DASH = "6 3";

    private BenchSvg() {
    }

    public static String render(String title, List<BenchRow> rows) {
        List<QuantLevel> codecs = rows.stream().map(BenchRow::codec).distinct().sorted().toList();
        List<Integer> worlds = rows.stream().map(BenchRow::worldSize).distinct().sorted().toList();
        TreeSet<Long> sizes = new TreeSet<>();
        rows.forEach(r -> sizes.add(r.n()));
        double minN = sizes.isEmpty() ? 1 : sizes.first();
        double maxN = sizes.isEmpty() ? 2 : Math.max(sizes.last(), minN * 2);
        double minT = Double.MAX_VALUE;
        double maxT = 0;
        double maxRatio = 1.0;
        for (BenchRow r : rows) {
            minT = Math.min(minT, Math.min(r.medianUs(), r.boundUs()));
            maxT = Math.max(maxT, Math.max(r.medianUs(), r.boundUs()));
            maxRatio = Math.max(maxRatio, r.ratio());
        }
        if (rows.isEmpty()) {
            minT = 1;
            maxT = 10;
        }
        double rHi = Math.ceil(maxRatio * 4) / 4;
        List<Double> sizeTicks = new ArrayList<>();
        for (long n : sizes) {
            if (Long.numberOfTrailingZeros(n) % 2 == 0 || n == sizes.first()) {
                sizeTicks.add(Math.log10(n));
            }
        }
        Axis x = new Axis(Math.log10(minN), Math.log10(maxN), sizeTicks, t -> sizeLabel(Math.round(Math.pow(10, t))));
        Axis latency = Axis.log10(Math.floor(Math.log10(minT)), Math.ceil(Math.log10(maxT)), k -> fmt(Math.pow(10, k)));
        Axis ratio = Axis.linear(0, rHi, 0.25, r -> String.format(Locale.ROOT, "%.0f", r * 100));
        int width = LEFT + codecs.size() * (PANEL_W + GAP_X) + 120;
        int height = TOP + 2 * (PANEL_H + GAP_Y) + 20;
        Svg s = new Svg(width, height, title);
        s.text(LEFT, 20, title, 14, "start");
        for (int c = 0; c < codecs.size(); c++) {
            QuantLevel q = codecs.get(c);
            LinePlot top = new LinePlot(q.cliName() + ": median latency (us)", "", "", x, latency);
            LinePlot bottom = new LinePlot(q.cliName() + ": bound / measured (%)", "", "", x, ratio);
            bottom.hline(BenchReport.TARGET_INT, null, new Stroke(TARGET_COLOUR, 1, TARGET_DASH));
            for (int wi = 0; wi < worlds.size(); wi++) {
                int w = worlds.get(wi);
                String colour = COLOURS[wi % COLOURS.length];
                for (DataPath p : List.of(DataPath.FP16, DataPath.BF16_CAST)) {
                    List<BenchRow> series = rows.stream().filter(r -> r.codec() == q && r.worldSize() == w && r.path() == p).toList();
                    if (series.isEmpty()) {
                        continue;
                    }
                    double[] xs = series.stream().mapToDouble(r -> Math.log10(r.n())).toArray();
                    Stroke line = new Stroke(colour, 1.8, p == DataPath.BF16_CAST ? BF16_DASH : null);
                    top.series(null, xs, series.stream().mapToDouble(r -> Math.log10(r.medianUs())).toArray(), line);
                    bottom.series(null, xs, series.stream().mapToDouble(BenchRow::ratio).toArray(), line);
                    if (p == DataPath.FP16) {
                        top.series(null, xs, series.stream().mapToDouble(r -> Math.log10(r.boundUs())).toArray(),
                                new Stroke(colour, 1.2, Stroke.DOTTED));
                    }
                }
            }
            int x0 = LEFT + c * (PANEL_W + GAP_X);
            int yBottom = TOP + PANEL_H + GAP_Y;
            s.text(x0, TOP - 6, q.cliName() + ": median latency (us)", 12, "start");
            top.drawPanel(s, x0, TOP, PANEL_W, PANEL_H, 11);
            s.text(x0, yBottom - 6, q.cliName() + ": bound / measured (%)", 12, "start");
            bottom.drawPanel(s, x0, yBottom, PANEL_W, PANEL_H, 11);
        }
        // legend
        int lx = LEFT + codecs.size() * (PANEL_W + GAP_X);
        int ly = TOP + 10;
        for (int wi = 0; wi < worlds.size(); wi++) {
            String colour = COLOURS[wi % COLOURS.length];
            legend(s, lx, ly, colour, null, "W=" + worlds.get(wi) + " fp16");
            legend(s, lx, ly + 16, colour, BF16_DASH, "W=" + worlds.get(wi) + " bf16-cast");
            legend(s, lx, ly + 32, colour, Stroke.DOTTED, "W=" + worlds.get(wi) + " bound");
            ly += 56;
        }
        legend(s, lx, ly, TARGET_COLOUR, TARGET_DASH, "80 % target (INT4, INT6)");
        return s.render();
    }

    private static void legend(Svg s, int x, int y, String colour, String dash, String label) {
        s.line(x, y, x + 24, y, colour, 1.8, dash);
        s.text(x + 30, y + 4, label, 11, "start");
    }

    static String sizeLabel(long n) {
        if (n >= 1L << 20 && n % (1L << 20) == 0) {
            return (n >> 20) + "Mi";
        }
        if (n >= 1L << 10 && n % (1L << 10) == 0) {
            return (n >> 10) + "Ki";
        }
        return Long.toString(n);
    }

    private static String fmt(double t) {
        return t >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.2g", t);
    }
}
