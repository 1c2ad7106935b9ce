package dev.qrref.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.conformance.Coverage;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SampleRuns;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.spec.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The three writers on real runs: the CPU model (passes) and a backend with one flipped output bit (fails). */
class ReportsTest {
    private static final Instant WHEN = Instant.parse("2025-01-02T03:04:05Z");
    /** Markup in a failure message must survive every writer; the control character is not allowed in XML 1.0. */
    private static final String HOSTILE = "detail with <tags> & \"quotes\" and a \u0001 control character";

    static SuiteResult cpu;
    static SuiteResult faulty;

    @TempDir
    Path dir;

    @BeforeAll
    static void run() {
        cpu = SampleRuns.cpu();
        faulty = SampleRuns.faulty();
        faulty.properties.get("outputs").failures.add(Failure.message(Rule.API_ARGS, "outputs", "-", HOSTILE, "./qr conformance"));
        faulty.errorHistograms.put("int4", new long[]{0, 0, 0, 0, 1, 30, 500, 4000, 900, 12, 0, 0});
    }

    @Test
    void theSampleRunsSayWhatTheTestsAssume() {
        assertTrue(cpu.ok(), () -> SummaryText.render(List.of(cpu)));
        assertFalse(faulty.ok());
        assertTrue(faulty.properties.get("outputs").failures.size() >= 4, "one failure per case");
    }

    @Test
    void junitXmlIsWellFormedAndCarriesEveryVerdict() throws Exception {
        Reports.write(dir, List.of(cpu, faulty), WHEN);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve(Reports.JUNIT).toFile());
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());

        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(cpu.properties.size() + 1 + faulty.properties.size() + 1, suites.getLength(), "one per property plus coverage, per run");
        int tests = 0;
        int failures = 0;
        for (int i = 0; i < suites.getLength(); i++) {
            Element s = (Element) suites.item(i);
            NodeList cases = s.getElementsByTagName("testcase");
            assertEquals(Integer.parseInt(s.getAttribute("tests")), cases.getLength(), s.getAttribute("name"));
            assertEquals(Integer.parseInt(s.getAttribute("failures")), s.getElementsByTagName("failure").getLength());
            tests += cases.getLength();
            failures += s.getElementsByTagName("failure").getLength();
        }
        assertEquals(tests, Integer.parseInt(root.getAttribute("tests")));
        assertEquals(failures, Integer.parseInt(root.getAttribute("failures")));
        assertEquals(faulty.failures(), failures, "only the faulty run fails; coverage is not required of a filtered run");

        Element outputs = suite(doc, "cpu.outputs");
        assertEquals(cpu.properties.get("outputs").passed, outputs.getElementsByTagName("testcase").getLength(), "one testcase per case");
        assertEquals(cpu.cases.get(0).id(), ((Element) outputs.getElementsByTagName("testcase").item(0)).getAttribute("name"));
        assertEquals("cpu", property(outputs, "target"));
        assertEquals("1", property(outputs, "level"));
        assertEquals(String.format("0x%016X", cpu.baseSeed), property(outputs, "seed"));
        assertEquals(cpu.machine, property(outputs, "machine"));
        assertTrue(property(outputs, "rules").startsWith("GEO-1,GEO-2"));

        Set<String> messages = new HashSet<>();
        NodeList fs = doc.getElementsByTagName("failure");
        for (int i = 0; i < fs.getLength(); i++) {
            Element f = (Element) fs.item(i);
            messages.add(f.getAttribute("message"));
            assertTrue(f.getTextContent().startsWith(f.getAttribute("message") + "\n  "), "line, then the count line");
        }
        for (SuiteResult.PropertyResult p : faulty.properties.values()) {
            for (Failure f : p.failures) {
                assertTrue(messages.contains(f.line().replace('\u0001', '?')), f.line());
            }
        }

        Element skippedBuffers = suite(doc, "cpu.buffers");
        Element skip = (Element) skippedBuffers.getElementsByTagName("skipped").item(0);
        assertEquals(cpu.properties.get("buffers").skipped.get(0), skip.getAttribute("message"));

        Element errorContract = suite(doc, "cpu.error-contract");
        assertEquals(cpu.properties.get("error-contract").passedLabels.get(0),
                ((Element) errorContract.getElementsByTagName("testcase").item(0)).getAttribute("name"), "one testcase per verdict");
        Element coverage = suite(doc, "cpu.coverage");
        assertEquals(Coverage.values().size(), coverage.getElementsByTagName("testcase").getLength());
    }

    @Test
    void htmlIsSelfContainedAndHasEverySection() throws IOException {
        Reports.write(dir, List.of(cpu, faulty), WHEN);
        String html = Files.readString(dir.resolve(Reports.HTML), StandardCharsets.UTF_8);
        assertFalse(html.contains("http://"), "no http reference");
        assertFalse(html.contains("https://"), "no https reference");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(Pattern.compile("\\s(src|srcset)=").matcher(html).find(), "no loaded resource");
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#"), "only in-page links: " + href.group(1));
        }
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("2025-01-02T03:04:05 UTC"));
        assertTrue(html.contains(cpu.machine));
        assertTrue(html.contains("<span class=\"verdict FAIL\">FAIL</span></h1>"), "overall verdict");

        // rule matrix: one row per rule, one column per run; a rule no property names is uncovered
        for (Rule r : Rule.values()) {
            assertTrue(html.contains(">" + r.id + "</td><td>" + Markup.escape(r.title) + "</td>"), r.id);
        }
        assertTrue(html.contains("<th class=\"num\">cpu</th><th class=\"num\">faulty</th>"));
        Set<Rule> named = new HashSet<>();
        cpu.properties.values().forEach(p -> named.addAll(p.rules));
        for (Rule r : Rule.values()) {
            String row = ">" + r.id + "</td><td>" + Markup.escape(r.title) + "</td><td class=\"uncovered\"";
            assertEquals(!named.contains(r), html.contains(row), r.id);
        }
        assertTrue(html.contains("<td class=\"num fail\" title=\"outputs"), "the faulty run's outputs column fails");

        for (SuiteResult.PropertyResult p : faulty.properties.values()) {
            for (Failure f : p.failures) {
                assertTrue(html.contains(Markup.escape(f.line())), f.line());
            }
        }
        assertTrue(html.contains("detail with &lt;tags&gt; &amp; &quot;quotes&quot; and a ? control character"));

        // histograms as inline SVG: one per codec with Gaussian cases, one bar per bin
        List<String> svgs = new ArrayList<>();
        Matcher svg = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL).matcher(html);
        while (svg.find()) {
            svgs.add(svg.group());
        }
        assertEquals(cpu.errorHistograms.size() + faulty.errorHistograms.size(), svgs.size());
        for (String s : svgs) {
            // a bar is a rect with a tooltip (the background rect has none)
            assertEquals(SuiteResult.HISTOGRAM_BINS.length + 1, s.split("</title></rect>", -1).length - 1, "bars");
        }
        for (Coverage c : Coverage.values()) {
            assertTrue(html.contains(">" + c.name() + "</td>"), c.name());
        }
        assertTrue(html.contains("Slowest cases"));
        assertTrue(html.contains(cpu.cases.get(0).id()));
    }

    @Test
    void summaryIsAFixedWidthTableThenTheVerdict() throws IOException {
        Reports.write(dir, List.of(cpu), WHEN);
        List<String> lines = Files.readAllLines(dir.resolve(Reports.SUMMARY));
        String header = lines.stream().filter(l -> l.contains("property") && l.contains("passed")).findFirst().orElseThrow();
        assertTrue(header.matches("#\\s+property\\s+passed\\s+failed\\s+skipped\\s+seconds"), header);
        int width = header.length();
        for (SuiteResult.PropertyResult p : cpu.properties.values()) {
            String row = lines.stream().filter(l -> l.startsWith("  " + p.name + " ")).findFirst().orElseThrow();
            assertEquals(width, row.length(), "fixed width: " + row);
            String[] cols = row.trim().split("\\s+");
            assertEquals(List.of(p.name, "" + p.passed, "" + p.failures.size(), "" + p.skipped.size()), List.of(cols).subList(0, 4));
        }
        assertTrue(lines.getLast().startsWith("PASS: cpu, "), lines.getLast());

        String failing = SummaryText.render(List.of(faulty));
        List<String> fl = failing.lines().toList();
        assertTrue(fl.getLast().startsWith("FAIL: faulty, "), fl.getLast());
        assertTrue(fl.getLast().contains("failure(s) in outputs, ranks-identical"), fl.getLast());
        Failure first = faulty.properties.get("outputs").failures.get(0);
        int at = fl.indexOf(first.line());
        assertTrue(at > 0, "the one-line report appears");
        assertEquals(first.countLine(), fl.get(at + 1));
        assertTrue(first.line().contains(" element=" + SampleRuns.Faulty.ELEMENT + " ") || first.line().contains(" element=7 "), first.line());
    }

    /** Verified elements are W x N summed over the cases that ran, read back from the case ids; the rate uses the case phase. */
    @Test
    void throughputLineCountsEveryCaseAndElement() {
        long want = 0;
        for (SuiteResult.CaseRecord c : cpu.cases) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^w(\\d+)\\..*\\.n(\\d+)\\.").matcher(c.id());
            assertTrue(m.find(), c.id());
            want += Long.parseLong(m.group(1)) * Long.parseLong(m.group(2));
        }
        assertTrue(want > 0 && cpu.caseSeconds > 0 && cpu.caseSeconds <= cpu.seconds, cpu.caseSeconds + " of " + cpu.seconds);
        String line = SummaryText.render(List.of(cpu)).lines().filter(l -> l.startsWith("# throughput: ")).findFirst().orElseThrow();
        assertTrue(line.startsWith("# throughput: " + cpu.cases.size() + " case(s) in "), line);
        assertTrue(line.contains(String.format(java.util.Locale.ROOT, "; %,d output elements verified = ", want)), line + " want " + want);
    }

    @Test
    void histogramBarsAreFractionsOnALogAxis() {
        String svg = HistogramSvg.render("int8", new long[]{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3});
        assertTrue(svg.contains("&lt;= 1e-05: 1 (25.0%)"), svg);
        assertTrue(svg.contains("&gt; 1: 3 (75.0%)"), svg);
        assertTrue(svg.contains(">1e-5</text>") && svg.contains(">1</text>"), "decade ticks");
        assertEquals(1.0, HistogramSvg.niceCeiling(0.75));
        assertEquals(0.5, HistogramSvg.niceCeiling(0.31));
        assertEquals(0.02, HistogramSvg.niceCeiling(0.0123), 1e-15);
    }

    private static Element suite(Document doc, String name) {
        NodeList suites = doc.getElementsByTagName("testsuite");
        for (int i = 0; i < suites.getLength(); i++) {
            if (((Element) suites.item(i)).getAttribute("name").equals(name)) {
                return (Element) suites.item(i);
            }
        }
        throw new AssertionError("no testsuite " + name);
    }

    private static String property(Element suite, String name) {
        NodeList ps = suite.getElementsByTagName("property");
        for (int i = 0; i < ps.getLength(); i++) {
            Element p = (Element) ps.item(i);
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        throw new AssertionError("no property " + name);
    }
}
