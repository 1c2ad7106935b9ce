package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/** Every rank's output is bit-identical to rank 0's (raw bits: the ranks decode the same bytes). */
public final class RanksIdentical implements CaseCheck {
    @Override
    public String name() {
        return "ranks-identical";
    }

    @Override
    public String description() {
        return "all ranks output the same bits, NaN payloads included";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.RED_IDENTICAL);
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        short[][] o = run.outputs();
        long n = run.spec().n();
        long wrong = 0;
        Failure first = null;
        for (int r = 1; r < o.length; r++) {
            for (int e = 0; e < n; e++) {
                if (o[r][e] != o[0][e]) {
                    if (first == null) {
                        first = new Failure(Rule.RED_IDENTICAL, name(), run.spec().id(), r, e, CaseCheck.inputsAt(run.inputs(), e),
                                o[r][e] & 0xFFFF, o[0][e] & 0xFFFF, 0, "(want = rank 0's output)", CaseCheck.repro(target, run.spec()),
                                run.spec().seed());
                    }
                    wrong++;
                }
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        long w = wrong;
        Failure f = first;
        return Optional.of(new Failure(f.rule(), f.property(), f.caseId(), f.rank(), f.element(), f.inputs(), f.got(), f.want(), w,
                f.detail(), f.repro(), f.seed()));
    }
}
