package dev.qrref.cpu.protocol;

import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;

/**
 * Phase 2A, all-gather send (rule RED-4): the reduced segment is encoded again — fresh group scales computed on the
 * sums — into every rank's phase-2 slot {@code [block][rank]}, this rank's own included, then every rank's phase-2 flag
 * {@code [block][rank]} is released.
 *
 * <p>The kernel encodes once per destination; encoding is deterministic, so the model encodes into the first
 * destination and copies those bytes to the others.
 */
public final class GatherPhase {
    private GatherPhase() {
    }

    public static void run(CallPlan plan, int rank, int block, short[] reduced, CommBuffer[] buffers, int colour) {
        int ra = plan.rankAtoms();
        int stride = plan.codec().layout().stride();
        long slot = plan.layout().slotOffset(Phase.TWO, plan.level(), block, rank);
        MemorySegment first = buffers[0].segment();
        for (int k = 0; k < ra; k++) {
            plan.codec().encodeAtom(reduced, k * Geometry.ATOM_ELEMENTS, first, slot + (long) k * stride);
        }
        long bytes = (long) ra * stride;
        for (int r = 1; r < plan.worldSize(); r++) {
            MemorySegment.copy(first, slot, buffers[r].segment(), slot, bytes);
        }
        for (int r = 0; r < plan.worldSize(); r++) {
            buffers[r].flagRelease(Phase.TWO, block, rank, colour);
        }
    }
}
