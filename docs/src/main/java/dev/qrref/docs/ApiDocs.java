package dev.qrref.docs;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.DocumentationTool;
import javax.tools.ToolProvider;

/**
 * Runs the JDK's javadoc on the public API (packages {@code dev.qrref.spec} and {@code dev.qrref.cpu} with their
 * subpackages) into the site's {@code api/} folder, so that the pages can link to it relatively:
 *
 * <pre>java -cp … dev.qrref.docs.ApiDocs OUTPUT_DIR SOURCE_ROOT...</pre>
 *
 * No links to external documentation are generated (the site must work offline), and doclint is off: the modules'
 * own builds own their comment style. Javadoc errors fail the build.
 */
public final class ApiDocs {
    private ApiDocs() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ApiDocs OUTPUT_DIR SOURCE_ROOT...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<String> roots = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (!Files.isDirectory(Path.of(args[i]))) {
                throw new IllegalArgumentException("source root " + args[i] + " does not exist");
            }
            roots.add(Path.of(args[i]).toString());
        }
        DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
        if (tool == null) {
            throw new IllegalStateException("no javadoc tool in this Java runtime (" + System.getProperty("java.home")
                    + "): run the build with a full JDK 25");
        }
        List<String> options = new ArrayList<>(List.of(
                "-d", out.toString(),
                "-sourcepath", String.join(File.pathSeparator, roots),
                "-subpackages", "dev.qrref.spec:dev.qrref.cpu",
                "--add-modules", "jdk.incubator.vector", // the CPU model's fast path
                "-encoding", "UTF-8",
                "-docencoding", "UTF-8",
                "-charset", "UTF-8",
                "-notimestamp",
                "-quiet",
                "-Xdoclint:none",
                "--no-platform-links",
                "-windowtitle", "QuickReduce reference API",
                "-doctitle", "QuickReduce reference: spec and CPU model API",
                "-header", "QuickReduce reference"));
        long t0 = System.nanoTime();
        int rc = tool.run(null, null, null, options.toArray(String[]::new));
        if (rc != 0) {
            System.err.println("docs: javadoc failed with exit code " + rc);
            System.exit(rc);
        }
        System.err.printf("docs: api (javadoc)        %6d ms -> %s%n", (System.nanoTime() - t0) / 1_000_000, out);
    }
}
