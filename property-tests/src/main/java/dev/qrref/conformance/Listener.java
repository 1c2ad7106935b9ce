package dev.qrref.conformance;

/** Progress of a suite run (the CLI draws a progress bar on stderr; tests print nothing). */
public interface Listener {
    default void phase(String name, int total) {
    }

    default void progress(int done, int total, String current) {
    }

    default void failure(Failure failure) {
    }

    Listener SILENT = new Listener() {
    };
}
