package dev.qrref.spec;

/** The call is not allowed now: before init, before the IPC handles are opened, after close, or after a timeout broke the communicator. */
public class InvalidStateException extends QrException {
    public InvalidStateException(String message) {
        super(Status.INVALID_STATE, message);
    }

    public InvalidStateException(String message, Throwable cause) {
        super(Status.INVALID_STATE, message, cause);
    }
}
