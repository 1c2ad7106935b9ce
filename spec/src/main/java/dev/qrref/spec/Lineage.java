package dev.qrref.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream code lines that ship QuickReduce, and how each numbers its codecs (dossier §0, §7.5, §7.6). The project's
 * codec names are lineage-neutral ({@link QuantLevel}); this table maps each lineage's integer level onto them, so that
 * "level 1" can be read as INT8 in vLLM and FP8 in aiter.
 */
public enum Lineage {
    VLLM("vllm", "vLLM (csrc/quickreduce)", "VLLM_ROCM_QUICK_REDUCE_QUANTIZATION",
            levels(QuantLevel.F16, QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4, QuantLevel.INT3), 0,
            thresholds(true)),
    SGLANG("sglang", "SGLang (sgl-kernel allreduce)", "ROCM_QUICK_REDUCE_QUANTIZATION",
            levels(QuantLevel.F16, QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4), 0, thresholds(false)),
    AITER("aiter", "ROCm aiter", "AITER_QUICK_REDUCE_QUANTIZATION",
            levels(QuantLevel.F16, QuantLevel.FP8, QuantLevel.INT6, QuantLevel.INT4, QuantLevel.INT3), 0, aiterThresholds()),
    MK1("mk1", "mk1-project/quickreduce (the original)", "",
            levels(QuantLevel.F16, QuantLevel.FP8, QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4), 1, Map.of());

    private final String id;
    public final String description;
    /** The environment variable that selects the codec by name ("" when there is none). */
    public final String environmentVariable;
    private final List<QuantLevel> levels;
    /** The number of the first level (mk1 numbers its profiles from 1). */
    private final int first;
    /** Smallest tensor in bytes that uses QuickReduce, by (dtype id + "/w" + W) and codec; absent: no threshold. */
    private final Map<String, Map<QuantLevel, Long>> minBytes;

    Lineage(String id, String description, String environmentVariable, List<QuantLevel> levels, int first,
            Map<String, Map<QuantLevel, Long>> minBytes) {
        this.id = id;
        this.description = description;
        this.environmentVariable = environmentVariable;
        this.levels = levels;
        this.first = first;
        this.minBytes = minBytes;
    }

    public String id() {
        return id;
    }

    /** The codec a level number means in this lineage. */
    public Optional<QuantLevel> codecOf(int level) {
        int i = level - first;
        return i >= 0 && i < levels.size() ? Optional.of(levels.get(i)) : Optional.empty();
    }

    /** The level number of a codec in this lineage, if the lineage ships it. */
    public Optional<Integer> levelOf(QuantLevel codec) {
        int i = levels.indexOf(codec);
        return i < 0 ? Optional.empty() : Optional.of(i + first);
    }

    /** The codecs in level order. */
    public List<QuantLevel> codecs() {
        return levels;
    }

    /**
     * Smallest tensor (bytes) for which the lineage selects QuickReduce with {@code codec}: §7.5's tables (vLLM
     * {@code _QR_MIN_SIZE}; with the bf16-to-fp16 cast on, bf16 tensors use the fp16 row).
     */
    public Optional<Long> minBytes(DType dtype, int worldSize, QuantLevel codec) {
        Map<QuantLevel, Long> row = minBytes.get(dtype.id() + "/w" + worldSize);
        return row == null ? Optional.empty() : Optional.ofNullable(row.get(codec));
    }

    /** "level 1 means int8 in vllm, fp8 in aiter, ..." for every lineage. */
    public static String describeLevel(int level) {
        List<String> parts = new ArrayList<>();
        for (Lineage l : values()) {
            l.codecOf(level).ifPresent(c -> parts.add(c.cliName() + " in " + l.id));
        }
        return parts.isEmpty() ? "level " + level + " is no codec in any lineage"
                : "level " + level + " means " + String.join(", ", parts);
    }

    public static Lineage fromName(String name) {
        return Names.lookup(values(), name, "lineage", Lineage::id);
    }

    private static List<QuantLevel> levels(QuantLevel... q) {
        return List.of(q);
    }

    private static final long MB = 1L << 20;

    /** vLLM's table (sglang's is the same without INT3). Columns FP, INT8, INT6, INT4, INT3 in MB. */
    private static Map<String, Map<QuantLevel, Long>> thresholds(boolean int3) {
        Map<String, Map<QuantLevel, Long>> m = new LinkedHashMap<>();
        QuantLevel[] cols = {QuantLevel.F16, QuantLevel.INT8, QuantLevel.INT6, QuantLevel.INT4, QuantLevel.INT3};
        long[][] fp16 = {{1, 2, 2, 1, 1}, {1, 16, 4, 2, 2}, {16, 4, 4, 2, 2}};
        long[][] bf16 = {{2, 8, 8, 8, 8}, {8, 64, 64, 16, 16}, {16, 2048, 2048, 2048, 2048}};
        int[] worlds = {2, 4, 8};
        for (int i = 0; i < worlds.length; i++) {
            m.put("fp16/w" + worlds[i], row(cols, fp16[i], int3 ? 5 : 4));
            m.put("bf16/w" + worlds[i], row(cols, bf16[i], int3 ? 5 : 4));
        }
        return Collections.unmodifiableMap(m);
    }

    /** aiter: vLLM's numbers with FP8 in the INT8 column, and fp16 W=8 INT4 raised to 8 MB (aiter #1834). */
    private static Map<String, Map<QuantLevel, Long>> aiterThresholds() {
        Map<String, Map<QuantLevel, Long>> m = new LinkedHashMap<>();
        for (Map.Entry<String, Map<QuantLevel, Long>> e : thresholds(true).entrySet()) {
            Map<QuantLevel, Long> row = new LinkedHashMap<>(e.getValue());
            row.put(QuantLevel.FP8, row.remove(QuantLevel.INT8));
            if (e.getKey().equals("fp16/w8")) {
                row.put(QuantLevel.INT4, 8 * MB);
            }
            m.put(e.getKey(), Collections.unmodifiableMap(row));
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<QuantLevel, Long> row(QuantLevel[] cols, long[] mb, int n) {
        Map<QuantLevel, Long> r = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            r.put(cols[i], mb[i] * MB);
        }
        return Collections.unmodifiableMap(r);
    }
}
