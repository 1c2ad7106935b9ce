package dev.qrref.spec;

/** A peer never set the flag a block waited for. The wait is bounded, so a missing peer becomes this exception instead of a hang; the communicator is broken afterwards. */
public class PeerTimeoutException extends QrException {
    public PeerTimeoutException(String message) {
        super(Status.TIMEOUT, message);
    }

    public PeerTimeoutException(String message, Throwable cause) {
        super(Status.TIMEOUT, message, cause);
    }
}
