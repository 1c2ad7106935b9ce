package dev.qrref.cpu.io;

import java.io.IOException;

/**
 * A {@code .npy} file that this reader does not accept: one that numpy.load refuses (bad magic, unsupported version,
 * malformed or truncated header, wrong keys, too little data), or one it reads as something other than a 1-D array of
 * little-endian float16 or uint16. The message starts with the file name and names exactly one problem, on one line.
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
