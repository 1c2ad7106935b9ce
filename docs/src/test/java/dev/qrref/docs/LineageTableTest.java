package dev.qrref.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Lineage;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated lineage tables say what {@link Lineage} says. */
class LineageTableTest {

    /** The body rows of a generated table: the cells of each blank-line-separated block after the header. */
    static List<List<String>> rows(String table) {
        String body = table.substring(table.indexOf("|===\n") + 5, table.lastIndexOf("|===\n"));
        String[] blocks = body.split("\n\n");
        List<List<String>> rows = new ArrayList<>();
        // block 0 is the header line
        for (int i = 1; i < blocks.length; i++) {
            if (blocks[i].isBlank()) {
                continue;
            }
            rows.add(Arrays.stream(blocks[i].split("\n")).map(c -> c.substring(1)).toList());
        }
        return rows;
    }

    @Test
    void oneLevelRowPerLineageWithLevelOneMeaningInt8InVllmAndFp8InAiter() {
        List<List<String>> rows = rows(LineageTable.levels());
        assertEquals(Lineage.values().length, rows.size());
        int lowest = LineageTable.lowestLevel();
        int col = 2 + 1 - lowest; // columns: lineage, variable, then levels from the lowest one
        List<String> vllm = rows.get(Lineage.VLLM.ordinal());
        List<String> aiter = rows.get(Lineage.AITER.ordinal());
        assertEquals(Adoc.mono(QuantLevel.INT8.cName()), vllm.get(col));
        assertEquals(Adoc.mono(QuantLevel.FP8.cName()), aiter.get(col));
        // every cell agrees with codecOf
        for (Lineage l : Lineage.values()) {
            List<String> row = rows.get(l.ordinal());
            for (int level = lowest; level <= LineageTable.highestLevel(); level++) {
                assertEquals(l.codecOf(level).map(q -> Adoc.mono(q.cName())).orElse("–"), row.get(2 + level - lowest),
                        l.id() + " level " + level);
            }
        }
        String one = LineageTable.sentence(1);
        assertTrue(one.contains("INT8 in vLLM") && one.contains("FP8 in ROCm aiter"), one);
    }

    /** The cell of the lineage's fp16, W = 8 row in column {@code col}. */
    static String cell(List<List<String>> rows, Lineage l, int col) {
        return rows.stream().filter(r -> r.get(0).equals(LineageTable.name(l)) && r.get(1).equals(Adoc.mono(DType.FP16.id()))
                && r.get(2).equals("8")).findFirst().orElseThrow(() -> new AssertionError("no fp16 W=8 row for " + l.id())).get(col);
    }

    @Test
    void oneThresholdRowPerLineageDtypeAndWorldSizeThatHasOne() {
        int expected = 0;
        for (Lineage l : Lineage.values()) {
            for (DType t : DType.values()) {
                for (int w : Geometry.WORLD_SIZES) {
                    boolean any = false;
                    for (QuantLevel q : QuantLevel.values()) {
                        any |= l.minBytes(t, w, q).isPresent();
                    }
                    expected += any ? 1 : 0;
                }
            }
        }
        String table = LineageTable.thresholds();
        List<List<String>> rows = rows(table);
        assertEquals(expected, rows.size());
        // the header names the codecs; aiter raised fp16 W = 8 INT4 to 8 MiB where vLLM keeps 2 MiB (aiter #1834)
        String headerLine = table.substring(table.indexOf("|===\n") + 5).lines().findFirst().orElseThrow();
        List<String> header = Arrays.stream(headerLine.split("\\|")).map(String::trim).filter(c -> !c.isEmpty()).toList();
        int int4 = header.indexOf(QuantLevel.INT4.cName());
        assertTrue(int4 > 2, header.toString());
        assertEquals("8", cell(rows, Lineage.AITER, int4));
        assertEquals("2", cell(rows, Lineage.VLLM, int4));
    }
}
