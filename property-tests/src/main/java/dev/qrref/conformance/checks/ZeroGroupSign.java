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
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/**
 * A named fact, checked without the oracle: where every rank's input is zero in a whole 64-element span, the output is
 * what the dossier's §7.1 derives from the codec's kind, the compute format and the profile's FP16_OVFL column. The
 * phase-1 sum of zeros is +0 (it starts from +0), so the phase-2 encode sees a group of +0: M = +0, d = +0·SF.
 * <ul>
 *   <li>FP codec: +0.</li>
 *   <li>integer codecs (SF &lt; 0, d = -0): fp16 without saturation: rcp(2^-24) = +inf, 0·inf = NaN clamps to -L,
 *       (-L)·(-0) = +0; fp16 with saturation: the reciprocal is 65504, the code is L, (+0)·(-0) = -0; native bf16: the
 *       reciprocal is finite, so -0 as well.</li>
 *   <li>FP8 (SF &gt; 0, d = +0, no clamp): fp16 without saturation: 0·inf = NaN, a NaN code, a NaN output; otherwise w
 *       = 0, code 0, +0.</li>
 * </ul>
 * On the cast path the fp16 result is converted to bf16 (NaN stays NaN).
 */
public final class ZeroGroupSign implements CaseCheck {
    @Override
    public String name() {
        return "zero-group-sign";
    }

    @Override
    public String description() {
        return "all-zero spans come out as +0, -0 or NaN as the codec kind, the compute format and FP16_OVFL decide (dossier 7.1)";
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
        int want = expected(s);
        long n = s.n();
        for (long span = 0; span + Geometry.GROUP_SPAN <= n; span += Geometry.GROUP_SPAN) {
            if (!allZero(run.inputs(), span)) {
                continue;
            }
            for (int r = 0; r < run.outputs().length; r++) {
                for (long e = span; e < span + Geometry.GROUP_SPAN; e++) {
                    int got = run.outputs()[r][(int) e] & 0xFFFF;
                    if (got != want && !(in.isNaN(got) && in.isNaN(want))) {
                        return Optional.of(new Failure(Rule.NUM_OVERFLOW, name(), s.id(), r, e, CaseCheck.inputsAt(run.inputs(), e), got,
                                want, 1, null, CaseCheck.repro(target, s), s.seed()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The output bits (in the memory format) of an all-zero span for this case's codec, path and profile. */
    static int expected(CaseSpec s) {
        Format16 out = s.path().dtype.format;
        boolean fp16 = s.path().compute == Format16.FP16;
        boolean saturates = s.profile().fp16OverflowSaturates();
        return switch (s.level().kind) {
            case RAW -> 0;
            case INTEGER -> fp16 && !saturates ? 0 : out.signMask;
            case FP8 -> fp16 && !saturates ? out.canonicalNaN : 0;
        };
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
