package dev.qrref.cpu.protocol;

import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.PeerTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded spin on a flag word (rule FLAG-2), for ranks that run as threads: spin briefly, then back off with short
 * parks so that W waiting ranks cannot starve the ranks they wait for on a machine with fewer cores than ranks. After
 * the timeout the call fails with {@link PeerTimeoutException} naming the flag.
 */
public final class SpinWaiter implements FlagWaiter {
    private final long timeoutNanos;

    public SpinWaiter(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void await(CommBuffer buffer, int rank, Phase phase, int block, int sender, int colour) {
        int spins = 0;
        long start = 0;
        while (true) {
            int seen = buffer.flagAcquire(phase, block, sender);
            if (seen == colour) {
                return;
            }
            if (++spins < 256) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            if (start == 0) {
                start = now;
            } else if (now - start > timeoutNanos) {
                throw new PeerTimeoutException("rank " + rank + " block " + block + ": phase-" + (phase == Phase.ONE ? 1 : 2)
                        + " flag of sender " + sender + " still holds " + Integer.toUnsignedString(seen) + ", expected colour "
                        + Integer.toUnsignedString(colour) + " after " + Duration.ofNanos(timeoutNanos).toMillis()
                        + " ms: the peer did not arrive");
            }
            LockSupport.parkNanos(spins < 4096 ? 1_000 : 50_000);
        }
    }
}
