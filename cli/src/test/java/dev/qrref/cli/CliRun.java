package dev.qrref.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** Runs a {@code qr} command line in-process with captured streams. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Qr.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Lines of stderr that are not progress lines (progress lines end with a known verb phrase). */
    public List<String> errorLines() {
        return err.lines().filter(l -> !l.matches("qr [a-z-]+: (generating|running|computing|writing) .*")).toList();
    }

    /** The single error line; fails the test unless there is exactly one. */
    public String message() {
        List<String> lines = errorLines();
        if (lines.size() != 1) {
            throw new AssertionError("expected exactly one error line, got " + lines.size() + ":\n" + err + "\nstdout:\n" + out);
        }
        return lines.getFirst();
    }

    /** The value of a report line of {@code qr allreduce} ("SQNR", "ranks", ...). */
    public String field(String key) {
        return out.lines().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length()).strip()).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + key + "' in:\n" + out + "\nstderr:\n" + err));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
