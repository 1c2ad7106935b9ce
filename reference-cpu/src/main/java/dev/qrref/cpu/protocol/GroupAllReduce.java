package dev.qrref.cpu.protocol;

import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * All W ranks of one call, run step by step: for each grid-stride iteration, every (rank, block) does load + phase 1A,
 * then every (rank, block) does phase 1B + 2A, then every (rank, block) does phase 2B + store. Each step only starts
 * when the previous one has finished everywhere, which is an order the GPU may also take, so every flag a block waits
 * for is already set: {@link #CHECK} asserts it (a broken protocol fails loudly instead of hanging). Within a step the
 * tasks write disjoint memory, so running them on any number of threads gives the same bits.
 */
public final class GroupAllReduce {
    private GroupAllReduce() {
    }

    /** In the step-by-step order every awaited flag must already hold its colour. */
    public static final FlagWaiter CHECK = (buffer, rank, phase, block, sender, colour) -> {
        int seen = buffer.flagAcquire(phase, block, sender);
        if (seen != colour) {
            throw new IllegalStateException("protocol invariant broken: rank " + rank + " block " + block + " phase " + phase
                    + " waits for sender " + sender + " colour " + Integer.toUnsignedString(colour) + " but the flag holds "
                    + Integer.toUnsignedString(seen));
        }
    };

    /**
     * Per-thread work arrays, reused by every task the thread runs: a task allocates nothing, so W × tiles tasks of a big
     * call do not feed the garbage collector (each task's arrays are fully written before they are read).
     */
    private static final class Scratch {
        final short[] tile = new short[Geometry.TILE_ELEMENTS];
        final short[] reduced = new short[Geometry.TILE_ELEMENTS];
        final short[] decoded = new short[Geometry.TILE_ELEMENTS];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public static void run(CallPlan plan, CommBuffer[] buffers, MemorySegment[] inputs, MemorySegment[] outputs, ForkJoinPool pool) {
        int w = plan.worldSize();
        int grid = plan.grid();
        int[] counters = new int[grid];
        for (int b = 0; b < grid; b++) {
            counters[b] = buffers[0].counter(b);
            for (int r = 1; r < w; r++) {
                if (buffers[r].counter(b) != counters[b]) {
                    throw new IllegalStateException("block " + b + " counters differ between rank 0 and rank " + r
                            + ": the ranks did not run the same sequence of calls");
                }
            }
        }
        for (int j = 0; j < plan.maxIterations(); j++) {
            final int iteration = j;
            int active = (int) Math.min(grid, plan.numTiles() - (long) j * grid);
            parallel(pool, w * active, task -> {
                int rank = task / active;
                int block = task % active;
                short[] tile = SCRATCH.get().tile;
                LoadPhase.run(plan, inputs[rank], plan.tile(block, iteration), tile);
                ScatterPhase.run(plan, rank, block, tile, buffers, FlagScheme.colour(counters[block], iteration));
            });
            parallel(pool, w * active, task -> {
                int rank = task / active;
                int block = task % active;
                int colour = FlagScheme.colour(counters[block], iteration);
                Scratch s = SCRATCH.get();
                ReducePhase.run(plan, rank, block, buffers[rank], colour, CHECK, s.reduced, s.decoded);
                GatherPhase.run(plan, rank, block, s.reduced, buffers, colour);
            });
            parallel(pool, w * active, task -> {
                int rank = task / active;
                int block = task % active;
                StorePhase.run(plan, rank, block, plan.tile(block, iteration), buffers[rank], FlagScheme.colour(counters[block], iteration),
                        CHECK, outputs[rank], SCRATCH.get().tile);
            });
        }
        for (int r = 0; r < w; r++) {
            for (int b = 0; b < grid; b++) {
                buffers[r].setCounter(b, FlagScheme.advance(counters[b], plan.iterations(b)));
            }
        }
    }

    private static void parallel(ForkJoinPool pool, int tasks, java.util.function.IntConsumer body) {
        if (pool == null || pool.getParallelism() == 1 || tasks == 1) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, tasks).parallel().forEach(body)).join();
    }

}
