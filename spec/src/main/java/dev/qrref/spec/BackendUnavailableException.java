package dev.qrref.spec;

/** The backend cannot run here: no native library, no GPU, or a build that lacks the requested combination. */
public class BackendUnavailableException extends QrException {
    public BackendUnavailableException(String message) {
        super(Status.NO_DEVICE, message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(Status.NO_DEVICE, message, cause);
    }
}
