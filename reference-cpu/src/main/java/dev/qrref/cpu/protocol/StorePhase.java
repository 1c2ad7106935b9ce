package dev.qrref.cpu.protocol;

import dev.qrref.cpu.arith.CastTables;
import dev.qrref.cpu.codec.Wire;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;

/**
 * Phase 2B and store (rules RED-4, GEO-4, CAST-2): for each sender {@code s} wait for its phase-2 flag and decode its
 * segment into atoms {@code s·8/W ..} of the tile; then store the tile, converting fp16 → bf16 with the cast, and drop
 * every vector at or beyond element {@code n}.
 */
public final class StorePhase {
    private StorePhase() {
    }

    public static void run(CallPlan plan, int rank, int block, long tileIndex, CommBuffer own, int colour, FlagWaiter waiter,
                           MemorySegment output, short[] tile) {
        int ra = plan.rankAtoms();
        int stride = plan.codec().layout().stride();
        for (int s = 0; s < plan.worldSize(); s++) {
            waiter.await(own, rank, Phase.TWO, block, s, colour);
            long slot = plan.layout().slotOffset(Phase.TWO, plan.level(), block, s);
            for (int k = 0; k < ra; k++) {
                plan.codec().decodeAtom(own.segment(), slot + (long) k * stride, tile, (s * ra + k) * Geometry.ATOM_ELEMENTS);
            }
        }
        long first = tileIndex * Geometry.TILE_ELEMENTS;
        int present = (int) Math.min(Geometry.TILE_ELEMENTS, plan.n() - first);
        if (plan.path().casts()) {
            short[] cast = CastTables.fp16ToBf16(plan.profile());
            for (int i = 0; i < present; i++) {
                tile[i] = cast[tile[i] & 0xFFFF];
            }
        }
        MemorySegment.copy(tile, 0, output, Wire.SHORT, first * Geometry.ELEMENT_BYTES, present);
    }
}
