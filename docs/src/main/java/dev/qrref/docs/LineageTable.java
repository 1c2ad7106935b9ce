package dev.qrref.docs;

import dev.qrref.spec.DType;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Lineage;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each upstream lineage numbers the codecs, and from which tensor size it uses each one, read from {@link Lineage}.
 * Writes {@code lineage-levels.adoc} (one row per lineage), {@code lineage-thresholds.adoc} (one row per lineage, dtype and
 * world size that has a threshold) and {@code lineage-attrs.adoc} ({@code lineage-level-N}: a sentence saying what level
 * N means in each lineage; {@code lineage-ships-<codec>}: the lineages that ship a codec, with its level there;
 * {@code lineage-<lineage>-<codec>}: the level of a codec in one lineage, where it has one).
 */
final class LineageTable {
    private LineageTable() {
    }

    static final long MIB = 1L << 20;

    static void write(Out out) {
        out.adoc("lineage-levels.adoc", levels());
        out.adoc("lineage-thresholds.adoc", thresholds());
        out.adoc("lineage-attrs.adoc", attrs());
    }

    /** The lineage's name without its detail: "vLLM (csrc/quickreduce)" gives "vLLM". */
    static String name(Lineage l) {
        int i = l.description.indexOf(" (");
        return i < 0 ? l.description : l.description.substring(0, i);
    }

    /** The codec's upper-case name as upstream spells it (FP, INT8, FP8, ...). */
    static String codec(QuantLevel q) {
        return q.cName();
    }

    static int lowestLevel() {
        int lo = Integer.MAX_VALUE;
        for (Lineage l : Lineage.values()) {
            lo = Math.min(lo, l.levelOf(l.codecs().get(0)).orElseThrow());
        }
        return lo;
    }

    static int highestLevel() {
        int hi = Integer.MIN_VALUE;
        for (Lineage l : Lineage.values()) {
            hi = Math.max(hi, l.levelOf(l.codecs().get(l.codecs().size() - 1)).orElseThrow());
        }
        return hi;
    }

    static String levels() {
        int lo = lowestLevel();
        int hi = highestLevel();
        List<String> header = new ArrayList<>(List.of("Lineage", "Selected by"));
        StringBuilder cols = new StringBuilder("3,4");
        for (int level = lo; level <= hi; level++) {
            header.add("Level " + level);
            cols.append(",1");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Lineage l : Lineage.values()) {
            List<String> row = new ArrayList<>();
            row.add(Adoc.text(l.description));
            row.add(l.environmentVariable.isEmpty() ? "no environment variable" : Adoc.mono(l.environmentVariable));
            for (int level = lo; level <= hi; level++) {
                row.add(l.codecOf(level).map(q -> Adoc.mono(codec(q))).orElse("–"));
            }
            rows.add(row);
        }
        return Adoc.table("What each lineage's quantization level numbers mean (dev.qrref.spec.Lineage)", cols.toString(), header, rows);
    }

    static String thresholds() {
        List<QuantLevel> codecs = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            for (Lineage l : Lineage.values()) {
                if (l.codecs().contains(q) && !codecs.contains(q) && hasThreshold(l, q)) {
                    codecs.add(q);
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("Lineage", "Tensor dtype", "W"));
        StringBuilder cols = new StringBuilder("2,1,1");
        for (QuantLevel q : codecs) {
            header.add(codec(q));
            cols.append(",1");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Lineage l : Lineage.values()) {
            for (DType t : DType.values()) {
                for (int w : Geometry.WORLD_SIZES) {
                    List<String> row = new ArrayList<>(List.of(Adoc.text(name(l)), Adoc.mono(t.id()), Integer.toString(w)));
                    boolean any = false;
                    for (QuantLevel q : codecs) {
                        var b = l.minBytes(t, w, q);
                        any |= b.isPresent();
                        row.add(b.map(LineageTable::mib).orElse("–"));
                    }
                    if (any) {
                        rows.add(row);
                    }
                }
            }
        }
        return Adoc.table("Smallest tensor, in MiB, for which a lineage uses QuickReduce with each codec (dev.qrref.spec.Lineage; "
                + "with the bf16-to-fp16 cast on, bf16 tensors use the fp16 rows)", cols.toString(), header, rows, "", "small");
    }

    static boolean hasThreshold(Lineage l, QuantLevel q) {
        for (DType t : DType.values()) {
            for (int w : Geometry.WORLD_SIZES) {
                if (l.minBytes(t, w, q).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    static String mib(long bytes) {
        return bytes % MIB == 0 ? Long.toString(bytes / MIB) : Num.g((double) bytes / MIB);
    }

    /**
     * "level 1 means INT8 in vLLM and SGLang; FP8 in ROCm aiter; FP in mk1-project/quickreduce": lineages that agree are
     * named together, in the order of {@link Lineage}; lineages without the level are left out.
     */
    static String sentence(int level) {
        Map<QuantLevel, List<String>> by = new LinkedHashMap<>();
        for (Lineage l : Lineage.values()) {
            l.codecOf(level).ifPresent(q -> by.computeIfAbsent(q, k -> new ArrayList<>()).add(name(l)));
        }
        if (by.isEmpty()) {
            return "level " + level + " is no codec in any lineage";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<QuantLevel, List<String>> e : by.entrySet()) {
            parts.add(codec(e.getKey()) + " in " + and(e.getValue()));
        }
        return "level " + level + " means " + String.join("; ", parts);
    }

    /** "a", "a and b", "a, b and c". */
    static String and(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    static String attrs() {
        StringBuilder sb = new StringBuilder();
        for (int level = lowestLevel(); level <= highestLevel(); level++) {
            sb.append(Adoc.attr("lineage-level-" + level, sentence(level)));
        }
        for (QuantLevel q : QuantLevel.values()) {
            List<String> ships = new ArrayList<>();
            for (Lineage l : Lineage.values()) {
                l.levelOf(q).ifPresent(n -> ships.add(name(l) + " (level " + n + ")"));
            }
            sb.append(Adoc.attr("lineage-ships-" + q.cliName(), ships.isEmpty() ? "no lineage" : and(ships)));
            for (Lineage l : Lineage.values()) {
                l.levelOf(q).ifPresent(n -> sb.append(Adoc.attr("lineage-" + l.id() + "-" + q.cliName(), Integer.toString(n))));
            }
        }
        sb.append(Adoc.attr("lineage-count", Integer.toString(Lineage.values().length)));
        return sb.toString();
    }
}
