package dev.qrref.conformance.primitives;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Captures every primitive table of every policy a source runs and compares each with every profile's model. A policy
 * must match each profile it implements; whatever else it matches or not is information (e.g. the raw hardware against
 * cdna3).
 */
public final class CapturePrimitives {
    private CapturePrimitives() {
    }

    /**
     * One table compared with every profile.
     *
     * @param implemented the profiles this policy implements on the source's device
     */
    public record Row(Primitive op, Format16 format, Policy policy, List<Profile> implemented, int cases, List<TableComparison.Verdict> verdicts,
                      double seconds) {
        public String formatLabel() {
            return op.formatLabel(format);
        }

        /** The profiles the table matches. */
        public List<Profile> matching() {
            return verdicts.stream().filter(TableComparison.Verdict::matches).map(TableComparison.Verdict::profile).toList();
        }

        /** True when the table matches every profile the policy implements. */
        public boolean ok() {
            return implemented.stream().allMatch(matching()::contains);
        }
    }

    /** The whole capture. */
    public record Result(String source, Map<Policy, List<Profile>> policies, List<Row> rows, long seed) {
        public boolean ok() {
            return rows.stream().allMatch(Row::ok);
        }

        /**
         * The profiles the device's own instructions follow: those that every table of a raw policy (the hardware's own
         * fp16 and bf16 instructions, in the mode the kernels set) matches. On a chip this answers which profile it is.
         */
        public List<Profile> deviceMatches() {
            List<Profile> out = new ArrayList<>(List.of(Profile.values()));
            for (Row r : rows) {
                if (r.policy().raw) {
                    out.retainAll(r.matching());
                }
            }
            return List.copyOf(out);
        }

        /** One line: which profiles the device's own instructions match, and for the others where they differ. */
        public String deviceSummary() {
            StringBuilder s = new StringBuilder();
            List<Profile> m = deviceMatches();
            s.append(m.isEmpty() ? "none" : String.join(", ", m.stream().map(Profile::id).toList()));
            for (Profile p : Profile.values()) {
                if (m.contains(p)) {
                    continue;
                }
                List<String> where = new ArrayList<>();
                for (Row r : rows) {
                    if (!r.policy().raw) {
                        continue;
                    }
                    for (TableComparison.Verdict v : r.verdicts()) {
                        if (v.profile() == p && !v.matches()) {
                            where.add(r.op().id() + " " + r.formatLabel() + " (" + v.mismatches() + " of " + v.cases() + ")");
                        }
                    }
                }
                s.append("; not ").append(p.id()).append(": ").append(String.join(", ", where));
            }
            return s.toString();
        }
    }

    /** The formats {@code op} is captured in. */
    static List<Format16> formats(Primitive op) {
        return switch (op) {
            case CAST_BF16_TO_FP16, CAST_FP16_TO_BF16 -> List.of(Format16.FP16);
            default -> List.of(Format16.FP16, Format16.BF16);
        };
    }

    /**
     * @param limit    mismatches kept per table and profile (all are counted)
     * @param progress one line per table
     */
    public static Result run(PrimitiveSource source, long seed, int limit, Consumer<String> progress) {
        Map<Policy, List<Profile>> policies = source.policies();
        List<Row> rows = new ArrayList<>();
        for (Primitive op : Primitive.values()) {
            for (Format16 f : formats(op)) {
                int[] inputs = PrimitiveCases.of(op, f, seed);
                for (Map.Entry<Policy, List<Profile>> e : policies.entrySet()) {
                    Policy policy = e.getKey();
                    if (policy.format != f || !policy.runs(op)) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    int[] outputs = source.run(op, policy, inputs);
                    List<TableComparison.Verdict> verdicts = new ArrayList<>();
                    for (Profile p : Profile.values()) {
                        verdicts.add(TableComparison.compare(op, f, p, inputs, outputs, limit));
                    }
                    Row row = new Row(op, f, policy, e.getValue(), inputs.length, List.copyOf(verdicts), (System.nanoTime() - t0) / 1e9);
                    rows.add(row);
                    progress.accept(PrimitivesReport.line(row));
                }
            }
        }
        return new Result(source.describe(), policies, List.copyOf(rows), seed);
    }
}
