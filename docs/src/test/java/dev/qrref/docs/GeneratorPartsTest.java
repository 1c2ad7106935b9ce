package dev.qrref.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's building blocks, checked without running AsciiDoctor. */
class GeneratorPartsTest {

    @Test
    void escapedTextContainsNoAsciiDocMarkup() {
        String escaped = Adoc.text("a|b *c* _d_ `e` #f# ^g^ ~h~ +i+ {j} [k] x -> y -- z ... (C)");
        String s = escaped.replaceAll("&#[0-9]+;", "");
        for (char c : "|*_`#^~+{}[]".toCharArray()) {
            assertFalse(s.indexOf(c) >= 0, "unescaped '" + c + "' in " + s);
        }
        assertFalse(s.contains("->") || s.contains("--") || s.contains("...") || s.contains("(C)"), s);
        assertTrue(escaped.startsWith("a&#124;b"), escaped);
    }

    @Test
    void tablesCheckTheirShape() {
        assertThrows(IllegalArgumentException.class, () -> Adoc.table("t", "1,1", List.of("a", "b", "c"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Adoc.table("t", "1,1", List.of("a", "b"), List.of(List.of("x"))));
        String t = Adoc.table("t", "1,1", List.of("a|b", "c"), List.of(List.of("x", "y")));
        assertTrue(t.contains("|a&#124;b "), t);
    }

    @Test
    void imageAltTextIsQuoted() {
        assertEquals("image::gen/x.svg[\"one, two\",role=plot]\n\n", Adoc.image("gen/x.svg", "one, two", "plot"));
    }

    @Test
    void csvFollowsRfc4180() {
        List<List<String>> rows = ReportsSection.parseCsv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",,3\n");
        assertEquals(List.of(List.of("a", "b", "c"), List.of("1", "x, y", "say \"hi\""), List.of("multi\nline", "", "3")), rows);
    }

    @Test
    void markdownLinksBecomeSiteRelative(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("other.md"), "# x\n");
        assertEquals("reports/conformance/plots/a.svg", ReportsSection.rewrite("plots/a.svg", "conformance", dir, ""));
        assertEquals("reports/conformance/sub/b.csv#x", ReportsSection.rewrite("b.csv#x", "conformance", dir, "sub/"));
        assertEquals("#report-conformance-other-md", ReportsSection.rewrite("other.md", "conformance", dir, ""));
        assertEquals("https://example.org/a", ReportsSection.rewrite("https://example.org/a", "conformance", dir, ""));
        assertEquals("#top", ReportsSection.rewrite("#top", "conformance", dir, ""));
    }

    @Test
    void linksToReportFoldersLandOnTheirMainPage(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("run/w2"));
        Files.writeString(dir.resolve("run/w2/report.html"), "<html></html>");
        Files.writeString(dir.resolve("run/w2/summary.txt"), "PASS\n");
        Files.createDirectories(dir.resolve("notes"));
        Files.writeString(dir.resolve("notes/README.md"), "# n\n");
        Files.writeString(dir.resolve("notes/data.csv"), "a\n1\n");
        Files.createDirectories(dir.resolve("caps"));
        Files.writeString(dir.resolve("caps/table.csv"), "a\n1\n");
        Files.writeString(dir.resolve("caps/capture.md"), "# c\n");
        assertEquals("reports/conformance/run/w2/report.html", ReportsSection.rewrite("run/w2/", "conformance", dir, ""));
        assertEquals("#report-conformance-notes-readme-md", ReportsSection.rewrite("notes/", "conformance", dir, ""));
        assertEquals("#report-conformance-caps-capture-md", ReportsSection.rewrite("caps", "conformance", dir, ""));
        assertEquals("#report-conformance-run-w2-report-html", ReportsSection.rewrite("run/", "conformance", dir, ""));
        // a folder that is not there stays a plain link, so that the site check reports it
        assertEquals("reports/conformance/missing/", ReportsSection.rewrite("missing/", "conformance", dir, ""));
    }

    @Test
    void anAbsentReportFolderIsReportedAsNotProduced(@TempDir Path module, @TempDir Path out) throws IOException {
        ReportsSection.write(new Out(out), module);
        String text = Files.readString(out.resolve("reports-conformance.adoc"));
        assertTrue(text.contains("has not been produced yet"), text);
    }

    @Test
    void theProbeFindsEveryCodeBitOnceAndTheInt4NibbleOrder() {
        for (QuantLevel q : QuantLevel.values()) {
            CodecProbe.Result r = CodecProbe.probe(q);
            int payloadBits = 0;
            for (CodecLayout.Plane p : q.layout().planes()) {
                payloadBits += 8 * p.bytesPerThread();
            }
            assertEquals(payloadBits, r.bits().size(), q + ": every payload bit of a thread maps to one code bit");
            assertEquals(q.layout().codeBits() * Geometry.VECTOR_ELEMENTS, r.bits().size());
        }
        // INT4: nibble n holds c0, c2, c4, c6 (n = 0..3) and c1, c3, c5, c7 (n = 4..7), as rule ENC-5 states
        CodecProbe.Result int4 = CodecProbe.probe(QuantLevel.INT4);
        int[] slotOfNibble = {0, 2, 4, 6, 1, 3, 5, 7};
        for (int n = 0; n < 8; n++) {
            CodecProbe.BitMap low = int4.of(slotOfNibble[n], 0);
            assertEquals(4 * n, 8 * low.byteInThread() + low.bit(), "nibble " + n);
        }
    }

    @Test
    void cuteLayoutsAgreeWithTheGeometry() {
        // ThreadMap.layouts() checks every coordinate of every layout and throws on a mismatch
        assertTrue(ThreadMap.layouts().size() >= 8);
    }

    @Test
    void numbersPrintExactly() {
        assertEquals("0.000000059604644775390625", Num.exact(Math.scalb(1.0, -24)));
        assertEquals("-0", Num.exact(-0.0));
        assertEquals("1 01101 1101010110", Num.fields(dev.qrref.spec.Format16.FP16, 0xB756));
    }
}
