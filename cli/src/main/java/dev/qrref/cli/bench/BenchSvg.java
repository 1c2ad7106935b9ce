package dev.qrref.cli.bench;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The benchmark plot as SVG, written directly: one column per codec; top row the median latency against the size
 * (log-log, one line per W and data path, the bound dotted), bottom row bound / measured in percent with the 80 %
 * target.
 */
public final class BenchSvg {
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 220;
    private static final int LEFT = 60;
    private static final int TOP = 50;
    private static final int GAP_X = 40;
    private static final int GAP_Y = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd"};

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
        double tLo = Math.pow(10, Math.floor(Math.log10(minT)));
        double tHi = Math.pow(10, Math.ceil(Math.log10(maxT)));
        double rHi = Math.ceil(maxRatio * 4) / 4;
        int width = LEFT + codecs.size() * (PANEL_W + GAP_X) + 120;
        int height = TOP + 2 * (PANEL_H + GAP_Y) + 20;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                + "font-size=\"11\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, esc(title)));
        for (int c = 0; c < codecs.size(); c++) {
            QuantLevel q = codecs.get(c);
            int x0 = LEFT + c * (PANEL_W + GAP_X);
            int yTop = TOP;
            int yBot = TOP + PANEL_H + GAP_Y;
            frame(s, x0, yTop, q.cliName() + ": median latency (us)");
            frame(s, x0, yBot, q.cliName() + ": bound / measured (%)");
            // axes ticks
            for (double t = tLo; t <= tHi * 1.0001; t *= 10) {
                double y = yTop + PANEL_H - PANEL_H * (Math.log10(t / tLo) / Math.log10(tHi / tLo));
                gridLine(s, x0, y, fmt(t));
            }
            for (double rr = 0; rr <= rHi + 1e-9; rr += 0.25) {
                double y = yBot + PANEL_H - PANEL_H * rr / rHi;
                gridLine(s, x0, y, String.format(Locale.ROOT, "%.0f", rr * 100));
            }
            double yTarget = yBot + PANEL_H - PANEL_H * BenchReport.TARGET_INT / rHi;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ff7f0e\" stroke-dasharray=\"6,3\"/>%n",
                    x0, yTarget, x0 + PANEL_W, yTarget));
            for (long n : sizes) {
                double x = xOf(x0, n, minN, maxN);
                if (Long.numberOfTrailingZeros(n) % 2 == 0 || n == sizes.first()) {
                    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                            yBot + PANEL_H + 14, sizeLabel(n)));
                    s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x,
                            yTop + PANEL_H + 14, sizeLabel(n)));
                }
            }
            for (int wi = 0; wi < worlds.size(); wi++) {
                int w = worlds.get(wi);
                String colour = COLOURS[wi % COLOURS.length];
                for (DataPath p : List.of(DataPath.FP16, DataPath.BF16_CAST)) {
                    List<BenchRow> series = rows.stream().filter(r -> r.codec() == q && r.worldSize() == w && r.path() == p).toList();
                    if (series.isEmpty()) {
                        continue;
                    }
                    String dash = p == DataPath.BF16_CAST ? " stroke-dasharray=\"5,3\"" : "";
                    List<double[]> lat = new ArrayList<>();
                    List<double[]> roof = new ArrayList<>();
                    List<double[]> ratio = new ArrayList<>();
                    for (BenchRow r : series) {
                        double x = xOf(x0, r.n(), minN, maxN);
                        lat.add(new double[]{x, yTop + PANEL_H - PANEL_H * Math.log10(r.medianUs() / tLo) / Math.log10(tHi / tLo)});
                        roof.add(new double[]{x, yTop + PANEL_H - PANEL_H * Math.log10(r.boundUs() / tLo) / Math.log10(tHi / tLo)});
                        ratio.add(new double[]{x, yBot + PANEL_H - PANEL_H * r.ratio() / rHi});
                    }
                    polyline(s, lat, colour, dash, 1.8);
                    polyline(s, ratio, colour, dash, 1.8);
                    if (p == DataPath.FP16) {
                        polyline(s, roof, colour, " stroke-dasharray=\"1,3\"", 1.2);
                    }
                }
            }
        }
        // legend
        int lx = LEFT + codecs.size() * (PANEL_W + GAP_X);
        int ly = TOP + 10;
        for (int wi = 0; wi < worlds.size(); wi++) {
            String colour = COLOURS[wi % COLOURS.length];
            legend(s, lx, ly, colour, "", "W=" + worlds.get(wi) + " fp16");
            legend(s, lx, ly + 16, colour, " stroke-dasharray=\"5,3\"", "W=" + worlds.get(wi) + " bf16-cast");
            legend(s, lx, ly + 32, colour, " stroke-dasharray=\"1,3\"", "W=" + worlds.get(wi) + " bound");
            ly += 56;
        }
        legend(s, lx, ly, "#ff7f0e", " stroke-dasharray=\"6,3\"", "80 % target (INT4, INT6)");
        s.append("</svg>\n");
        return s.toString();
    }

    private static double xOf(int x0, double n, double minN, double maxN) {
        return x0 + PANEL_W * Math.log(n / minN) / Math.log(maxN / minN);
    }

    private static void frame(StringBuilder s, int x0, int y0, String label) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", x0, y0,
                PANEL_W, PANEL_H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>%n", x0, y0 - 6, esc(label)));
    }

    private static void gridLine(StringBuilder s, int x0, double y, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", x0, y, x0 + PANEL_W, y));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 4, y + 4, label));
    }

    private static void polyline(StringBuilder s, List<double[]> pts, String colour, String dash, double width) {
        StringBuilder p = new StringBuilder();
        for (double[] xy : pts) {
            p.append(String.format(Locale.ROOT, "%.1f,%.1f ", xy[0], xy[1]));
        }
        s.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n", p.toString().trim(),
                colour, width, dash));
    }

    private static void legend(StringBuilder s, int x, int y, String colour, String dash, String label) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"1.8\"%s/>%n", x, y, x + 24,
                y, colour, dash));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 30, y + 4, esc(label)));
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

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
