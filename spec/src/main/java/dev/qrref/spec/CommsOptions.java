package dev.qrref.spec;

import java.time.Duration;

/**
 * Settings a backend needs beyond the seed's {@code init} arguments.
 *
 * @param profile     numerics profile the call must follow; a backend rejects profiles it cannot run
 * @param maxBlocks   grid cap of the buffer layout; 0 lets the backend choose (1216 on the CPU model; on a GPU the
 *                    number of blocks that are resident at once, divided among the ranks sharing the device)
 * @param waitTimeout how long one flag wait may spin before the call fails with {@link PeerTimeoutException}
 */
public record CommsOptions(Profile profile, int maxBlocks, Duration waitTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public CommsOptions {
        if (profile == null) {
            throw new InvalidArgumentException("profile must not be null");
        }
        if (maxBlocks < 0 || maxBlocks > BufferLayout.MAX_BLOCKS_LIMIT) {
            throw new InvalidArgumentException("max blocks " + maxBlocks + " is out of range (0 = backend default, or 1.."
                    + BufferLayout.MAX_BLOCKS_LIMIT + ")");
        }
        if (waitTimeout == null || waitTimeout.isNegative() || waitTimeout.isZero()) {
            throw new InvalidArgumentException("wait timeout must be positive, got " + waitTimeout);
        }
    }

    public static CommsOptions of(Profile profile) {
        return new CommsOptions(profile, 0, DEFAULT_TIMEOUT);
    }

    public CommsOptions withMaxBlocks(int blocks) {
        return new CommsOptions(profile, blocks, waitTimeout);
    }

    public CommsOptions withTimeout(Duration timeout) {
        return new CommsOptions(profile, maxBlocks, timeout);
    }
}
