package dev.qrref.cpu.io;

import java.io.IOException;

/**
 * A {@code .npy} file that this reader does not accept: bad magic, unsupported version, malformed or truncated header,
 * wrong keys, a dtype other than {@code <f2}/{@code <u2}, Fortran order, a shape that is not 1-D, or a data section
 * whose length does not match the header. The message starts with the file name and names exactly one problem.
 */
public class NpyFormatException extends IOException {
    private final String source;
    private final String problem;

    public NpyFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or other source) the problem was found in. */
    public String source() {
        return source;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
