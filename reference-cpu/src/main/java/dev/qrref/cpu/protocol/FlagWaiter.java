package dev.qrref.cpu.protocol;

import dev.qrref.spec.BufferLayout.Phase;

/** How a block waits for a sender's flag (rule FLAG-2). */
public interface FlagWaiter {
    /**
     * Returns once {@code buffer}'s flag of {@code (phase, block, sender)} equals {@code colour}; throws if it cannot.
     *
     * @param rank the waiting rank (for messages)
     */
    void await(CommBuffer buffer, int rank, Phase phase, int block, int sender, int colour);
}
