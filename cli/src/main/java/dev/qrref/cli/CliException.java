package dev.qrref.cli;

/**
 * An error the user can act on, with the exit code it ends the command with. Its message is printed as the one line
 * {@code qr <command>: <message>}; no stack trace.
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad arguments or bad input files (exit code {@value ExitCodes#USAGE}). */
    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    /** The run itself failed or a check did not hold (exit code {@value ExitCodes#FAILED}). */
    public static CliException failed(String message) {
        return new CliException(ExitCodes.FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
