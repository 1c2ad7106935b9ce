package dev.qrref.docs;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.Suite;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.spec.Rule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The normative rules of {@link Rule}: one include per rule ({@code rules/<ID>.adoc}, a paragraph with the anchor
 * {@code <ID>} that the specification places where the rule belongs), the full table with the conformance checks that
 * stand for each rule ({@code rules.adoc}), and a table per rule family ({@code rules-<FAMILY>.adoc}).
 */
final class RulesTables {
    private RulesTables() {
    }

    /** Rule → names of the conformance checks and suite properties that list it. */
    static Map<Rule, TreeSet<String>> coverage() {
        Map<Rule, TreeSet<String>> m = new EnumMap<>(Rule.class);
        for (Rule r : Rule.values()) {
            m.put(r, new TreeSet<>());
        }
        for (CaseCheck c : Suite.caseChecks()) {
            for (Rule r : c.rules()) {
                m.get(r).add(c.name());
            }
        }
        for (SuiteProperty p : Suite.suiteProperties()) {
            for (Rule r : p.rules()) {
                m.get(r).add(p.name());
            }
        }
        return m;
    }

    static String family(Rule r) {
        return r.id.substring(0, r.id.indexOf('-'));
    }

    static void write(Out out) {
        Map<Rule, TreeSet<String>> cov = coverage();
        Map<String, List<Rule>> families = new LinkedHashMap<>();
        List<List<String>> rows = new ArrayList<>();
        int uncovered = 0;
        for (Rule r : Rule.values()) {
            if (!r.id.matches("[A-Z]+-[0-9]+")) {
                throw new IllegalStateException("rule id " + r.id + " does not have the form FAMILY-N");
            }
            families.computeIfAbsent(family(r), k -> new ArrayList<>()).add(r);
            out.adoc("rules/" + r.id + ".adoc", "[#" + r.id + ".rule,reftext=" + r.id + "]\n" + "**" + r.id + "** __" + Adoc.text(r.title) + ".__ "
                    + Adoc.text(r.statement) + "\n");
            String checks = cov.get(r).isEmpty() ? "_none yet_" : String.join(", ", cov.get(r).stream().map(Adoc::mono).toList());
            if (cov.get(r).isEmpty()) {
                uncovered++;
            }
            rows.add(List.of("<<" + r.id + "," + r.id + ">>", Adoc.text(r.title), Adoc.text(r.statement), checks));
        }
        out.adoc("rules.adoc", Adoc.table("Rules (from dev.qrref.spec.Rule) and the conformance checks that stand for them",
                "1,2,7,3", List.of("ID", "Title", "Statement", "Conformance checks"), rows, "", "small"));
        for (Map.Entry<String, List<Rule>> f : families.entrySet()) {
            StringBuilder sb = new StringBuilder();
            for (Rule r : f.getValue()) {
                sb.append("include::rules/").append(r.id).append(".adoc[]\n\n");
            }
            out.adoc("rules-" + f.getKey() + ".adoc", sb.toString());
        }
        out.adoc("rules-summary.adoc", Adoc.attr("rules-count", Integer.toString(Rule.values().length))
                + Adoc.attr("rules-uncovered", Integer.toString(uncovered))
                + Adoc.attr("rules-families", String.join(", ", families.keySet())));
    }
}
