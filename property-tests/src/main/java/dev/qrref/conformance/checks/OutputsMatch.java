package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/** Every rank's output equals the oracle's bit for bit (NaN as a class). */
public final class OutputsMatch implements CaseCheck {
    @Override
    public String name() {
        return "outputs";
    }

    @Override
    public String description() {
        return "every rank's output equals the oracle bit for bit (CPU model: the element-wise definition; GPU: the CPU model)";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.GEO_TILE, Rule.GEO_OWNER, Rule.GEO_GRID, Rule.GRP_INTERLEAVE, Rule.GRP_TREE, Rule.GRP_SELECT,
                Rule.ENC_SCALE, Rule.ENC_RCP, Rule.ENC_CLAMP, Rule.ENC_ROUND, Rule.ENC_PACK, Rule.DEC_VALUE, Rule.FP_RAW,
                Rule.RED_ZERO, Rule.RED_ORDER, Rule.RED_SELF, Rule.RED_REQUANT, Rule.CAST_LOAD, Rule.CAST_STORE,
                Rule.NUM_ROUND, Rule.NUM_OVERFLOW, Rule.NUM_RCP, Rule.NUM_MINMAX);
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        OutputDiff d = OutputDiff.compare(run.spec().path().dtype.format, run.outputs(), expected.outputs(), run.spec().n());
        if (d.ok()) {
            return Optional.empty();
        }
        return Optional.of(new Failure(Rule.RED_REQUANT, name(), run.spec().id(), d.rank(), d.element(),
                CaseCheck.inputsAt(run.inputs(), d.element()), d.got(), d.want(), d.wrong(), null,
                CaseCheck.repro(target, run.spec()) + " --isolate " + d.element(), run.spec().seed()));
    }
}
