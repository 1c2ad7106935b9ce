package dev.qrref.cli;

import dev.qrref.spec.QrException;
import dev.qrref.spec.Status;

/** Exit codes of every {@code qr} command, and how the spec's errors map onto them. */
public final class ExitCodes {
    private ExitCodes() {
    }

    /** Success. */
    public static final int OK = 0;
    /** The run failed, or a check it makes did not hold (ranks differ, a conformance mismatch). */
    public static final int FAILED = 1;
    /** Bad usage or bad input: unknown option value, malformed file, unusable output directory. */
    public static final int USAGE = 2;
    /** The backend cannot run here (no GPU, no native library) or does not support the combination. */
    public static final int UNAVAILABLE = 3;

    /** Exit code for a backend error. */
    public static int of(QrException e) {
        return switch (e.status()) {
            case INVALID_ARGUMENT -> USAGE;
            case NO_DEVICE, UNSUPPORTED -> UNAVAILABLE;
            default -> FAILED;
        };
    }

    /** The words that introduce a backend error of this status in the one-line message. */
    public static String describe(Status status) {
        return switch (status) {
            case OK -> "ok";
            case INVALID_ARGUMENT -> "invalid argument";
            case INVALID_STATE -> "invalid state";
            case TIMEOUT -> "peer timeout";
            case DEVICE_ERROR -> "device error";
            case OUT_OF_MEMORY -> "out of memory";
            case UNSUPPORTED -> "unsupported";
            case NO_DEVICE -> "backend unavailable";
        };
    }
}
