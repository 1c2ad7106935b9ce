package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

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
    public record Row(Primitive op, Format16 format, ArithPolicy policy, Profile fp8As, List<Profile> implemented, int cases,
                      List<TableComparison.Verdict> verdicts, double seconds) {
        public String formatLabel() {
            return op.formatLabel(format) + (op.fp8() ? " " + fp8Variant(fp8As) : "");
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
    public record Result(String source, Map<ArithPolicy, List<Profile>> policies, List<Row> rows, long seed) {
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
                // an fp8 row runs the conversion in one profile's mode (native where the chip's format is that
                // profile's, fixed up or in software otherwise), so it says nothing about the device's own profile
                if (r.policy().raw && !r.op().fp8()) {
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
                    if (!r.policy().raw || r.op().fp8()) {
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

    /** One profile per distinct fp8 conversion (format and out-of-range rule) of the profile table. */
    static List<Profile> fp8Variants() {
        List<Profile> out = new ArrayList<>();
        for (Profile p : Profile.values()) {
            if (out.stream().noneMatch(q -> q.fp8Format() == p.fp8Format() && q.fp8Saturates() == p.fp8Saturates())) {
                out.add(p);
            }
        }
        return out;
    }

    static List<Profile> sameFp8(Profile as) {
        return java.util.Arrays.stream(Profile.values())
                .filter(p -> p.fp8Format() == as.fp8Format() && p.fp8Saturates() == as.fp8Saturates()).toList();
    }

    /** {@code e4m3fn/satfinite}: how a row's fp8 variant is labelled. */
    static String fp8Variant(Profile as) {
        return as.fp8Format().id() + "/" + (as.fp8Saturates() ? "satfinite" : "nan");
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
        Map<ArithPolicy, List<Profile>> policies = source.policies();
        List<Row> rows = new ArrayList<>();
        for (Primitive op : Primitive.values()) {
            for (Format16 f : formats(op)) {
                int[] inputs = PrimitiveCases.of(op, f, seed);
                for (Map.Entry<ArithPolicy, List<Profile>> e : policies.entrySet()) {
                    ArithPolicy policy = e.getKey();
                    if (policy.format != f || !policy.runs(op)) {
                        continue;
                    }
                    // the fp8 conversions once per distinct (format, out-of-range rule) of the profiles, each of which
                    // implements every profile with those columns; the other primitives once
                    for (Profile as : op.fp8() ? fp8Variants() : List.of(Profile.values()[0])) {
                        List<Profile> implemented = op.fp8() ? sameFp8(as) : e.getValue();
                        long t0 = System.nanoTime();
                        int[] outputs = source.run(op, policy, as, inputs);
                        List<TableComparison.Verdict> verdicts = new ArrayList<>();
                        for (Profile p : Profile.values()) {
                            verdicts.add(TableComparison.compare(op, f, p, inputs, outputs, limit));
                        }
                        Row row = new Row(op, f, policy, op.fp8() ? as : null, implemented, inputs.length, List.copyOf(verdicts),
                                (System.nanoTime() - t0) / 1e9);
                        rows.add(row);
                        progress.accept(PrimitivesReport.line(row));
                    }
                }
            }
        }
        return new Result(source.describe(), policies, List.copyOf(rows), seed);
    }
}
