package dev.qrref.spec;

/**
 * Base of every error the backends report. Each subclass corresponds to one {@link Status}; the message names what is
 * wrong (the function, the argument and its value) so that it can be shown to a user as it is.
 */
public class QrException extends RuntimeException {
    private final Status status;

    public QrException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public QrException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }
}
