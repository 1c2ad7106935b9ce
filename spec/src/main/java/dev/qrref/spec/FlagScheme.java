package dev.qrref.spec;

import java.util.List;

/**
 * Flag colours (rules FLAG-*): per-block counters kept on the device, as upstream after its CUDA-graph fix.
 *
 * <ul>
 *   <li>At init every flag is 0 and every block counter is {@link #INITIAL_COUNTER}.</li>
 *   <li>In a call, block {@code B} uses colour {@code counter[B] + j} in its grid-stride iteration {@code j} (uint32
 *       arithmetic), for both phases.</li>
 *   <li>At the end of the call thread 0 of block {@code B} writes {@code counter[B] + iterations(B)} back. Blocks that
 *       did not run keep their counter.</li>
 *   <li>A wait passes only when the flag equals the colour exactly.</li>
 * </ul>
 * Because every rank runs the same sequence of calls, the counters of block {@code B} are equal on all ranks, and a
 * flag slot only ever holds colours of its own block, which strictly increase: a stale flag can never equal the colour
 * awaited (until 2^32 iterations of one block). Nothing depends on a host-side colour, so a replayed CUDA graph is safe.
 */
public final class FlagScheme {
    private FlagScheme() {
    }

    /** Value every block counter starts at (0 is the initial flag value, so colours start at 1). */
    public static final int INITIAL_COUNTER = 1;
    /** Initial value of every flag word. */
    public static final int INITIAL_FLAG = 0;
    /** Bytes of one flag word and of one block counter (uint32). */
    public static final int FLAG_WORD_BYTES = 4;

    /** Colour of iteration {@code j} of a block whose counter is {@code counter}. */
    public static int colour(int counter, int iteration) {
        return counter + iteration;
    }

    /** Counter value after a call in which the block ran {@code iterations} times. */
    public static int advance(int counter, int iterations) {
        return counter + iterations;
    }

    static List<Constant> constants() {
        String g = "flags";
        return List.of(
                new Constant("INITIAL_COUNTER", INITIAL_COUNTER, 32, "1", "first colour; flags start at 0", g),
                new Constant("INITIAL_FLAG", INITIAL_FLAG, 32, "0", "flags are zeroed at init", g),
                new Constant("FLAG_WORD_BYTES", FLAG_WORD_BYTES, 32, "4 bytes", "flags and block counters are uint32", g));
    }
}
