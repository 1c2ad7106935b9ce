package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/**
 * A named fact, checked without the oracle: where every rank's input is zero in a whole 64-element span, a quantized
 * codec outputs +0 under cuda and cdna4 (the reciprocal overflows to inf, 0·inf = NaN clamps to -L, -L·(-0) = +0) and
 * -0 under cdna3 (the reciprocal saturates, the code is L, +0·(-0) = -0); the FP codec outputs +0 (sum from +0).
 */
public final class ZeroGroupSign implements CaseCheck {
    @Override
    public String name() {
        return "zero-group-sign";
    }

    @Override
    public String description() {
        return "all-zero groups come out as +0 (cuda, cdna4, FP codec) or -0 (cdna3, quantized)";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.NUM_OVERFLOW, Rule.NUM_RCP, Rule.RED_ZERO);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return spec.kind() == InputKind.ZERO_GROUPS || spec.kind() == InputKind.SPECIALS;
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        CaseSpec s = run.spec();
        Format16 in = s.path().dtype.format;
        int want = s.level().quantized() && s.profile() == Profile.CDNA3 ? in.signMask : 0;
        long n = s.n();
        for (long span = 0; span + Geometry.GROUP_SPAN <= n; span += Geometry.GROUP_SPAN) {
            if (!allZero(run.inputs(), span)) {
                continue;
            }
            for (int r = 0; r < run.outputs().length; r++) {
                for (long e = span; e < span + Geometry.GROUP_SPAN; e++) {
                    int got = run.outputs()[r][(int) e] & 0xFFFF;
                    if (got != want) {
                        return Optional.of(new Failure(Rule.NUM_OVERFLOW, name(), s.id(), r, e, CaseCheck.inputsAt(run.inputs(), e), got,
                                want, 1, null, CaseCheck.repro(target, s), s.seed()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean allZero(short[][] inputs, long span) {
        for (short[] v : inputs) {
            for (long e = span; e < span + Geometry.GROUP_SPAN; e++) {
                if ((v[(int) e] & 0x7FFF) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
