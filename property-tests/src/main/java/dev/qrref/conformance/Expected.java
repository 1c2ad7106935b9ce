package dev.qrref.conformance;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.spec.Backends;
import dev.qrref.spec.BufferLayout;

/**
 * What a case must produce. For the CPU model as target: the element-wise model's output (same for every rank), no
 * buffers. For any other target: the CPU model run with the target's layout, outputs and buffers.
 *
 * @param outputs per-rank expected outputs ({@code n} elements each)
 * @param buffers per-rank expected buffers, or null
 */
public record Expected(short[][] outputs, byte[][] buffers) {

    public static Expected of(Target target, CaseSpec spec, short[][] inputs, BufferLayout targetLayout, boolean withBuffers) {
        if (target.isModel()) {
            short[] one = ElementwiseModel.allreduce(inputs, (int) spec.n(), spec.level(), spec.path(), NumericsProfile.of(spec.profile()));
            short[][] all = new short[spec.worldSize()][];
            java.util.Arrays.fill(all, one);
            return new Expected(all, null);
        }
        Target model = new Target(Backends.open("cpu"), target.timeout());
        CaseSpec same = new CaseSpec(spec.worldSize(), spec.level(), spec.path(), spec.profile(), spec.n(), spec.kind(),
                targetLayout.maxBlocks(), spec.seed());
        CaseRun run = CaseRun.execute(model, same, inputs, withBuffers);
        if (withBuffers && !run.layout().equals(targetLayout)) {
            throw new IllegalStateException("model layout " + run.layout() + " differs from the target's " + targetLayout);
        }
        short[][] outs = new short[spec.worldSize()][];
        for (int r = 0; r < outs.length; r++) {
            outs[r] = java.util.Arrays.copyOf(run.outputs()[r], (int) spec.n());
        }
        return new Expected(outs, run.buffers());
    }
}
