package dev.qrref.cpu.protocol;

import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Geometry;

/**
 * Phase 1A, reduce-scatter send (rules GEO-2, BUF-2, RED-3): segment {@code r} (atoms {@code r·8/W ..}) is encoded into
 * rank {@code r}'s phase-1 slot {@code [block][rank]} — the rank's own segment included — and then rank {@code r}'s
 * phase-1 flag {@code [block][rank]} is set to the colour with a release store.
 */
public final class ScatterPhase {
    private ScatterPhase() {
    }

    public static void run(CallPlan plan, int rank, int block, short[] tile, CommBuffer[] buffers, int colour) {
        int ra = plan.rankAtoms();
        int stride = plan.codec().layout().stride();
        long slot = plan.layout().slotOffset(Phase.ONE, plan.level(), block, rank); // the same offset in every receiver
        for (int r = 0; r < plan.worldSize(); r++) {
            for (int k = 0; k < ra; k++) {
                plan.codec().encodeAtom(tile, (r * ra + k) * Geometry.ATOM_ELEMENTS, buffers[r].segment(), slot + (long) k * stride);
            }
        }
        for (int r = 0; r < plan.worldSize(); r++) {
            buffers[r].flagRelease(Phase.ONE, block, rank, colour);
        }
    }
}
