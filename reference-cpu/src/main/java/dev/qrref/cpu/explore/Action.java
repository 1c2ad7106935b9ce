package dev.qrref.cpu.explore;

/**
 * One shared-memory action of one block program: the unit of interleaving. A step of a schedule executes exactly one
 * action of one (rank, block).
 *
 * @param kind       what the action does
 * @param rank       executing rank
 * @param block      executing block (blockIdx.x)
 * @param call       0-based call index
 * @param iteration  grid-stride iteration j (-1 for the counter update)
 * @param tile       tile of the iteration (-1 for the counter update)
 * @param phase      1 or 2 (0 for the counter update)
 * @param peer       receiver (write, store) or sender (wait, read); -1 for the counter update
 * @param bufferRank rank whose buffer is accessed
 * @param loc        model location id: data range id (write, read) or flag word id (store, wait); -1 for the counter
 * @param offset     byte offset in that buffer (for the counter: its offset in the project layout, or -1)
 * @param length     bytes accessed
 * @param tagId      message written (write, store) or expected (wait, read); -1 for the counter update
 * @param advance    counter update: iterations added
 * @param firstOfCall true for the first action of a block in a call: enabled only after the rank's previous kernel ended
 */
public record Action(Kind kind, int rank, int block, int call, int iteration, long tile, int phase, int peer,
                     int bufferRank, int loc, long offset, long length, int tagId, int advance, boolean firstOfCall) {

    public enum Kind {
        WRITE_SLOT, STORE_FLAG, WAIT_FLAG, READ_SLOT, UPDATE_COUNTER
    }

    /** {@code rank1 block0 call2 it0}: who does it. */
    public String actor() {
        return "rank" + rank + " block" + block + " call" + (call + 1) + (iteration >= 0 ? " it" + iteration : "");
    }

    /** {@code P1 slot[block0][sender1]}: the slot or flag addressed, named as the receiver sees it. */
    public String target() {
        int sender = kind == Kind.WRITE_SLOT || kind == Kind.STORE_FLAG ? rank : peer;
        String what = kind == Kind.WRITE_SLOT || kind == Kind.READ_SLOT ? "slot" : "flag";
        return "P" + phase + " " + what + "[block" + block + "][sender" + sender + "]";
    }

    /** Byte range or word, e.g. {@code bytes [19456, 35840)} or {@code word @12}. */
    public String where() {
        return switch (kind) {
            case WRITE_SLOT, READ_SLOT -> "bytes [" + offset + ", " + (offset + length) + ")";
            case STORE_FLAG, WAIT_FLAG -> "word @" + offset;
            case UPDATE_COUNTER -> offset >= 0 ? "word @" + offset : "device array";
        };
    }
}
