package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The capture's report: one summary line per table, Markdown, and two CSV files (verdicts, mismatches). */
public final class PrimitivesReport {
    public static final String MARKDOWN = "capture-primitives.md";
    public static final String SUMMARY_CSV = "capture-primitives.csv";
    public static final String MISMATCH_CSV = "capture-mismatches.csv";

    private PrimitivesReport() {
    }

    /** {@code rcp  fp16  native-fp16  65536 cases  matches cuda, cdna4  differs from cdna3 (3 inputs)}. */
    public static String line(CapturePrimitives.Row r) {
        String differs = r.verdicts().stream().filter(v -> !v.matches())
                .map(v -> v.profile().id() + " (" + v.mismatches() + ")").collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%-15s %-11s %-16s %8d cases  matches %-19s%s%s", r.op().id(), r.formatLabel(), r.policy().id(),
                r.cases(), r.matching().isEmpty() ? "none" : ids(r.matching()), differs.isEmpty() ? "" : "  differs from " + differs,
                r.ok() ? "" : "  FAIL: implements " + ids(r.implemented()));
    }

    static String ids(List<Profile> ps) {
        return ps.stream().map(Profile::id).collect(Collectors.joining(", "));
    }

    /** A table value in hex: 16-bit, binary32 or a pair. */
    static String hex(Primitive.Kind k, int v) {
        return switch (k) {
            case U16 -> String.format(Locale.ROOT, "0x%04X", v & 0xFFFF);
            case BOOL -> Integer.toString(v);
            case F32 -> String.format(Locale.ROOT, "0x%08X", v);
            case PAIR -> String.format(Locale.ROOT, "(0x%04X,0x%04X)", v >>> 16, v & 0xFFFF);
        };
    }

    static String policiesText(Map<ArithPolicy, List<Profile>> policies) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<ArithPolicy, List<Profile>> e : policies.entrySet()) {
            ArithPolicy p = e.getKey();
            s.append("- `").append(p.id()).append("`: ").append(p.description).append(p.raw ? " (the raw hardware)" : "")
                    .append("; implements ").append(e.getValue().isEmpty() ? "no profile here" : ids(e.getValue())).append('\n');
        }
        return s.toString();
    }

    public static String markdown(CapturePrimitives.Result res, String when) {
        StringBuilder md = new StringBuilder("# Numerics primitives on the hardware\n\n");
        md.append("- source: ").append(res.source()).append('\n');
        md.append("- date: ").append(when).append(", seed ").append(Seeds.hex(res.seed())).append('\n');
        md.append("- verdict: ").append(res.ok() ? "every policy matches the profiles it implements"
                : "**a policy differs from a profile it implements**").append('\n');
        md.append("- device: the hardware's own instructions (the raw policies, in the mode the kernels set) match ")
                .append(res.deviceSummary()).append("\n\n");
        md.append("Policies (the kernels' `numerics.cuh`, run through `qr_capture_primitive` on the device functions the all-reduce "
                + "calls):\n\n").append(policiesText(res.policies())).append('\n');
        md.append("Each table is compared with every profile of the CPU model (NaN as a class). A cell holds `=` when the table "
                + "matches that profile, else the number of inputs where it differs. A policy that is the raw hardware shows what the "
                + "device itself does; an emulating policy shows what the kernels compute for the profile it emulates.\n\n");
        md.append("| op | format | policy | cases |");
        for (Profile p : Profile.values()) {
            md.append(' ').append(p.id()).append(" |");
        }
        md.append(" implements | ok |\n|---|---|---|---:|");
        for (int i = 0; i < Profile.values().length; i++) {
            md.append("---:|");
        }
        md.append("---|---|\n");
        for (CapturePrimitives.Row r : res.rows()) {
            md.append("| ").append(r.op().id()).append(" | ").append(r.formatLabel()).append(" | ").append(r.policy().id()).append(" | ")
                    .append(r.cases()).append(" |");
            for (TableComparison.Verdict v : r.verdicts()) {
                md.append(' ').append(v.matches() ? "=" : Integer.toString(v.mismatches())).append(" |");
            }
            md.append(' ').append(r.implemented().isEmpty() ? "-" : ids(r.implemented())).append(" | ").append(r.ok() ? "yes" : "**no**")
                    .append(" |\n");
        }
        md.append("\n## Differences\n\nFor every table and profile that differ: the count, then the first inputs as "
                + "`input => hardware model`.\n");
        boolean any = false;
        for (CapturePrimitives.Row r : res.rows()) {
            for (TableComparison.Verdict v : r.verdicts()) {
                if (v.matches()) {
                    continue;
                }
                any = true;
                md.append("\n### ").append(r.op().id()).append(' ').append(r.formatLabel()).append(", ").append(r.policy().id())
                        .append(" vs ").append(v.profile().id()).append(": ").append(v.mismatches()).append(" of ").append(v.cases())
                        .append(" inputs\n\n```\n");
                for (TableComparison.Mismatch m : v.first()) {
                    md.append(hex(r.op().input, m.input())).append(" => ").append(hex(r.op().output, m.got())).append(' ')
                            .append(hex(r.op().output, m.want())).append('\n');
                }
                if (v.mismatches() > v.first().size()) {
                    md.append("... ").append(v.mismatches() - v.first().size()).append(" more\n");
                }
                md.append("```\n");
            }
        }
        if (!any) {
            md.append("\nnone\n");
        }
        return md.toString();
    }

    public static List<String> summaryCsv(CapturePrimitives.Result res) {
        List<String> rows = new ArrayList<>();
        rows.add("op,format,policy,raw_hardware,implements,cases,profile,mismatches,matches");
        for (CapturePrimitives.Row r : res.rows()) {
            for (TableComparison.Verdict v : r.verdicts()) {
                rows.add(String.join(",", r.op().id(), r.formatLabel(), r.policy().id(), Boolean.toString(r.policy().raw),
                        ids(r.implemented()).replace(", ", " "), Integer.toString(r.cases()), v.profile().id(),
                        Integer.toString(v.mismatches()), Boolean.toString(v.matches())));
            }
        }
        return rows;
    }

    public static List<String> mismatchCsv(CapturePrimitives.Result res) {
        List<String> rows = new ArrayList<>();
        rows.add("op,format,policy,profile,input,hardware,model");
        for (CapturePrimitives.Row r : res.rows()) {
            for (TableComparison.Verdict v : r.verdicts()) {
                for (TableComparison.Mismatch m : v.first()) {
                    rows.add(String.join(",", r.op().id(), r.formatLabel(), r.policy().id(), v.profile().id(),
                            hex(r.op().input, m.input()).replace(',', ' '), hex(r.op().output, m.got()), hex(r.op().output, m.want())));
                }
            }
        }
        return rows;
    }

    /** Writes the Markdown report and both CSV files into {@code dir}. */
    public static void write(Path dir, CapturePrimitives.Result res, String when) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKDOWN), markdown(res, when));
        Files.write(dir.resolve(SUMMARY_CSV), summaryCsv(res));
        Files.write(dir.resolve(MISMATCH_CSV), mismatchCsv(res));
    }
}
