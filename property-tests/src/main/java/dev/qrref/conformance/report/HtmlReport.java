package dev.qrref.conformance.report;

import static dev.qrref.conformance.report.Markup.escape;

import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Coverage;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.Rule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The conformance report as one self-contained HTML page: inline CSS and inline SVG only, no script, no external
 * resource, so it can be archived as a CI artifact and opened anywhere. Several runs (say the CPU model and a GPU) merge
 * into one page: the rule matrix has one column per run.
 */
public final class HtmlReport {
    /** Failures listed per property; junit.xml holds all of them. */
    static final int FAILURES_PER_PROPERTY = 200;
    /** Slowest cases listed per run. */
    static final int SLOWEST = 10;

    private HtmlReport() {
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5em auto;max-width:78em;padding:0 1em;color:#1b1f24}
            h1{font-size:1.5em;margin:0 0 .3em} h2{font-size:1.2em;margin:1.8em 0 .5em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
            h3{font-size:1.05em;margin:1.3em 0 .4em}
            table{border-collapse:collapse;margin:.4em 0} th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
            th{background:#f6f8fa} td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
            pre{background:#f6f8fa;border:1px solid #d0d7de;padding:.5em .7em;overflow-x:auto;white-space:pre}
            .verdict{display:inline-block;padding:.1em .6em;border-radius:4px;font-weight:700;color:#fff}
            .PASS{background:#1a7f37} .FAIL{background:#cf222e}
            td.pass{background:#dafbe1} td.fail{background:#ffebe9;font-weight:600} td.skip{background:#fff8c5} td.none{color:#6e7781}
            td.uncovered{background:#eaeef2;color:#57606a;font-style:italic}
            .muted{color:#57606a} nav a{margin-right:1em}
            svg.hist{display:block;margin:.3em 0 1em}
            .hists{display:flex;flex-wrap:wrap;gap:0 2em}
            """;

    public static String render(List<SuiteResult> results, Instant generated) {
        boolean ok = results.stream().allMatch(SuiteResult::ok);
        String verdict = ok ? "PASS" : "FAIL";
        String targets = results.stream().map(r -> r.target).collect(Collectors.joining(", "));
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>QuickReduce conformance: ").append(escape(targets)).append(" - ").append(verdict).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        header(h, results, generated, verdict);
        h.append("<nav><a href=\"#rules\">Rules</a>");
        for (int i = 0; i < results.size(); i++) {
            h.append("<a href=\"#").append(anchor(i, results.get(i))).append("\">").append(escape(results.get(i).target)).append("</a>");
        }
        h.append("</nav>\n");
        ruleMatrix(h, results);
        for (int i = 0; i < results.size(); i++) {
            run(h, results.get(i), anchor(i, results.get(i)));
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, List<SuiteResult> results, Instant generated, String verdict) {
        h.append("<header>\n<h1>QuickReduce conformance <span class=\"verdict ").append(verdict).append("\">").append(verdict)
                .append("</span></h1>\n");
        h.append("<p class=\"muted\">Generated ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                generated.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime())).append(" UTC</p>\n");
        h.append("<table>\n<tr><th>target</th><th>machine / driver</th><th class=\"num\">level</th><th>base seed</th>")
                .append("<th class=\"num\">cases</th><th class=\"num\">duration</th><th>verdict</th></tr>\n");
        for (int i = 0; i < results.size(); i++) {
            SuiteResult r = results.get(i);
            String v = r.ok() ? "PASS" : "FAIL";
            h.append("<tr><td><a href=\"#").append(anchor(i, r)).append("\">").append(escape(r.target)).append("</a></td><td>")
                    .append(escape(r.machine)).append("</td><td class=\"num\">").append(r.level).append("</td><td class=\"mono\">")
                    .append(Seeds.hex(r.baseSeed)).append("</td><td class=\"num\">").append(r.cases.size()).append("</td><td class=\"num\">")
                    .append(Markup.duration(r.seconds)).append("</td><td><span class=\"verdict ").append(v).append("\">").append(v)
                    .append("</span> ").append(escape(detail(r))).append("</td></tr>\n");
        }
        h.append("</table>\n</header>\n");
    }

    private static String detail(SuiteResult r) {
        List<String> parts = new ArrayList<>();
        parts.add(r.failures() + " failure(s)");
        if (!r.missingCoverage().isEmpty()) {
            parts.add(r.missingCoverage().size() + " coverage class(es) missed");
        }
        return String.join(", ", parts);
    }

    /** Rows: every rule of the spec; columns: the runs; cells: passes / failures of the properties naming the rule. */
    private static void ruleMatrix(StringBuilder h, List<SuiteResult> results) {
        h.append("<h2 id=\"rules\">Rules &times; backends</h2>\n");
        h.append("<p class=\"muted\">Each cell: verdicts passed / failed, summed over the properties of that run that stand for the rule. "
                + "&ldquo;&mdash;&rdquo;: no property of the run names the rule; &ldquo;uncovered&rdquo;: no property of any run does.</p>\n");
        h.append("<table>\n<tr><th>rule</th><th>title</th>");
        for (SuiteResult r : results) {
            h.append("<th class=\"num\">").append(escape(r.target)).append("</th>");
        }
        h.append("</tr>\n");
        List<Rule> uncovered = new ArrayList<>();
        for (Rule rule : Rule.values()) {
            h.append("<tr><td class=\"mono\" title=\"").append(escape(rule.statement)).append("\">").append(rule.id).append("</td><td>")
                    .append(escape(rule.title)).append("</td>");
            boolean any = results.stream().anyMatch(r -> r.properties.values().stream().anyMatch(p -> p.rules.contains(rule)));
            if (!any) {
                uncovered.add(rule);
                h.append("<td class=\"uncovered\" colspan=\"").append(results.size()).append("\">uncovered</td></tr>\n");
                continue;
            }
            for (SuiteResult r : results) {
                List<SuiteResult.PropertyResult> ps = r.properties.values().stream().filter(p -> p.rules.contains(rule)).toList();
                int passed = ps.stream().mapToInt(p -> p.passed).sum();
                int failed = ps.stream().mapToInt(p -> p.failures.size()).sum();
                int skipped = ps.stream().mapToInt(p -> p.skipped.size()).sum();
                String names = ps.stream().map(p -> p.name).collect(Collectors.joining(", "));
                if (ps.isEmpty()) {
                    h.append("<td class=\"none num\">&mdash;</td>");
                } else {
                    String cls = failed > 0 ? "fail" : passed > 0 ? "pass" : "skip";
                    h.append("<td class=\"num ").append(cls).append("\" title=\"").append(escape(names)).append("\">");
                    h.append(passed > 0 || failed > 0 ? passed + " / " + failed : "skipped (" + skipped + ")").append("</td>");
                }
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        h.append("<p>Uncovered rules: ").append(uncovered.isEmpty() ? "none"
                : uncovered.stream().map(r -> "<code>" + r.id + "</code> " + escape(r.title)).collect(Collectors.joining(", "))).append(".</p>\n");
    }

    private static void run(StringBuilder h, SuiteResult r, String a) {
        h.append("<h2 id=\"").append(a).append("\">").append(escape(r.target)).append(" <span class=\"verdict ").append(r.ok() ? "PASS" : "FAIL")
                .append("\">").append(r.ok() ? "PASS" : "FAIL").append("</span></h2>\n");
        h.append("<p class=\"muted\">").append(escape(r.machine)).append("; level ").append(r.level).append(", base seed <code>")
                .append(Seeds.hex(r.baseSeed)).append("</code>, ").append(r.cases.size()).append(" case(s), ")
                .append(Markup.duration(r.seconds)).append("</p>\n");
        properties(h, r);
        failures(h, r);
        coverage(h, r);
        histograms(h, r);
        timing(h, r);
    }

    private static void properties(StringBuilder h, SuiteResult r) {
        h.append("<h3>Properties</h3>\n<table>\n<tr><th>property</th><th class=\"num\">passed</th><th class=\"num\">failed</th>")
                .append("<th class=\"num\">skipped</th><th class=\"num\">seconds</th><th>rules</th><th>description</th></tr>\n");
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            String cls = !p.ok() ? "fail" : p.passed > 0 ? "pass" : "skip";
            h.append("<tr><td class=\"mono ").append(cls).append("\">").append(escape(p.name)).append("</td><td class=\"num\">").append(p.passed)
                    .append("</td><td class=\"num\">").append(p.failures.size()).append("</td><td class=\"num\"")
                    .append(p.skipped.isEmpty() ? "" : " title=\"" + escape(String.join("; ", p.skipped)) + "\"").append('>')
                    .append(p.skipped.size()).append("</td><td class=\"num\">").append(Markup.seconds(p.seconds)).append("</td><td class=\"mono\">")
                    .append(p.rules.stream().map(x -> x.id).collect(Collectors.joining(" "))).append("</td><td>").append(escape(p.description))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        List<String> skips = new ArrayList<>();
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            p.skipped.forEach(why -> skips.add("<li><code>" + escape(p.name) + "</code>: " + escape(why) + "</li>"));
        }
        if (!skips.isEmpty()) {
            h.append("<p>Skipped:</p>\n<ul>\n").append(String.join("\n", skips)).append("\n</ul>\n");
        }
    }

    private static void failures(StringBuilder h, SuiteResult r) {
        h.append("<h3>Failures</h3>\n");
        if (r.failures() == 0) {
            h.append("<p>None.</p>\n");
            return;
        }
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            if (p.ok()) {
                continue;
            }
            h.append("<p><code>").append(escape(p.name)).append("</code>: ").append(p.failures.size()).append(" failure(s)</p>\n<pre>");
            List<Failure> fs = p.failures;
            for (int i = 0; i < Math.min(fs.size(), FAILURES_PER_PROPERTY); i++) {
                h.append(escape(fs.get(i).line())).append('\n').append(escape(fs.get(i).countLine())).append('\n');
            }
            if (fs.size() > FAILURES_PER_PROPERTY) {
                h.append("... ").append(fs.size() - FAILURES_PER_PROPERTY).append(" more in junit.xml\n");
            }
            h.append("</pre>\n");
        }
    }

    private static void coverage(StringBuilder h, SuiteResult r) {
        h.append("<h3>Coverage classes</h3>\n<p>").append(escape(SummaryText.coverage(r))).append(".</p>\n");
        h.append("<table>\n<tr><th>class</th><th>meaning</th><th>hit</th></tr>\n");
        Set<Coverage> missing = r.missingCoverage();
        for (Coverage c : Coverage.values()) {
            boolean hit = r.coverage.contains(c);
            String cls = hit ? "pass" : missing.contains(c) ? "fail" : "none";
            h.append("<tr><td class=\"mono\">").append(c.name()).append("</td><td>").append(escape(c.meaning())).append("</td><td class=\"")
                    .append(cls).append("\">").append(hit ? "hit" : missing.contains(c) ? "MISSED" : "missed").append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void histograms(StringBuilder h, SuiteResult r) {
        h.append("<h3>Error histograms</h3>\n");
        if (r.errorHistograms.isEmpty()) {
            h.append("<p>No Gaussian case ran.</p>\n");
            return;
        }
        h.append("<p class=\"muted\">|output &minus; exact sum| / rms(exact sum) over the Gaussian cases, per codec; bars are fractions of all elements.</p>\n");
        h.append("<div class=\"hists\">\n");
        for (Map.Entry<String, long[]> e : r.errorHistograms.entrySet()) {
            h.append("<figure>\n<figcaption><code>").append(escape(e.getKey())).append("</code></figcaption>\n");
            h.append(HistogramSvg.render(e.getKey(), e.getValue()));
            h.append("</figure>\n");
        }
        h.append("</div>\n");
    }

    private static void timing(StringBuilder h, SuiteResult r) {
        h.append("<h3>Case timing</h3>\n");
        if (r.cases.isEmpty()) {
            h.append("<p>No case ran.</p>\n");
            return;
        }
        double[] all = r.cases.stream().mapToDouble(SuiteResult.CaseRecord::seconds).sorted().toArray();
        double total = 0;
        for (double s : all) {
            total += s;
        }
        h.append(String.format(Locale.ROOT, "<p>%d case(s); backend all-reduce time: total %s, median %s, 90th percentile %s, max %s.</p>%n",
                all.length, Markup.duration(total), ms(quantile(all, 0.5)), ms(quantile(all, 0.9)), ms(all[all.length - 1])));
        // by world size and codec: where the time goes
        Map<Group, List<Double>> groups = new TreeMap<>(Group.ORDER);
        for (SuiteResult.CaseRecord c : r.cases) {
            groups.computeIfAbsent(Group.of(c.id()), k -> new ArrayList<>()).add(c.seconds());
        }
        h.append("<table>\n<tr><th>world size, codec</th><th class=\"num\">cases</th><th class=\"num\">total</th>")
                .append("<th class=\"num\">median</th><th class=\"num\">max</th></tr>\n");
        for (Map.Entry<Group, List<Double>> g : groups.entrySet()) {
            double[] v = g.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double sum = 0;
            for (double s : v) {
                sum += s;
            }
            h.append("<tr><td class=\"mono\">").append(escape(g.getKey().label())).append("</td><td class=\"num\">").append(v.length)
                    .append("</td><td class=\"num\">").append(Markup.duration(sum)).append("</td><td class=\"num\">").append(ms(quantile(v, 0.5)))
                    .append("</td><td class=\"num\">").append(ms(v[v.length - 1])).append("</td></tr>\n");
        }
        h.append("</table>\n<p>Slowest cases:</p>\n<table>\n<tr><th>case</th><th class=\"num\">time</th><th>failed checks</th></tr>\n");
        r.cases.stream().sorted(Comparator.comparingDouble(SuiteResult.CaseRecord::seconds).reversed()).limit(SLOWEST).forEach(c ->
                h.append("<tr><td class=\"mono\">").append(escape(c.id())).append("</td><td class=\"num\">").append(ms(c.seconds()))
                        .append("</td><td class=\"").append(c.failures().isEmpty() ? "" : "fail").append("\">")
                        .append(escape(String.join(", ", c.failures()))).append("</td></tr>\n"));
        h.append("</table>\n");
    }

    /** A row of the timing table: world size and codec, in that order, codecs in quant-level order. */
    private record Group(int worldSize, int codec, String label) {
        static final Comparator<Group> ORDER = Comparator.comparingInt(Group::worldSize).thenComparingInt(Group::codec);

        static Group of(String id) {
            try {
                CaseSpec c = CaseSpec.parse(id);
                return new Group(c.worldSize(), c.level().code, "W=" + c.worldSize() + " " + c.level().cliName());
            } catch (RuntimeException e) {
                return new Group(Integer.MAX_VALUE, 0, "other");
            }
        }
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static String ms(double s) {
        return String.format(Locale.ROOT, "%.2f ms", s * 1000);
    }

    /** The id attribute of run {@code i} (two runs may share a target name). */
    private static String anchor(int i, SuiteResult r) {
        return "run" + i + "-" + r.target.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
