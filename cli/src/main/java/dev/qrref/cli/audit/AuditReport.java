package dev.qrref.cli.audit;

import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** What an audit found: the tally of every codec under every profile, and the recommendation drawn from them. */
public final class AuditReport {
    /** The recommendation when no quantized codec qualifies. */
    public static final String FP_ONLY = "FP only";

    private final AuditInput input;
    private final Auditor.Options options;
    private final List<SetupTally> setups;
    private final AbsMaxHistogram inputGroups;
    private final AbsMaxHistogram sumGroups;

    AuditReport(AuditInput input, Auditor.Options options, List<SetupTally> setups, AbsMaxHistogram inputGroups,
                AbsMaxHistogram sumGroups) {
        this.input = input;
        this.options = options;
        this.setups = List.copyOf(setups);
        this.inputGroups = inputGroups;
        this.sumGroups = sumGroups;
    }

    public AuditInput input() {
        return input;
    }

    public Auditor.Options options() {
        return options;
    }

    /** Every (codec, profile) tally: codecs in the order given, each with every profile in the order given. */
    public List<SetupTally> setups() {
        return setups;
    }

    public SetupTally setup(QuantLevel codec, Profile profile) {
        for (SetupTally s : setups) {
            if (s.codec() == codec && s.profile() == profile) {
                return s;
            }
        }
        throw new IllegalArgumentException(codec.cliName() + " under " + profile.id() + " was not audited");
    }

    /** Absmax of each rank's groups, as the ranks hold them in memory. */
    public AbsMaxHistogram inputGroups() {
        return inputGroups;
    }

    /** Absmax of the groups of the exact sum. */
    public AbsMaxHistogram sumGroups() {
        return sumGroups;
    }

    /** Bits per element a codec puts on the wire, scales included (its atom block over the 2048 values it carries). */
    public static double wireBits(QuantLevel codec) {
        return 8.0 * codec.layout().stride() / Geometry.ATOM_ELEMENTS;
    }

    /**
     * One codec over every audited profile: its worst figures.
     *
     * @param worstSqnrDb       the lowest SQNR of any profile
     * @param worstProfile      the profile where it occurs
     * @param worstRelMae       the largest relative MAE
     * @param worstMaxAbsError  the largest max abs error
     * @param nonFiniteFromFinite the most non-finite outputs of finite exact sums under any profile
     * @param nonFiniteProfile  a profile where that many occur (null when none)
     * @param meets             SQNR at least the bound under every profile and no non-finite output from finite input
     */
    public record CodecSummary(QuantLevel codec, double worstSqnrDb, Profile worstProfile, double worstRelMae,
                               double worstMaxAbsError, long nonFiniteFromFinite, Profile nonFiniteProfile, boolean meets) {
    }

    public CodecSummary summary(QuantLevel codec) {
        double sqnr = Double.POSITIVE_INFINITY;
        Profile at = null;
        double mae = 0;
        double maxAbs = 0;
        long nonFinite = 0;
        Profile nfAt = null;
        boolean unmeasured = false;
        for (Profile p : options.profiles()) {
            SetupTally s = setup(codec, p);
            double q = s.sqnrDb();
            if (q != q) {
                unmeasured = true;
            } else if (at == null || q < sqnr) {
                sqnr = q;
                at = p;
            }
            mae = Math.max(mae, s.relativeMae());
            maxAbs = Math.max(maxAbs, s.accuracy().maxAbsError());
            if (s.nonFiniteFromFinite() > nonFinite) {
                nonFinite = s.nonFiniteFromFinite();
                nfAt = p;
            }
        }
        if (unmeasured && at == null) {
            sqnr = Double.NaN;
            at = options.profiles().getFirst();
        }
        boolean meets = !unmeasured && Accuracy.meets(sqnr, options.minSqnrDb()) && nonFinite == 0;
        return new CodecSummary(codec, sqnr, at, mae, maxAbs, nonFinite, nfAt, meets);
    }

    /** The quantized codecs in the order the recommendation tries them: fewest wire bits first, then higher SQNR. */
    List<CodecSummary> candidates() {
        List<CodecSummary> out = new ArrayList<>();
        for (QuantLevel c : options.codecs()) {
            if (c.quantized()) {
                out.add(summary(c));
            }
        }
        out.sort(Comparator.comparingDouble((CodecSummary s) -> wireBits(s.codec()))
                .thenComparing(s -> -(Double.isNaN(s.worstSqnrDb()) ? Double.NEGATIVE_INFINITY : s.worstSqnrDb()))
                .thenComparingInt(s -> s.codec().ordinal()));
        return out;
    }

    /** The lowest-bit quantized codec that meets the bound under every audited profile, or {@link #FP_ONLY}. */
    public String recommendation() {
        for (CodecSummary s : candidates()) {
            if (s.meets()) {
                return s.codec().cliName();
            }
        }
        return FP_ONLY;
    }

    /** Why: the recommended codec's figure and each cheaper codec's failure, in words. */
    public String reason() {
        StringBuilder sb = new StringBuilder();
        String rec = recommendation();
        List<String> rejected = new ArrayList<>();
        for (CodecSummary s : candidates()) {
            if (s.meets()) {
                sb.append(s.codec().cliName()).append(" reaches ").append(db(s.worstSqnrDb())).append(" under ")
                        .append(profilesText()).append(" (at least ").append(db(options.minSqnrDb()))
                        .append(") with no non-finite output from finite input");
                break;
            }
            rejected.add(s.codec().cliName() + ": " + failure(s));
        }
        if (rec.equals(FP_ONLY)) {
            sb.append(rejected.isEmpty() ? "no quantized codec was audited" : "no quantized codec qualifies");
        }
        if (!rejected.isEmpty()) {
            sb.append("; ").append(String.join("; ", rejected));
        }
        if (options.codecs().contains(QuantLevel.F16)) {
            CodecSummary fp = summary(QuantLevel.F16);
            if (fp.nonFiniteFromFinite() > 0) {
                sb.append("; note: fp itself gives ").append(fp.nonFiniteFromFinite())
                        .append(" non-finite output(s) of finite sums under ").append(fp.nonFiniteProfile().id());
            }
        }
        return sb.toString();
    }

    private String failure(CodecSummary s) {
        List<String> why = new ArrayList<>();
        if (!Accuracy.meets(s.worstSqnrDb(), options.minSqnrDb())) {
            why.add(Double.isNaN(s.worstSqnrDb()) ? "no finite output to measure"
                    : db(s.worstSqnrDb()) + " under " + s.worstProfile().id());
        }
        if (s.nonFiniteFromFinite() > 0) {
            why.add(s.nonFiniteFromFinite() + " non-finite output(s) of finite sums under " + s.nonFiniteProfile().id());
        }
        return String.join(", ", why);
    }

    private String profilesText() {
        return options.profiles().size() == 1 ? options.profiles().getFirst().id() : "every profile";
    }

    static String db(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf dB (exact)" : "-inf dB";
        }
        return String.format(Locale.ROOT, "%.2f dB", v);
    }
}
