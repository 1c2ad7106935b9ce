package dev.qrref.cpu.protocol;

import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;

/**
 * One rank's part of a call when each rank runs on its own thread (the per-rank {@code DeviceComms} API): the blocks run
 * one after another, each through its grid-stride iterations, waiting on real flags. Every rank uses the same block
 * order, so every wait is eventually satisfied while all ranks take part; a missing rank ends in a timeout.
 */
public final class RankAllReduce {
    private RankAllReduce() {
    }

    public static void run(CallPlan plan, int rank, CommBuffer[] buffers, MemorySegment input, MemorySegment output, FlagWaiter waiter) {
        CommBuffer own = buffers[rank];
        short[] tile = new short[Geometry.TILE_ELEMENTS];
        short[] reduced = new short[Geometry.TILE_ELEMENTS];
        short[] decoded = new short[Geometry.TILE_ELEMENTS];
        for (int block = 0; block < plan.grid(); block++) {
            int counter = own.counter(block);
            int iterations = plan.iterations(block);
            for (int j = 0; j < iterations; j++) {
                int colour = FlagScheme.colour(counter, j);
                long tileIndex = plan.tile(block, j);
                LoadPhase.run(plan, input, tileIndex, tile);
                ScatterPhase.run(plan, rank, block, tile, buffers, colour);
                ReducePhase.run(plan, rank, block, own, colour, waiter, reduced, decoded);
                GatherPhase.run(plan, rank, block, reduced, buffers, colour);
                StorePhase.run(plan, rank, block, tileIndex, own, colour, waiter, output, tile);
            }
            own.setCounter(block, FlagScheme.advance(counter, iterations));
        }
    }
}
