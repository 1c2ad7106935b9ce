package dev.qrref.cpu.protocol;

import dev.qrref.cpu.arith.CastTables;
import dev.qrref.cpu.codec.Wire;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Load (rules GEO-1, GEO-4, CAST-1): the 8 atoms of one tile into registers. Vectors at or beyond element {@code n} read
 * as zero; with the cast every value is converted bf16 → fp16 right after the load.
 */
public final class LoadPhase {
    private LoadPhase() {
    }

    /** Fills {@code tile[0 .. 16384)} with tile {@code tileIndex} of {@code input}. */
    public static void run(CallPlan plan, MemorySegment input, long tileIndex, short[] tile) {
        long first = tileIndex * Geometry.TILE_ELEMENTS;
        int present = (int) Math.min(Geometry.TILE_ELEMENTS, plan.n() - first);
        MemorySegment.copy(input, Wire.SHORT, first * Geometry.ELEMENT_BYTES, tile, 0, present);
        Arrays.fill(tile, present, Geometry.TILE_ELEMENTS, (short) 0);
        if (plan.path().casts()) {
            short[] cast = CastTables.bf16ToFp16(plan.profile());
            for (int i = 0; i < Geometry.TILE_ELEMENTS; i++) {
                tile[i] = cast[tile[i] & 0xFFFF];
            }
        }
    }
}
