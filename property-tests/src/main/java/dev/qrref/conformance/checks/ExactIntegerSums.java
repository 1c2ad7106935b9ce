package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Format16;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/**
 * Data movement checked apart from arithmetic: with small integers every partial sum is exact, so the FP codec's output
 * must be the integer sum whatever the order — a wrong slot, owner or tail shows up as a wrong integer.
 */
public final class ExactIntegerSums implements CaseCheck {
    @Override
    public String name() {
        return "exact-sums";
    }

    @Override
    public String description() {
        return "FP codec on small integers: every output is the exact integer sum of the ranks' inputs";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.FP_RAW, Rule.GEO_OWNER, Rule.GEO_TILE, Rule.BUF_SLOTS);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return spec.kind() == InputKind.SMALL_INTEGERS && spec.level() == QuantLevel.F16;
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        CaseSpec s = run.spec();
        Format16 in = s.path().dtype.format;
        long wrong = 0;
        Failure first = null;
        for (int e = 0; e < s.n(); e++) {
            double sum = 0;
            for (short[] v : run.inputs()) {
                sum += in.toDouble(v[e] & 0xFFFF);
            }
            for (int r = 0; r < run.outputs().length; r++) {
                int got = run.outputs()[r][e] & 0xFFFF;
                if (in.toDouble(got) != sum) {
                    if (first == null) {
                        first = new Failure(Rule.FP_RAW, name(), s.id(), r, e, CaseCheck.inputsAt(run.inputs(), e), got,
                                bits(in, sum), 0, "(the integer sum " + (long) sum + ")", CaseCheck.repro(target, s), s.seed());
                    }
                    wrong++;
                }
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        Failure f = first;
        return Optional.of(new Failure(f.rule(), f.property(), f.caseId(), f.rank(), f.element(), f.inputs(), f.got(), f.want(), wrong,
                f.detail(), f.repro(), f.seed()));
    }

    private static int bits(Format16 f, double v) {
        return f == Format16.FP16 ? Fp16.fromFloatRne((float) v) : Bf16.fromFloatRne((float) v);
    }
}
