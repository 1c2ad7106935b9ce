package dev.qrref.conformance.report;

import dev.qrref.conformance.SuiteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/** Writes the three report files of one or more suite runs into a directory. */
public final class Reports {
    public static final String JUNIT = "junit.xml";
    public static final String HTML = "report.html";
    public static final String SUMMARY = "summary.txt";

    private Reports() {
    }

    /**
     * Writes {@value #JUNIT}, {@value #HTML} and {@value #SUMMARY} into {@code dir} (created if missing). Each file is
     * written to a temporary name first and renamed, so a reader never sees half a report.
     */
    public static void write(Path dir, List<SuiteResult> results, Instant generated) throws IOException {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no suite result to report");
        }
        Files.createDirectories(dir);
        put(dir.resolve(JUNIT), JunitXml.render(results, generated));
        put(dir.resolve(HTML), HtmlReport.render(results, generated));
        put(dir.resolve(SUMMARY), SummaryText.render(results));
    }

    public static void write(Path dir, SuiteResult result) throws IOException {
        write(dir, List.of(result), Instant.now());
    }

    private static void put(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
