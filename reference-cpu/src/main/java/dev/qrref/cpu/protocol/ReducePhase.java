package dev.qrref.cpu.protocol;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Vector16;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Geometry;
import java.util.Arrays;

/**
 * Phase 1B, reduce (rules RED-1, RED-2): starting from +0, for sender {@code s = 0 .. W-1} in that order — whatever this
 * rank is — wait for the phase-1 flag, decode the sender's segment from this rank's own buffer and add it in T.
 */
public final class ReducePhase {
    private ReducePhase() {
    }

    /** Returns the reduced segment ({@code rankAtoms × 2048} values). */
    public static short[] run(CallPlan plan, int rank, int block, CommBuffer own, int colour, FlagWaiter waiter) {
        int count = plan.rankAtoms() * Geometry.ATOM_ELEMENTS;
        short[] acc = new short[count];
        run(plan, rank, block, own, colour, waiter, acc, new short[count]);
        return acc;
    }

    /**
     * Writes the reduced segment into {@code acc[0 .. rankAtoms × 2048)}; {@code decoded} is scratch of the same size.
     * Both arrays may hold anything on entry.
     */
    public static void run(CallPlan plan, int rank, int block, CommBuffer own, int colour, FlagWaiter waiter, short[] acc,
                           short[] decoded) {
        int ra = plan.rankAtoms();
        int count = ra * Geometry.ATOM_ELEMENTS;
        int stride = plan.codec().layout().stride();
        Arith16 a = plan.arith();
        Arrays.fill(acc, 0, count, (short) 0); // +0 in every element
        boolean vector = plan.vector() && count % Vector16.LANES == 0;
        for (int s = 0; s < plan.worldSize(); s++) {
            waiter.await(own, rank, Phase.ONE, block, s, colour);
            long slot = plan.layout().slotOffset(Phase.ONE, plan.level(), block, s);
            for (int k = 0; k < ra; k++) {
                plan.codec().decodeAtom(own.segment(), slot + (long) k * stride, decoded, k * Geometry.ATOM_ELEMENTS);
            }
            if (vector) {
                Vector16.addInto(a, acc, decoded, count);
            } else {
                for (int i = 0; i < count; i++) {
                    acc[i] = (short) a.add(acc[i] & 0xFFFF, decoded[i] & 0xFFFF);
                }
            }
        }
    }
}
