package dev.qrref.cli;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Listener;
import java.io.PrintWriter;

/**
 * A progress bar on stderr, redrawn in place with a carriage return (no terminal control codes, so it degrades to
 * one line per redraw in a log). Every redraw starts with {@code qr <command>: <verb> }, like the other commands'
 * progress lines. Redraws are throttled; a phase ends with its bar full and a newline.
 */
final class ProgressBar implements Listener {
    private static final int WIDTH = 30;
    private static final long MIN_INTERVAL_NANOS = 100_000_000;
    private static final int MAX_LABEL = 72;

    private final PrintWriter err;
    private final String prefix;
    private String phase;
    private int total;
    private int failures;
    private long lastDraw;
    private int lastLength;

    /** {@code command}: the qualified command name ({@code qr conformance}); {@code verb}: {@code running}, ... */
    ProgressBar(PrintWriter err, String command, String verb) {
        this.err = err;
        this.prefix = command + ": " + verb + " ";
    }

    @Override
    public void phase(String name, int phaseTotal) {
        finish();
        phase = name;
        total = phaseTotal;
        draw(0, "");
    }

    @Override
    public void progress(int done, int progressTotal, String current) {
        total = progressTotal;
        long now = System.nanoTime();
        if (done < progressTotal && now - lastDraw < MIN_INTERVAL_NANOS) {
            return;
        }
        draw(done, current);
    }

    @Override
    public void failure(Failure failure) {
        failures++;
    }

    /** Completes the current phase's bar and ends its line. */
    void finish() {
        if (phase != null) {
            draw(total, "");
            err.println();
            err.flush();
            phase = null;
            lastLength = 0;
        }
    }

    private void draw(int done, String current) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        StringBuilder s = new StringBuilder(prefix).append(phase).append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled))
                .append("] ").append(done).append('/').append(total);
        if (failures > 0) {
            s.append(", ").append(failures).append(" failure(s)");
        }
        if (!current.isEmpty()) {
            s.append(' ').append(current.length() > MAX_LABEL ? current.substring(0, MAX_LABEL - 3) + "..." : current);
        }
        int length = s.length();
        // blanks over the tail of a longer previous line
        s.append(" ".repeat(Math.max(0, lastLength - length)));
        // the first draw of a line starts it; later ones return to its start
        err.print(lastLength == 0 ? s : "\r" + s);
        err.flush();
        lastLength = length;
        lastDraw = System.nanoTime();
    }
}
