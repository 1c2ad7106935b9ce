package dev.qrref.spec;

/**
 * Status codes of the C ABI. Every native call returns one; the Java side turns a non-zero status into the
 * {@link QrException} subclass named here. The numbers are generated into {@code qr_spec.h}.
 */
public enum Status {
    OK(0, "success"),
    INVALID_ARGUMENT(1, "an argument is out of its allowed range"),
    INVALID_STATE(2, "the call is not allowed in the object's current state (not initialised, handles not opened, closed, or broken by an earlier timeout)"),
    TIMEOUT(3, "a peer did not set its flag within the wait timeout; the communicator is broken and must be closed"),
    DEVICE_ERROR(4, "the GPU runtime reported an error"),
    OUT_OF_MEMORY(5, "host or device memory could not be allocated"),
    UNSUPPORTED(6, "the combination is not compiled into this build (codec, world size, data path or profile)"),
    NO_DEVICE(7, "no usable GPU is present");

    public final int code;
    public final String meaning;

    Status(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public static Status fromCode(int code) {
        for (Status s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return DEVICE_ERROR;
    }

    /** The exception that reports this status, with the given message. */
    public QrException toException(String message) {
        return switch (this) {
            case OK -> throw new IllegalArgumentException("OK is not an error");
            case INVALID_ARGUMENT -> new InvalidArgumentException(message);
            case INVALID_STATE -> new InvalidStateException(message);
            case TIMEOUT -> new PeerTimeoutException(message);
            case NO_DEVICE -> new BackendUnavailableException(message);
            default -> new DeviceException(this, message);
        };
    }
}
