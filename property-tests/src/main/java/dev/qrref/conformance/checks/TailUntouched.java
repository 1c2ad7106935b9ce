package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/** Nothing is written at or past element N (the outputs carry sentinel elements there). */
public final class TailUntouched implements CaseCheck {
    @Override
    public String name() {
        return "tail-untouched";
    }

    @Override
    public String description() {
        return "no store at or beyond element N";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.GEO_TAIL);
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        int n = (int) run.spec().n();
        for (int r = 0; r < run.outputs().length; r++) {
            for (int e = n; e < n + CaseRun.PAD; e++) {
                if (run.outputs()[r][e] != CaseRun.SENTINEL) {
                    return Optional.of(Failure.message(Rule.GEO_TAIL, name(), run.spec().id(), "rank " + r + " wrote element " + e
                            + " (N = " + n + "): " + String.format("0x%04X", run.outputs()[r][e] & 0xFFFF), CaseCheck.repro(target, run.spec())));
                }
            }
        }
        return Optional.empty();
    }
}
