package dev.qrref.conformance.checks;

import dev.qrref.conformance.BufferDiff;
import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Target;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/** The communication buffers hold the model's bytes after the call: flags, counters, codes and scales. */
public final class BuffersMatch implements CaseCheck {
    @Override
    public String name() {
        return "buffers";
    }

    @Override
    public String description() {
        return "every rank's communication buffer equals the CPU model's byte for byte (16-bit float fields: NaN as a class)";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.BUF_REGIONS, Rule.BUF_SLOTS, Rule.ENC_PACK, Rule.ENC_LEADER, Rule.FLAG_COLOUR, Rule.RED_SELF);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return !target.isModel();
    }

    @Override
    public String whyNotApplicable(Target target) {
        return target.isModel() ? "the CPU model is the reference for buffer bytes; per-rank compares its two schedules instead"
                : "no case of this run applies";
    }

    @Override
    public boolean needsBuffers() {
        return true;
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        if (run.buffers() == null || expected.buffers() == null) {
            return Optional.empty();
        }
        BufferDiff d = BufferDiff.compare(run.spec(), run.layout(), run.buffers(), expected.buffers());
        if (d.ok()) {
            return Optional.empty();
        }
        int off = (int) d.offset();
        String detail = String.format("rank=%d offset=%d (%s) got=0x%02X want=0x%02X, %d differing bytes", d.rank(), d.offset(), d.region(),
                run.buffers()[d.rank()][off] & 0xFF, expected.buffers()[d.rank()][off] & 0xFF, d.wrong());
        return Optional.of(new Failure(Rule.BUF_SLOTS, name(), run.spec().id(), -1, -1, null, -1, -1, d.wrong(), detail,
                CaseCheck.repro(target, run.spec()), run.spec().seed()));
    }
}
