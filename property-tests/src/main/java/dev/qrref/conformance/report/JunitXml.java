package dev.qrref.conformance.report;

import static dev.qrref.conformance.report.Markup.escape;
import static dev.qrref.conformance.report.Markup.seconds;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.Coverage;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Suite;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.cpu.gen.Seeds;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A suite run as JUnit XML, the format CI servers read: one {@code <testsuite>} per property or check (named
 * {@code <target>.<property>}), one {@code <testcase>} per executed case for a case check and per verdict for a suite
 * property, plus a {@code <target>.coverage} suite with one testcase per coverage class. A failure carries the one-line
 * report as its message and the line plus the count line as its text; a skip carries its reason. A case check's
 * testcase time is the backend's all-reduce time of that case; a testsuite's time is the time its checks took.
 */
public final class JunitXml {
    private JunitXml() {
    }

    public static String render(List<SuiteResult> results, Instant timestamp) {
        StringBuilder x = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        double time = 0;
        StringBuilder body = new StringBuilder();
        Set<String> caseChecks = Suite.caseChecks().stream().map(CaseCheck::name).collect(Collectors.toSet());
        for (SuiteResult r : results) {
            Map<String, Double> caseSeconds = new HashMap<>();
            r.cases.forEach(c -> caseSeconds.put(c.id(), c.seconds()));
            for (SuiteResult.PropertyResult p : r.properties.values()) {
                Testsuite s = new Testsuite(r.target + "." + p.name, p.seconds);
                boolean perCase = caseChecks.contains(p.name);
                for (String label : p.passedLabels) {
                    s.testcase(label, perCase ? caseSeconds.getOrDefault(label, 0.0) : 0, null, null);
                }
                int k = 0;
                for (Failure f : p.failures) {
                    // a case check fails once per case; a suite property may fail several times, with or without a case
                    String name = perCase ? f.caseId() : "failure " + (++k) + ("-".equals(f.caseId()) ? "" : " " + f.caseId());
                    s.testcase(name, perCase ? caseSeconds.getOrDefault(f.caseId(), 0.0) : 0, f, null);
                }
                int j = 0;
                for (String reason : p.skipped) {
                    s.testcase(perCase ? "(no applicable case)" : "skipped " + (++j), 0, null, reason);
                }
                s.properties.add(new String[]{"target", r.target});
                s.properties.add(new String[]{"machine", r.machine});
                s.properties.add(new String[]{"level", Integer.toString(r.level)});
                s.properties.add(new String[]{"seed", Seeds.hex(r.baseSeed)});
                s.properties.add(new String[]{"rules", p.rules.stream().map(rule -> rule.id).collect(Collectors.joining(","))});
                s.properties.add(new String[]{"description", p.description});
                s.write(body, timestamp);
                tests += s.tests;
                failures += s.failures;
                skipped += s.skipped;
            }
            Testsuite cov = coverage(r);
            cov.write(body, timestamp);
            tests += cov.tests;
            failures += cov.failures;
            skipped += cov.skipped;
            time += r.seconds;
        }
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuites name=\"qr conformance\" tests=\"").append(tests).append("\" failures=\"").append(failures)
                .append("\" errors=\"0\" skipped=\"").append(skipped).append("\" time=\"").append(seconds(time)).append("\">\n");
        x.append(body);
        x.append("</testsuites>\n");
        return x.toString();
    }

    /** One testcase per coverage class: hit passes, missed fails where the run was a full matrix, else is skipped. */
    private static Testsuite coverage(SuiteResult r) {
        Testsuite s = new Testsuite(r.target + ".coverage", 0);
        Set<Coverage> missing = r.missingCoverage();
        for (Coverage c : Coverage.values()) {
            String name = c.name().toLowerCase(Locale.ROOT) + " (" + c.meaning() + ")";
            if (r.coverage.contains(c)) {
                s.testcase(name, 0, null, null);
            } else if (missing.contains(c)) {
                String msg = "coverage class " + c + " (" + c.meaning() + ") was not hit by any case of this full matrix";
                s.failed(name, 0, msg, "coverage", msg);
            } else {
                s.testcase(name, 0, null, r.cases.isEmpty() ? "no case ran"
                        : "not required: the run did not cover the whole case matrix");
            }
        }
        s.properties.add(new String[]{"target", r.target});
        s.properties.add(new String[]{"full-matrix", Boolean.toString(r.fullMatrix)});
        return s;
    }

    private static final class Testsuite {
        final String name;
        final double seconds;
        final StringBuilder cases = new StringBuilder();
        final List<String[]> properties = new ArrayList<>();
        int tests;
        int failures;
        int skipped;

        Testsuite(String name, double seconds) {
            this.name = name;
            this.seconds = seconds;
        }

        void testcase(String caseName, double time, Failure failure, String skipReason) {
            if (failure != null) {
                String line = failure.line();
                failed(caseName, time, line, failure.rule().id, line + "\n" + failure.countLine());
            } else {
                verdict(caseName, time, null, null, null, skipReason);
            }
        }

        void failed(String caseName, double time, String message, String type, String text) {
            verdict(caseName, time, message, type, text, null);
        }

        private void verdict(String caseName, double time, String message, String type, String text, String skipReason) {
            tests++;
            cases.append("    <testcase classname=\"").append(escape(name)).append("\" name=\"").append(escape(caseName))
                    .append("\" time=\"").append(seconds(time)).append('"');
            if (message == null && skipReason == null) {
                cases.append("/>\n");
                return;
            }
            cases.append(">\n");
            if (message != null) {
                failures++;
                cases.append("      <failure message=\"").append(escape(message)).append("\" type=\"").append(escape(type))
                        .append("\">").append(escape(text)).append("</failure>\n");
            } else {
                skipped++;
                cases.append("      <skipped message=\"").append(escape(skipReason)).append("\"/>\n");
            }
            cases.append("    </testcase>\n");
        }

        void write(StringBuilder x, Instant timestamp) {
            x.append("  <testsuite name=\"").append(escape(name)).append("\" tests=\"").append(tests).append("\" failures=\"")
                    .append(failures).append("\" errors=\"0\" skipped=\"").append(skipped).append("\" time=\"").append(seconds(seconds))
                    .append("\" timestamp=\"").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                            timestamp.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toLocalDateTime())).append("\">\n");
            x.append("    <properties>\n");
            for (String[] p : properties) {
                x.append("      <property name=\"").append(escape(p[0])).append("\" value=\"").append(escape(p[1])).append("\"/>\n");
            }
            x.append("    </properties>\n");
            x.append(cases);
            x.append("  </testsuite>\n");
        }
    }
}
