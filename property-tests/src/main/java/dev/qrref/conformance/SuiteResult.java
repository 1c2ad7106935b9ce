package dev.qrref.conformance;

import dev.qrref.spec.Rule;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Everything a suite run found, for the console, the JUnit XML and the HTML report. */
public final class SuiteResult {

    /** Verdicts of one property (a case check or a suite property). */
    public static final class PropertyResult {
        public final String name;
        public final String description;
        public final List<Rule> rules;
        public int passed;
        /** One label per pass, in order: the case id for a case check, the property's own words for a suite property. */
        public final List<String> passedLabels = new ArrayList<>();
        public final List<Failure> failures = new ArrayList<>();
        public final List<String> skipped = new ArrayList<>();
        public double seconds;

        PropertyResult(String name, String description, List<Rule> rules) {
            this.name = name;
            this.description = description;
            this.rules = rules;
        }

        public boolean ok() {
            return failures.isEmpty();
        }

        void pass(String label) {
            passed++;
            passedLabels.add(label);
        }
    }

    /**
     * One executed case.
     *
     * @param id       case id
     * @param seconds  wall time of the backend's all-reduce
     * @param failures names of the checks that failed on it
     * @param elements output elements compared with the reference (W x N; 0 when the call itself failed)
     */
    public record CaseRecord(String id, double seconds, List<String> failures, long elements) {
    }

    public final String target;
    public final String machine;
    public final int level;
    public final long baseSeed;
    /**
     * Whether the run covered the whole case matrix for its target (no world size, codec, data path or supported profile
     * left out, no single case): only then must every coverage class be hit.
     */
    public final boolean fullMatrix;
    public final Map<String, PropertyResult> properties = new LinkedHashMap<>();
    public final Set<Coverage> coverage = new java.util.TreeSet<>();
    public final List<CaseRecord> cases = new ArrayList<>();
    /** Per codec: histogram of |error| / rms(exact sum) over Gaussian cases, bins of {@link #HISTOGRAM_BINS}. */
    public final Map<String, long[]> errorHistograms = new LinkedHashMap<>();
    public double seconds;
    /** Wall time of the case phase: inputs, the backend's calls, the reference and every case check. */
    public double caseSeconds;
    /** Cases of the matrix that did not run because a time budget ran out (0 without a budget), and why. */
    public int casesNotRun;
    public String notRunReason = "";

    /** Upper edges of the error histogram bins (relative to the rms of the exact sum), last bin open. */
    public static final double[] HISTOGRAM_BINS = {1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1};

    SuiteResult(String target, String machine, int level, long baseSeed, boolean fullMatrix) {
        this.target = target;
        this.machine = machine;
        this.level = level;
        this.baseSeed = baseSeed;
        this.fullMatrix = fullMatrix;
    }

    PropertyResult property(String name, String description, List<Rule> rules) {
        return properties.computeIfAbsent(name, k -> new PropertyResult(name, description, rules));
    }

    /** Output elements compared with the reference over all cases. */
    public long verifiedElements() {
        return cases.stream().mapToLong(CaseRecord::elements).sum();
    }

    public boolean ok() {
        return properties.values().stream().allMatch(PropertyResult::ok) && missingCoverage().isEmpty();
    }

    public int failures() {
        return properties.values().stream().mapToInt(p -> p.failures.size()).sum();
    }

    /** Coverage classes the run did not hit; empty unless the run was a {@link #fullMatrix full matrix}. */
    public Set<Coverage> missingCoverage() {
        if (casesNotRun > 0 || !fullMatrix || cases.size() <= 1) {
            return new java.util.TreeSet<>();
        }
        Set<Coverage> m = new java.util.TreeSet<>(Coverage.values());
        m.removeAll(coverage);
        return m;
    }

    /** Rules that no property of this run stands for. */
    public Set<Rule> uncoveredRules() {
        Set<Rule> r = EnumSet.allOf(Rule.class);
        for (PropertyResult p : properties.values()) {
            if (p.passed > 0 || !p.failures.isEmpty()) {
                p.rules.forEach(r::remove);
            }
        }
        return r;
    }
}
