package dev.qrref.cpu.protocol;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Geometry;

/**
 * Phase 1B, reduce (rules RED-1, RED-2): starting from +0, for sender {@code s = 0 .. W-1} in that order — whatever this
 * rank is — wait for the phase-1 flag, decode the sender's segment from this rank's own buffer and add it in T.
 */
public final class ReducePhase {
    private ReducePhase() {
    }

    /** Returns the reduced segment ({@code rankAtoms × 2048} values). */
    public static short[] run(CallPlan plan, int rank, int block, CommBuffer own, int colour, FlagWaiter waiter) {
        int ra = plan.rankAtoms();
        int count = ra * Geometry.ATOM_ELEMENTS;
        int stride = plan.codec().layout().stride();
        Arith16 a = plan.arith();
        short[] acc = new short[count]; // +0 in every element
        short[] decoded = new short[count];
        for (int s = 0; s < plan.worldSize(); s++) {
            waiter.await(own, rank, Phase.ONE, block, s, colour);
            long slot = plan.layout().slotOffset(Phase.ONE, plan.level(), block, s);
            for (int k = 0; k < ra; k++) {
                plan.codec().decodeAtom(own.segment(), slot + (long) k * stride, decoded, k * Geometry.ATOM_ELEMENTS);
            }
            for (int i = 0; i < count; i++) {
                acc[i] = (short) a.add(acc[i] & 0xFFFF, decoded[i] & 0xFFFF);
            }
        }
        return acc;
    }
}
