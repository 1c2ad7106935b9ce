package dev.qrref.conformance.report;

import dev.qrref.conformance.Coverage;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The console text of a run, also written as {@code summary.txt}: comment lines ({@code #}) and a fixed-width table in
 * the manner of nccl-tests (property, passed, failed, skipped, seconds), then every failure as its one-line report
 * and count line, and last the verdict line, which starts with {@code PASS} or {@code FAIL}.
 */
public final class SummaryText {
    /** Failures printed per property; the rest are counted (junit.xml and report.html hold them all). */
    public static final int FAILURES_PER_PROPERTY = 20;

    private SummaryText() {
    }

    public static String render(List<SuiteResult> results) {
        StringBuilder s = new StringBuilder();
        for (SuiteResult r : results) {
            table(s, r);
        }
        for (SuiteResult r : results) {
            failures(s, r);
        }
        for (SuiteResult r : results) {
            s.append(verdict(r)).append('\n');
        }
        if (results.size() > 1) {
            boolean ok = results.stream().allMatch(SuiteResult::ok);
            s.append(ok ? "PASS" : "FAIL").append(": all targets (")
                    .append(results.stream().map(r -> r.target).collect(Collectors.joining(", "))).append(")\n");
        }
        return s.toString();
    }

    /** The header comments and the table of one run. */
    static void table(StringBuilder s, SuiteResult r) {
        s.append(String.format(Locale.ROOT, "# qr conformance: target %s, level %d, base seed %s, %d case(s), %s%n", r.target, r.level,
                Seeds.hex(r.baseSeed), r.cases.size(), Markup.duration(r.seconds)));
        s.append("# machine: ").append(r.machine).append('\n');
        s.append("#\n");
        int w = Math.max("property".length(), r.properties.keySet().stream().mapToInt(String::length).max().orElse(0));
        String row = "%-2s%-" + w + "s %8s %8s %8s %10s%n";
        s.append(String.format(Locale.ROOT, row, "#", "property", "passed", "failed", "skipped", "seconds"));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        double seconds = 0;
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            s.append(String.format(Locale.ROOT, row, "", p.name, p.passed, p.failures.size(), p.skipped.size(), Markup.seconds(p.seconds)));
            passed += p.passed;
            failed += p.failures.size();
            skipped += p.skipped.size();
            seconds += p.seconds;
        }
        s.append(String.format(Locale.ROOT, row, "#", "total", passed, failed, skipped, Markup.seconds(seconds)));
        s.append("#\n");
        if (r.casesNotRun > 0) {
            s.append("# NOT RUN: ").append(r.notRunReason).append('\n');
        }
        s.append("# throughput: ").append(throughput(r)).append('\n');
        s.append("# coverage: ").append(coverage(r)).append('\n');
        Set<Rule> uncovered = r.uncoveredRules();
        if (!uncovered.isEmpty()) {
            s.append("# rules no passing or failing property stands for: ")
                    .append(uncovered.stream().map(x -> x.id).collect(Collectors.joining(" "))).append('\n');
        }
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            for (String why : p.skipped) {
                s.append("# skipped ").append(p.name).append(": ").append(why).append('\n');
            }
        }
        s.append("#\n");
    }

    /** Cases and verified output elements per second of the case phase (inputs, calls, reference and checks). */
    static String throughput(SuiteResult r) {
        long elements = r.verifiedElements();
        if (r.caseSeconds <= 0) {
            return String.format(Locale.ROOT, "%d case(s), %,d output elements verified", r.cases.size(), elements);
        }
        return String.format(Locale.ROOT, "%d case(s) in %.1f s = %.2f cases/s; %,d output elements verified = %.3g elements/s",
                r.cases.size(), r.caseSeconds, r.cases.size() / r.caseSeconds, elements, elements / r.caseSeconds);
    }

    static String coverage(SuiteResult r) {
        int hit = r.coverage.size();
        int all = Coverage.values().size();
        Set<Coverage> missing = r.missingCoverage();
        if (!missing.isEmpty()) {
            return hit + " of " + all + " classes hit; MISSED " + missing.stream().map(Coverage::name).collect(Collectors.joining(" "));
        }
        if (!r.fullMatrix || r.cases.size() <= 1) {
            return hit + " of " + all + " classes hit (not required: the run did not cover the whole case matrix)";
        }
        return hit + " of " + all + " classes hit";
    }

    /** Every failure of one run: one-line report, then the count line. */
    static void failures(StringBuilder s, SuiteResult r) {
        for (SuiteResult.PropertyResult p : r.properties.values()) {
            List<Failure> fs = p.failures;
            for (int i = 0; i < Math.min(fs.size(), FAILURES_PER_PROPERTY); i++) {
                s.append(fs.get(i).line()).append('\n').append(fs.get(i).countLine()).append('\n');
            }
            if (fs.size() > FAILURES_PER_PROPERTY) {
                s.append("  ... ").append(fs.size() - FAILURES_PER_PROPERTY).append(" more failure(s) of ").append(p.name)
                        .append(" in junit.xml and report.html\n");
            }
        }
    }

    /** {@code PASS: cpu, ...} or {@code FAIL: cpu, ...}: what the exit code says, in words. */
    public static String verdict(SuiteResult r) {
        int failures = r.failures();
        Set<Coverage> missing = r.missingCoverage();
        StringBuilder v = new StringBuilder(r.ok() ? "PASS" : "FAIL");
        v.append(": ").append(r.target).append(", ").append(r.properties.size()).append(" properties, ").append(r.cases.size())
                .append(" case(s), ").append(failures).append(" failure(s)");
        if (failures > 0) {
            v.append(" in ").append(r.properties.values().stream().filter(p -> !p.ok()).map(p -> p.name).collect(Collectors.joining(", ")));
        }
        if (!missing.isEmpty()) {
            v.append(", coverage classes missed: ").append(missing.stream().map(Coverage::name).collect(Collectors.joining(", ")));
        }
        v.append(", level ").append(r.level).append(", seed ").append(Seeds.hex(r.baseSeed));
        return v.toString();
    }
}
