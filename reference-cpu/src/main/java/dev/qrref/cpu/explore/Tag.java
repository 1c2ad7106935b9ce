package dev.qrref.cpu.explore;

/**
 * Identity of one message: what a slot or a flag word holds instead of bytes. The writer stores it; the reader (and the
 * waiter) expects exactly its own.
 *
 * @param call      0-based call index (rendered 1-based)
 * @param iteration grid-stride iteration j of the block
 * @param tile      tile processed in that iteration ({@code block + j·grid})
 * @param phase     1 (reduce-scatter) or 2 (all-gather)
 * @param sender    rank that writes
 * @param receiver  rank whose buffer is written (and who reads)
 * @param block     physical block index (blockIdx.x) of both writer and reader
 */
public record Tag(int call, int iteration, long tile, int phase, int sender, int receiver, int block) {

    /** e.g. {@code call2 it0 P1 rank1->rank0 block1}. */
    public String describe() {
        return "call" + (call + 1) + " it" + iteration + " P" + phase + " rank" + sender + "->rank" + receiver + " block" + block;
    }

    @Override
    public String toString() {
        return describe();
    }
}
