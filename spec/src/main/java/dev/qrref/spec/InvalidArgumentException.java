package dev.qrref.spec;

/** An argument is outside its allowed range (world size, rank, element count, size limits, handles). */
public class InvalidArgumentException extends QrException {
    public InvalidArgumentException(String message) {
        super(Status.INVALID_ARGUMENT, message);
    }

    public InvalidArgumentException(String message, Throwable cause) {
        super(Status.INVALID_ARGUMENT, message, cause);
    }
}
