package dev.qrref.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.hip.QrNative;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.QuantLevel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

/** The bound's arithmetic and the benchmark outputs, without a GPU. */
class BenchReportTest {
    static final long L2 = 60L << 20;
    static final Bound H200 = new Bound(4220, 7400, 9.5, L2);
    static final GpuBench.Rates RATES = new GpuBench.Rates(new QrNative.Rates(3900, 4100, 4220), new QrNative.Rates(6900, 7400, 7100), L2);

    @Test
    void theBoundChargesInputsAndOutputsBeyondL2ToHbmAndEveryByteToL2() {
        long n = 256L << 20;
        // W = 8, far beyond L2: every rank reads 2N from HBM and writes 2N, of which at most C stay in L2
        assertEquals((8 * 4.0 * n - L2) / 4220e9 * 1e6, H200.hbmUs(8, n), 1e-6);
        // INT4: b = 1152/2048 = 0.5625 wire bytes per element; L2 carries (4 + 4b) N per rank
        assertEquals(8 * (4 + 4 * 0.5625) * n / 7400e9 * 1e6, H200.l2Us(8, n, QuantLevel.INT4), 1e-6);
        // FP: b = 2, (4 + 8) N per rank through L2
        assertEquals(8 * 12.0 * n / 7400e9 * 1e6, H200.l2Us(8, n, QuantLevel.F16), 1e-6);
        assertEquals("HBM", H200.binding(8, n, QuantLevel.INT4));
        assertEquals("L2", H200.binding(8, n, QuantLevel.F16));
        // the terms are combined by max: launches overlap the data movement of ranks already running
        assertEquals(H200.l2Us(8, n, QuantLevel.F16), H200.us(8, n, QuantLevel.F16), 1e-9);
        // the example: W=8 INT4 256 Mi, about 2.02 ms of HBM traffic on the H200
        assertEquals(2020, H200.hbmUs(8, n), 5);
        // outputs that fit in L2 next to nothing else: only the inputs are charged to HBM
        long small = 1L << 20;
        assertEquals(2 * 2.0 * small / 4220e9 * 1e6, H200.hbmUs(2, small), 1e-9);
        // a small call is bound by its floor
        assertEquals("t0", H200.binding(2, 65536, QuantLevel.F16));
        assertEquals(9.5, H200.us(2, 65536, QuantLevel.F16), 1e-12);
    }

    @Test
    void theRatesAreTheFastestOfTheThreeWays() {
        assertEquals(4220, RATES.hbmGbps(), 0);
        assertEquals(7400, RATES.l2Gbps(), 0);
        String line = BenchReport.ratesLine(RATES);
        assertTrue(line.startsWith("B_HBM = 4220 GB/s (1 GiB: memcpy 3900, copy kernel 4100, read kernel 4220), B_L2 = 7400 GB/s"), line);
        assertTrue(line.endsWith("C = 60.0 MiB"), line);
    }

    @Test
    void aRowComparesWithItsBoundAndItsCopies() {
        long n = 64L << 20;
        BenchRow r = new BenchRow(2, QuantLevel.INT4, DataPath.FP16, n, 200, 190, 210, 50, 2, H200, 264, 150);
        assertEquals(H200.us(2, n, QuantLevel.INT4) / 200, r.ratio(), 1e-12);
        assertEquals(200.0 / 150, r.vsCopy(), 1e-12);
        assertEquals(2.0 * n / 200e-6 / 1e9, r.algbwGbps(), 1e-9);
        // every rank's slots: W x grid x 8 x stride x 2 phases; a call with fewer tiles than the cap touches fewer
        assertEquals(8L * 66 * 8 * 4096 * 2, new BenchRow(8, QuantLevel.F16, DataPath.FP16, n, 1, 1, 1, 1, 1, H200, 66, 1).slotBytes());
        assertEquals(2L * 4 * 8 * 1152 * 2,
                new BenchRow(2, QuantLevel.INT4, DataPath.FP16, 4 * 16384, 1, 1, 1, 1, 1, H200, 264, 1).slotBytes());
        // a row faster than its bound is reported as a wrong bound
        BenchRow tooFast = new BenchRow(2, QuantLevel.INT4, DataPath.FP16, n, 10, 9, 11, 50, 2, H200, 264, 150);
        assertEquals(List.of(tooFast), BenchReport.boundViolations(List.of(r, tooFast)));
    }

    static List<BenchRow> rows() {
        List<BenchRow> rows = new ArrayList<>();
        for (int w : new int[]{2, 8}) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath p : List.of(DataPath.FP16, DataPath.BF16_CAST)) {
                    for (long n = 1L << 16; n <= 1L << 28; n <<= 2) {
                        double t = 1.5 * H200.us(w, n, q);
                        rows.add(new BenchRow(w, q, p, n, t, t * 0.9, t * 1.1, 50, 4, H200, 66, H200.hbmUs(w, n) + 5));
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void theTableHasOneLinePerRowInFixedColumns() {
        String h = BenchReport.header("dev", RATES);
        assertTrue(h.contains("# B_HBM = 4220 GB/s"), h);
        assertTrue(h.contains("bound = max(t0, (W*2N + max(0, W*2N - C)) / B_HBM, W*(4 + 4b)*N / B_L2)"), h);
        String line = BenchReport.line(new BenchRow(8, QuantLevel.INT4, DataPath.BF16_CAST, 16L << 20, 300, 290, 310, 50, 2, H200, 66,
                200));
        assertTrue(line.matches("\\s+8 int4\\s+bf16-cast\\s+16777216\\s+32\\.000\\s+300\\.00\\s+290\\.00\\s+310\\.00\\s+9\\.50"
                + "\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+L2\\s+\\d+\\.\\d%\\s+200\\.00\\s+1\\.50\n"), line);
    }

    @Test
    void csvAndMarkdownCoverEveryRowAndTheTargets() {
        List<BenchRow> rows = rows();
        assertEquals(rows.size() + 1, BenchReport.csv("dev", rows).size());
        List<GpuBench.GraphRow> graphs = List.of(new GpuBench.GraphRow(2, QuantLevel.INT4, 8192, 20, 5.1, 5.0, 5.3),
                new GpuBench.GraphRow(8, QuantLevel.INT4, 131072, 20, 7.2, 7.0, 7.5));
        String md = BenchReport.markdown("dev", "today", RATES, "test", rows, graphs);
        long targeted = rows.stream().filter(r -> r.n() >= BenchReport.TARGET_MIN_ELEMENTS
                && (r.codec() == QuantLevel.F16 || r.codec() == QuantLevel.INT4 || r.codec() == QuantLevel.INT6)).count();
        assertEquals(targeted, md.lines().filter(l -> l.matches("\\| [248] \\| (fp|int4|int6) \\| (fp16|bf16-cast) \\| .*")).count(), md);
        assertTrue(md.contains("No row exceeds its bound"), md);
        assertTrue(md.contains("| 2 | int4 | 16 | 5.10 | 5.00 | 5.30 | yes |"), md);
        assertTrue(md.contains("| 8 | int4 | 256 | 7.20 | 7.00 | 7.50 | **no** |"), md);
        assertEquals(graphs.size() + 1, BenchReport.graphCsv("dev", graphs).size());
    }

    @Test
    void theSvgIsWellFormed() throws Exception {
        String svg = BenchSvg.render("test <plot> & more", rows());
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        int codecs = QuantLevel.values().length;
        // every codec x 2 W x 2 paths x (latency + ratio) + every codec x 2 W bounds
        assertTrue(doc.getElementsByTagName("polyline").getLength() >= codecs * 2 * 2 * 2 + codecs * 2);
        assertEquals("16Mi", BenchSvg.sizeLabel(16L << 20));
        assertEquals("64Ki", BenchSvg.sizeLabel(64L << 10));
    }
}
