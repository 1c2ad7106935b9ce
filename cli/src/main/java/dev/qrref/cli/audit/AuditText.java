package dev.qrref.cli.audit;

import dev.qrref.spec.DType;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The plain-text report of {@code qr audit} (stdout). */
public final class AuditText {
    private AuditText() {
    }

    public static void print(AuditReport r, PrintWriter out) {
        AuditInput in = r.input();
        Auditor.Options o = r.options();
        out.printf(Locale.ROOT, "audit          %d ranks x %d elements per rank in %d call(s), data path %s; %s%n", in.worldSize(),
                in.elementsPerRank(), in.calls().size(), o.path().id(), in.description());
        out.printf("reference      float64 sum of the %s rank inputs (%s)%n", in.dtype().id(),
                in.dtype() == DType.FP16 ? "exact" : "compensated, rounded once");
        List<String> codecs = new ArrayList<>();
        List<String> cliffs = new ArrayList<>();
        for (QuantLevel c : o.codecs()) {
            codecs.add(c.cliName() + " (" + num(AuditReport.wireBits(c)) + " bits per element)");
            double cliff = Thresholds.cliff(c, o.path().compute);
            if (c.quantized()) {
                cliffs.add(c.cliName() + " " + (cliff == 0 ? "none" : num(cliff)));
            }
        }
        out.println("codecs         " + String.join(", ", codecs));
        out.println("profiles       " + String.join(", ", o.profiles().stream().map(Profile::id).toList()));
        out.println("thresholds     " + (cliffs.isEmpty() ? "" : "reciprocal cliff below group absmax " + String.join(", ", cliffs) + "; ")
                + o.path().compute.id() + " overflow above " + num(Thresholds.overflow(o.path().compute)));
        out.println();
        out.println("accuracy against the exact sum (over elements whose output and exact sum are finite)");
        out.printf("%-6s %-8s %12s %12s %14s %s%n", "codec", "profile", "SQNR dB", "rel MAE", "max abs err", "non-finite from finite");
        for (SetupTally s : r.setups()) {
            out.printf(Locale.ROOT, "%-6s %-8s %12s %12s %14s %d%n", s.codec().cliName(), s.profile().id(), dbCell(s.sqnrDb()),
                    num(s.relativeMae()), num(s.accuracy().maxAbsError()), s.nonFiniteFromFinite());
        }
        out.println();
        out.println("hazards: groups/elements touched (each tensor position once); phase 1 = each rank's own encode (per rank), "
                + "phase 2 = the reduction and the re-encode of the sum; spread = finite values turned NaN/inf; "
                + "SQNR, max abs err and NaN/inf outputs of finite sums, over the touched groups");
        out.printf("%-6s %-8s %-22s %9s %10s | %9s %10s %8s | %9s %10s %8s | %9s %12s %8s%n", "codec", "profile", "hazard", "groups",
                "elements", "ph1 grp", "ph1 elem", "spread", "ph2 grp", "ph2 elem", "spread", "SQNR dB", "max abs err", "NaN/inf");
        int rows = 0;
        for (SetupTally s : r.setups()) {
            for (Hazard h : Hazard.values()) {
                HazardTally t = s.hazard(h);
                if (!t.any()) {
                    continue;
                }
                rows++;
                out.printf(Locale.ROOT, "%-6s %-8s %-22s %9d %10d | %9d %10d %8d | %9d %10d %8d | %9s %12s %8d%n", s.codec().cliName(),
                        s.profile().id(), h.id(), t.groups(), t.elements(), t.groups(1), t.elements(1), t.spread(1), t.groups(2),
                        t.elements(2), t.spread(2), dbCell(t.sqnrDb()), num(t.maxAbsError()), t.lostFinite());
            }
        }
        if (rows == 0) {
            out.println("(none: no hazard occurred under any codec and profile)");
        }
        if (o.keep() > 0 && rows > 0) {
            out.println();
            out.println("worst groups (up to " + o.keep() + " per hazard, codec and profile; --json and the HTML report add a "
                    + "'qr explain' command for each)");
            for (SetupTally s : r.setups()) {
                for (Hazard h : Hazard.values()) {
                    List<WorstGroup> ws = s.hazard(h).worst();
                    if (ws.isEmpty()) {
                        continue;
                    }
                    out.println(s.codec().cliName() + " " + s.profile().id() + " " + h.id() + callsText(s.hazard(h), in));
                    for (WorstGroup w : ws) {
                        out.println("  phase " + w.phase() + " " + w.who() + ", " + w.location() + ": " + w.detail());
                    }
                }
            }
        }
        out.println();
        out.println("recommendation " + r.recommendation() + " (minimum SQNR " + AuditReport.db(o.minSqnrDb()) + "): " + r.reason());
    }

    /** With several calls: in how many calls the hazard occurred, and the first few of them. */
    static String callsText(HazardTally t, AuditInput in) {
        if (in.calls().size() < 2) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (int call : t.byCall().keySet()) {
            if (names.size() == 3) {
                names.add("...");
                break;
            }
            names.add(in.calls().get(call).name());
        }
        return " (in " + t.byCall().size() + " of " + in.calls().size() + " calls: " + String.join(", ", names) + ")";
    }

    static String dbCell(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return TileAnalysis.num(v);
    }
}
