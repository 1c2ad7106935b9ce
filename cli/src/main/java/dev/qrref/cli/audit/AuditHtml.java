package dev.qrref.cli.audit;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of {@code qr audit}: one self-contained page (inline CSS and SVG, nothing loaded from the network)
 * with the recommendation, the accuracy and hazard tables, the worst groups with their {@code qr explain} commands, and
 * two plots: the group absmax histogram against each codec's reciprocal cliff and the overflow threshold, and the SQNR
 * of each codec under each profile. The plotting is kept here, in one place.
 */
public final class AuditHtml {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};
    private static final String CSS = """
            body{font-family:sans-serif;margin:2em;max-width:75em;color:#222}
            table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:right}
            th{background:#f0f0f0}td.l,th.l{text-align:left}tr.bad td{background:#fde8e8}
            code{font-size:.85em;word-break:break-all}.rec{font-size:1.2em;padding:.5em;background:#eef6ee;border:1px solid #9c9}
            svg text{font-family:sans-serif;font-size:11px}.axis{stroke:#444}.grid{stroke:#ddd}
            """;

    private AuditHtml() {
    }

    public static String render(AuditReport r) {
        AuditInput in = r.input();
        Auditor.Options o = r.options();
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>qr audit</title><style>").append(CSS)
                .append("</style></head><body>\n<h1>QuickReduce audit</h1>\n");
        s.append("<p>").append(in.worldSize()).append(" ranks &times; ").append(in.elementsPerRank())
                .append(" elements per rank in ").append(in.calls().size()).append(" call(s), data path <b>")
                .append(esc(o.path().id())).append("</b>; ").append(esc(in.description())).append(". Reference: the float64 sum of the ")
                .append(in.dtype().id()).append(" inputs. Every figure comes from the CPU model's all-reduce of these tensors.</p>\n");
        s.append("<p class=\"rec\">Recommendation: <b>").append(esc(r.recommendation())).append("</b> (minimum SQNR ")
                .append(esc(AuditReport.db(o.minSqnrDb()))).append(") &mdash; ").append(esc(r.reason())).append("</p>\n");

        s.append("<h2>Group absmax against the thresholds</h2>\n").append(histogram(r));
        s.append("<h2>Error per codec</h2>\n").append(sqnrChart(r));

        s.append("<h2>Accuracy against the exact sum</h2>\n<table><tr><th class=\"l\">codec</th><th class=\"l\">profile</th>")
                .append("<th>SQNR dB</th><th>relative MAE</th><th>max abs error</th><th>non-finite from finite</th></tr>\n");
        for (SetupTally t : r.setups()) {
            s.append(t.nonFiniteFromFinite() > 0 ? "<tr class=\"bad\">" : "<tr>").append("<td class=\"l\">").append(t.codec().cliName())
                    .append("</td><td class=\"l\">").append(t.profile().id()).append("</td><td>").append(AuditText.dbCell(t.sqnrDb()))
                    .append("</td><td>").append(AuditText.num(t.relativeMae())).append("</td><td>")
                    .append(AuditText.num(t.accuracy().maxAbsError())).append("</td><td>").append(t.nonFiniteFromFinite()).append("</td></tr>\n");
        }
        s.append("</table>\n");

        s.append("<h2>Hazards</h2>\n<p>Groups and elements count tensor positions touched in either phase. Phase 1 is each "
                + "rank's own encode (counted per rank), phase 2 the reduction and the re-encode of the sum. Spread: finite values "
                + "the encode turned into NaN or &plusmn;inf. The SQNR and max abs error are those of the output over the touched "
                + "groups.</p>\n<table><tr><th class=\"l\">hazard</th><th class=\"l\">meaning</th></tr>\n");
        for (Hazard h : Hazard.values()) {
            s.append("<tr><td class=\"l\"><code>").append(h.id()).append("</code></td><td class=\"l\">").append(esc(h.description()))
                    .append("</td></tr>\n");
        }
        s.append("</table>\n<table><tr><th class=\"l\">codec</th><th class=\"l\">profile</th><th class=\"l\">hazard</th><th>groups</th>")
                .append("<th>elements</th><th>phase 1 groups</th><th>phase 1 elements</th><th>phase 1 spread</th><th>phase 2 groups</th>")
                .append("<th>phase 2 elements</th><th>phase 2 spread</th><th>SQNR dB there</th><th>max abs error there</th>")
                .append("<th>NaN/inf outputs of finite sums there</th></tr>\n");
        int rows = 0;
        for (SetupTally t : r.setups()) {
            for (Hazard h : Hazard.values()) {
                HazardTally x = t.hazard(h);
                if (!x.any()) {
                    continue;
                }
                rows++;
                s.append("<tr><td class=\"l\">").append(t.codec().cliName()).append("</td><td class=\"l\">").append(t.profile().id())
                        .append("</td><td class=\"l\"><code>").append(h.id()).append("</code></td>");
                for (long v : new long[]{x.groups(), x.elements(), x.groups(1), x.elements(1), x.spread(1), x.groups(2), x.elements(2),
                        x.spread(2)}) {
                    s.append("<td>").append(v).append("</td>");
                }
                s.append("<td>").append(AuditText.dbCell(x.sqnrDb())).append("</td><td>").append(AuditText.num(x.maxAbsError()))
                        .append("</td><td>").append(x.lostFinite()).append("</td></tr>\n");
            }
        }
        if (rows == 0) {
            s.append("<tr><td class=\"l\" colspan=\"14\">no hazard occurred under any codec and profile</td></tr>\n");
        }
        s.append("</table>\n");

        if (rows > 0 && o.keep() > 0) {
            s.append("<h2>Worst groups</h2>\n<p>Up to ").append(o.keep()).append(" per hazard, codec and profile. Each command "
                    + "traces the group step by step through the model (<code>qr explain</code>).</p>\n");
            for (SetupTally t : r.setups()) {
                for (Hazard h : Hazard.values()) {
                    List<WorstGroup> ws = t.hazard(h).worst();
                    if (ws.isEmpty()) {
                        continue;
                    }
                    s.append("<h3>").append(t.codec().cliName()).append(", ").append(t.profile().id()).append(": <code>").append(h.id())
                            .append("</code>").append(esc(AuditText.callsText(t.hazard(h), in))).append("</h3>\n<ul>\n");
                    for (WorstGroup w : ws) {
                        s.append("<li>phase ").append(w.phase()).append(' ').append(esc(w.who())).append(", ").append(esc(w.location()))
                                .append(": ").append(esc(w.detail()));
                        if (w.explain() != null) {
                            s.append("<br><code>").append(esc(w.explain())).append("</code>");
                        }
                        s.append("</li>\n");
                    }
                    s.append("</ul>\n");
                }
            }
        }
        s.append("</body></html>\n");
        return s.toString();
    }

    // ---- plots ---------------------------------------------------------------------------------------------------

    private static final int W = 760;
    private static final int H = 300;
    private static final int LEFT = 60;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;

    /** Groups per binade of absmax (log scale), rank groups and sum groups, with the thresholds as vertical lines. */
    static String histogram(AuditReport r) {
        Auditor.Options o = r.options();
        AbsMaxHistogram in = r.inputGroups();
        AbsMaxHistogram sum = r.sumGroups();
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int k = AbsMaxHistogram.MIN_EXPONENT; k <= AbsMaxHistogram.MAX_EXPONENT; k++) {
            if (in.binade(k) + sum.binade(k) > 0) {
                lo = Math.min(lo, k);
                hi = Math.max(hi, k);
            }
        }
        List<double[]> marks = new ArrayList<>(); // {log2 x, colour index}
        List<String> labels = new ArrayList<>();
        int ci = 0;
        for (QuantLevel c : o.codecs()) {
            double cliff = Thresholds.cliff(c, o.path().compute);
            if (c.quantized() && cliff > 0) {
                marks.add(new double[]{log2(cliff), ci});
                labels.add(c.cliName() + " cliff " + TileAnalysis.num(cliff));
                ci++;
            }
        }
        double over = Thresholds.overflow(o.path().compute);
        marks.add(new double[]{log2(over), -1});
        labels.add(o.path().compute.id() + " max " + TileAnalysis.num(over) + " (" + overflowBehaviour(r) + ")");
        for (double[] m : marks) {
            lo = Math.min(lo, (int) Math.floor(m[0]));
            hi = Math.max(hi, (int) Math.ceil(m[0]));
        }
        lo -= 1;
        hi += 2;
        long max = 1;
        for (int k = lo; k < hi; k++) {
            if (k >= AbsMaxHistogram.MIN_EXPONENT && k <= AbsMaxHistogram.MAX_EXPONENT) {
                max = Math.max(max, Math.max(in.binade(k), sum.binade(k)));
            }
        }
        double yTop = Math.ceil(Math.log10(max));
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        int span = hi - lo;
        StringBuilder s = svgOpen("Group absmax histogram: " + in.total() + " rank groups, " + sum.total() + " sum groups");
        for (int d = 0; d <= yTop; d++) {
            double y = TOP + ph - ph * d / Math.max(1, yTop);
            s.append(line(LEFT, y, W - RIGHT, y, "grid")).append(text(LEFT - 4, y + 4, "end", d == 0 ? "1" : "1e" + d));
        }
        double bw = pw / span / 2;
        for (int k = lo; k < hi; k++) {
            double x0 = LEFT + pw * (k - lo) / span;
            boolean inside = k >= AbsMaxHistogram.MIN_EXPONENT && k <= AbsMaxHistogram.MAX_EXPONENT;
            long[] counts = inside ? new long[]{in.binade(k), sum.binade(k)} : new long[]{0, 0};
            for (int series = 0; series < 2; series++) {
                if (counts[series] == 0) {
                    continue;
                }
                double h = ph * (Math.log10(counts[series]) + (counts[series] == 1 ? 0.15 : 0)) / Math.max(1, yTop);
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
                        x0 + series * bw, TOP + ph - h, bw, h, series == 0 ? "#7aa6c2" : "#c2a77a",
                        esc((series == 0 ? "rank groups" : "sum groups") + " with absmax in [2^" + k + ", 2^" + (k + 1) + "): " + counts[series])));
            }
            if ((k - lo) % Math.max(1, span / 12) == 0) {
                s.append(text(x0, H - BOTTOM + 14, "middle", "2^" + k));
            }
        }
        for (int i = 0; i < marks.size(); i++) {
            double x = LEFT + pw * (marks.get(i)[0] - lo) / span;
            String colour = marks.get(i)[1] < 0 ? "#000" : COLOURS[(int) marks.get(i)[1] % COLOURS.length];
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>",
                    x, TOP, x, TOP + ph, colour));
            s.append(text(x + 3, TOP + 12 + 13 * i, "start", labels.get(i)).replace("<text ", "<text fill=\"" + colour + "\" "));
        }
        s.append(line(LEFT, TOP + ph, W - RIGHT, TOP + ph, "axis")).append(line(LEFT, TOP, LEFT, TOP + ph, "axis"));
        s.append(text(LEFT + pw / 2, H - 12, "middle", "group absmax (binades); blue: each rank's groups, brown: groups of the exact sum; "
                + "log count"));
        s.append("</svg>\n");
        s.append("<p>Not in the plot: all-zero groups ").append(in.zero()).append(" (ranks), ").append(sum.zero())
                .append(" (sum); groups holding &plusmn;inf ").append(in.infinite()).append(" / ").append(sum.infinite())
                .append("; all-NaN groups ").append(in.nan()).append(" / ").append(sum.nan())
                .append(". Groups left of a codec's cliff line lose their scale under that codec.</p>\n");
        return s.toString();
    }

    private static String overflowBehaviour(AuditReport r) {
        List<String> sat = new ArrayList<>();
        List<String> inf = new ArrayList<>();
        for (Profile p : r.options().profiles()) {
            (NumericsProfile.of(p).arith(r.options().path().compute).saturates() ? sat : inf).add(p.id());
        }
        List<String> parts = new ArrayList<>();
        if (!inf.isEmpty()) {
            parts.add(String.join(", ", inf) + ": inf");
        }
        if (!sat.isEmpty()) {
            parts.add(String.join(", ", sat) + ": saturates");
        }
        return String.join("; ", parts);
    }

    /** SQNR of every codec under every profile as grouped bars, with the --min-sqnr line. */
    static String sqnrChart(AuditReport r) {
        Auditor.Options o = r.options();
        double top = Math.max(10, o.minSqnrDb());
        boolean anyExact = false;
        for (SetupTally t : r.setups()) {
            double q = t.sqnrDb();
            if (Double.isInfinite(q) && q > 0) {
                anyExact = true;
            } else if (Double.isFinite(q)) {
                top = Math.max(top, q);
            }
        }
        top = Math.ceil((top + (anyExact ? 10 : 0)) / 10) * 10;
        double bottom = 0;
        for (SetupTally t : r.setups()) {
            if (Double.isFinite(t.sqnrDb())) {
                bottom = Math.min(bottom, Math.floor(t.sqnrDb() / 10) * 10);
            }
        }
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        int nc = o.codecs().size();
        int np = o.profiles().size();
        double slot = pw / nc;
        double bw = slot * 0.8 / np;
        double range = top - bottom;
        StringBuilder s = svgOpen("SQNR per codec and profile");
        for (double v = bottom; v <= top; v += 10) {
            double y = TOP + ph - ph * (v - bottom) / range;
            s.append(line(LEFT, y, W - RIGHT, y, "grid")).append(text(LEFT - 4, y + 4, "end", String.format(Locale.ROOT, "%.0f", v)));
        }
        double zero = TOP + ph - ph * (0 - bottom) / range;
        for (int c = 0; c < nc; c++) {
            QuantLevel codec = o.codecs().get(c);
            double x0 = LEFT + slot * c + slot * 0.1;
            for (int p = 0; p < np; p++) {
                SetupTally t = r.setup(codec, o.profiles().get(p));
                double q = t.sqnrDb();
                if (Double.isNaN(q)) {
                    continue;
                }
                double v = Double.isInfinite(q) ? (q > 0 ? top : bottom) : q;
                double y = TOP + ph - ph * (v - bottom) / range;
                String tip = codec.cliName() + " " + t.profile().id() + ": " + AuditReport.db(q) + ", " + t.nonFiniteFromFinite()
                        + " non-finite output(s) of finite sums";
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s><title>%s</title></rect>",
                        x0 + p * bw, Math.min(y, zero), bw, Math.abs(zero - y), COLOURS[p % COLOURS.length],
                        t.nonFiniteFromFinite() > 0 ? " stroke=\"#000\" stroke-width=\"2\"" : "", esc(tip)));
                String label = (Double.isInfinite(q) ? "exact" : String.format(Locale.ROOT, "%.1f", q))
                        + (t.nonFiniteFromFinite() > 0 ? "!" : "");
                s.append(text(x0 + p * bw + bw / 2, Math.min(y, zero) - 3, "middle", label));
            }
            s.append(text(LEFT + slot * c + slot / 2, H - BOTTOM + 14, "middle", codec.cliName()));
        }
        double ym = TOP + ph - ph * (o.minSqnrDb() - bottom) / range;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\" stroke-dasharray=\"6 3\"/>",
                LEFT, ym, W - RIGHT, ym));
        s.append(text(LEFT + 4, ym + 12, "start", "--min-sqnr " + TileAnalysis.num(o.minSqnrDb()) + " dB"));
        s.append(line(LEFT, TOP + ph, W - RIGHT, TOP + ph, "axis")).append(line(LEFT, TOP, LEFT, TOP + ph, "axis"));
        StringBuilder legend = new StringBuilder("SQNR dB; bars: ");
        for (int p = 0; p < np; p++) {
            legend.append(p == 0 ? "" : ", ").append(o.profiles().get(p).id());
        }
        s.append(text(LEFT + pw / 2, H - 12, "middle", legend + "; outlined and marked !: non-finite outputs of finite sums"));
        for (int p = 0; p < np; p++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", LEFT + 10 + 90 * p, 2,
                    COLOURS[p % COLOURS.length])).append(text(LEFT + 24 + 90 * p, 11, "start", o.profiles().get(p).id()));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static StringBuilder svgOpen(String label) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                W, H, W, H, esc(label)));
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls, x1, y1, x2, y2);
    }

    private static String text(double x, double y, String anchor, String t) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor, esc(t));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
