package dev.qrref.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The roofline arithmetic and the benchmark outputs, without a GPU. */
class BenchReportTest {
    @Test
    void compressionComesFromTheAtomStrides() {
        assertEquals(1.0, Roofline.compression(QuantLevel.F16), 1e-12);
        assertEquals(4096.0 / 2176, Roofline.compression(QuantLevel.INT8), 1e-12);
        assertEquals(1.882, Roofline.compression(QuantLevel.INT8), 5e-4);
        assertEquals(2.462, Roofline.compression(QuantLevel.INT6), 5e-4);
        assertEquals(3.556, Roofline.compression(QuantLevel.INT4), 5e-4);
    }

    @Test
    void rooflineBytesAndTime() {
        long n = 16L << 20;
        // W = 8, FP: 8 * 12 N bytes
        assertEquals(8 * 12.0 * n, Roofline.bytes(8, n, QuantLevel.F16), 1);
        // INT4: 4N + 8N * 1152/4096 = 6.25 N per rank
        assertEquals(2 * 6.25 * n, Roofline.bytes(2, n, QuantLevel.INT4), 1);
        assertEquals(2 * 6.25 * n / 3000e9 * 1e6, Roofline.micros(2, n, QuantLevel.INT4, 3000), 1e-9);
        BenchRow r = new BenchRow(2, QuantLevel.INT4, DataPath.FP16, n, 100, 90, 110, 50, 2, 3000, 66);
        assertEquals(Roofline.micros(2, n, QuantLevel.INT4, 3000) / 100, r.ratio(), 1e-12);
        assertEquals(2.0 * n / 100e-6 / 1e9, r.algbwGbps(), 1e-9);
        // every rank's slots: W x grid x 8 x stride x 2 phases; a call with fewer tiles than the cap touches fewer
        assertEquals(8L * 66 * 8 * 4096 * 2, new BenchRow(8, QuantLevel.F16, DataPath.FP16, n, 1, 1, 1, 1, 1, 3000, 66).slotBytes());
        assertEquals(2L * 4 * 8 * 1152 * 2, new BenchRow(2, QuantLevel.INT4, DataPath.FP16, 4 * 16384, 1, 1, 1, 1, 1, 3000, 264).slotBytes());
    }

    static List<BenchRow> rows() {
        List<BenchRow> rows = new ArrayList<>();
        for (int w : new int[]{2, 8}) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath p : List.of(DataPath.FP16, DataPath.BF16_CAST)) {
                    for (long n = 1L << 16; n <= 1L << 28; n <<= 2) {
                        double t = 10 + n * w * 1e-5 / (q.ordinal() + 1);
                        rows.add(new BenchRow(w, q, p, n, t, t * 0.9, t * 1.1, 50, 4, 3000, 66));
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void theTableHasOneLinePerRowInFixedColumns() {
        String h = BenchReport.header("dev", 3000);
        assertTrue(h.contains("# B = 3000 GB/s"), h);
        assertTrue(h.contains("roofline = W*(4N + 8N/c) bytes / B"), h);
        String line = BenchReport.line(new BenchRow(8, QuantLevel.INT4, DataPath.BF16_CAST, 16L << 20, 300, 290, 310, 50, 2, 3000, 66));
        assertTrue(line.matches("\\s+8 int4\\s+bf16-cast\\s+16777216\\s+32\\.000\\s+300\\.00\\s+290\\.00\\s+310\\.00\\s+111\\.8\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d%\n"),
                line);
    }

    @Test
    void csvAndMarkdownCoverEveryRow() {
        List<BenchRow> rows = rows();
        assertEquals(rows.size() + 1, BenchReport.csv("dev", rows).size());
        String md = BenchReport.markdown("dev", "today", 3000, "test", rows);
        long large = rows.stream().filter(r -> r.n() >= BenchReport.TARGET_MIN_ELEMENTS).count();
        assertEquals(large, md.lines().filter(l -> l.matches("\\| [248] \\| .*")).count(), md);
    }

    @Test
    void theSvgIsWellFormed() throws Exception {
        String svg = BenchSvg.render("test <plot> & more", rows());
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        // 4 codecs x 2 W x 2 paths x (latency + ratio) + 4 codecs x 2 W rooflines + 9 legend lines... at least the series
        assertTrue(doc.getElementsByTagName("polyline").getLength() >= 4 * 2 * 2 * 2 + 4 * 2);
        assertEquals("16Mi", BenchSvg.sizeLabel(16L << 20));
        assertEquals("64Ki", BenchSvg.sizeLabel(64L << 10));
    }
}
