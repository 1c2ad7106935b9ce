package dev.qrref.cli.data;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent, fixed-size chunks of work on a pool of {@code threads} threads. Chunk boundaries never depend on
 * the thread count, and every partial result is combined in chunk order by the caller, so the results are the same
 * bits for any {@code --threads}.
 */
public final class Parallel implements AutoCloseable {
    private final ForkJoinPool pool;
    private final int threads;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /** Calls {@code body} for every chunk index in {@code [0, count)}, in parallel. */
    public void forEach(int count, IntConsumer body) {
        if (pool == null || count <= 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, count).parallel().forEach(body)).join();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
