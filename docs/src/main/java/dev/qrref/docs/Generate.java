package dev.qrref.docs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes every generated part of the documentation: AsciiDoc includes into the output directory and drawings into its
 * {@code site/} folder. Run by the docs module's build (exec-maven-plugin, phase process-classes) before AsciiDoctor:
 *
 * <pre>java -cp … dev.qrref.docs.Generate OUTPUT_DIR DOCS_MODULE_DIR</pre>
 *
 * Every number in these files comes from the spec module or is computed by the CPU model during this run. A section
 * whose source is missing (an API another module has not finished) is written as a note saying so; an error inside a
 * present source fails the build.
 */
public final class Generate {
    private Generate() {
    }

    interface Section {
        void write(Out out) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Generate OUTPUT_DIR DOCS_MODULE_DIR");
            System.exit(2);
        }
        Path outDir = Path.of(args[0]);
        Path module = Path.of(args[1]);
        Out out = new Out(outDir);
        Map<String, Section> sections = new LinkedHashMap<>();
        sections.put("constants", ConstantsTables::write);
        sections.put("rules", RulesTables::write);
        sections.put("codec layouts", CodecDiagrams::write);
        sections.put("fp8 formats", Fp8Formats::write);
        sections.put("lineage", LineageTable::write);
        sections.put("thread map", ThreadMap::write);
        sections.put("buffer layout", BufferDiagram::write);
        sections.put("profiles", ProfileTables::write);
        sections.put("zero groups", ZeroGroupTable::write);
        sections.put("hand computation", HandComputation::write);
        sections.put("explain trace", ExplainTrace::write);
        sections.put("W=2 walk-through", AllReduceWalk::write);
        sections.put("failure demos", FailureDemos::write);
        sections.put("accuracy", Accuracy::write);
        sections.put("audit demo", AuditDemo::write);
        sections.put("explorer", ExplorerSection::write);
        sections.put("reports", r -> ReportsSection.write(r, module));
        boolean verbose = Boolean.getBoolean("qr.docs.verbose");
        long t0 = System.nanoTime();
        StringBuilder slow = new StringBuilder();
        for (Map.Entry<String, Section> s : sections.entrySet()) {
            long t = System.nanoTime();
            s.getValue().write(out);
            long ms = (System.nanoTime() - t) / 1_000_000;
            if (verbose) {
                System.err.printf("docs: %-18s %6d ms%n", s.getKey(), ms);
            }
            if (ms >= 500) {
                slow.append(slow.isEmpty() ? "" : ", ").append(s.getKey()).append(' ').append(ms).append(" ms");
            }
        }
        System.err.printf("docs: generated %d files in %s in %d ms%s%n", out.files(), outDir, (System.nanoTime() - t0) / 1_000_000,
                slow.isEmpty() ? "" : " (" + slow + ")");
    }
}
