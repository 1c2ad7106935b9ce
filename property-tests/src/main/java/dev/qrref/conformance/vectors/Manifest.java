package dev.qrref.conformance.vectors;

import dev.qrref.conformance.CaseSpec;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Rule;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code manifest.json} of a vector set. Besides the cases it carries everything the checker would otherwise have to
 * retype: the geometry that turns an element index into tile/atom/thread/group/lane, the NaN masks of each dtype, the
 * rule and property names and the repro template of a failure line. Written by hand, in a fixed order, so that the same
 * set gives the same bytes.
 */
final class Manifest {

    /**
     * One file of a case.
     *
     * @param name   file name inside the case folder
     * @param role   {@code input} or {@code expected}
     * @param rank   the input's rank, or -1
     * @param bytes  file size
     * @param sha256 lower-case hex SHA-256 of the file
     */
    record FileEntry(String name, String role, int rank, long bytes, String sha256) {
    }

    private final long baseSeed;
    private final List<Rule> rules;
    private final List<String> cases = new ArrayList<>();

    Manifest(long baseSeed, List<Rule> rules) {
        this.baseSeed = baseSeed;
        this.rules = rules;
    }

    void add(CaseSpec c, List<FileEntry> files) {
        StringBuilder s = new StringBuilder();
        s.append("    {\n");
        field(s, 6, "id", str(c.id()));
        field(s, 6, "world_size", Integer.toString(c.worldSize()));
        field(s, 6, "codec", str(c.level().cliName()));
        field(s, 6, "quant_level", Integer.toString(c.level().code));
        field(s, 6, "dtype", str(c.path().dtype.id()));
        field(s, 6, "npy_descr", str(c.path().dtype.npyDescr));
        field(s, 6, "cast", Boolean.toString(c.path().casts()));
        field(s, 6, "data_path", str(c.path().id()));
        field(s, 6, "profile", str(c.profile().id()));
        field(s, 6, "profile_code", Integer.toString(c.profile().code));
        field(s, 6, "n", Long.toString(c.n()));
        field(s, 6, "kind", str(c.kind().id()));
        field(s, 6, "seed", str(Seeds.hex(c.seed())));
        // the grid cap the case runs with (0 = the kernel's own), so that a harness need not parse the case id
        field(s, 6, "max_blocks", Integer.toString(c.maxBlocks()));
        s.append("      \"files\": [\n");
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            s.append("        {\"name\": ").append(str(f.name())).append(", \"role\": ").append(str(f.role()));
            if (f.rank() >= 0) {
                s.append(", \"rank\": ").append(f.rank());
            }
            s.append(", \"bytes\": ").append(f.bytes()).append(", \"sha256\": ").append(str(f.sha256())).append('}')
                    .append(i + 1 < files.size() ? ",\n" : "\n");
        }
        s.append("      ]\n    }");
        cases.add(s.toString());
    }

    String render() {
        StringBuilder s = new StringBuilder();
        s.append("{\n");
        field(s, 2, "format", str("qr-golden-vectors"));
        field(s, 2, "format_version", Integer.toString(Vectors.FORMAT_VERSION));
        field(s, 2, "generator", str(Vectors.class.getName()));
        field(s, 2, "generator_version", str(Vectors.GENERATOR_VERSION));
        field(s, 2, "model", str("cpu group model, checked against the element-wise model"));
        field(s, 2, "base_seed", str(Seeds.hex(baseSeed)));
        field(s, 2, "rules", "[" + rules.stream().map(r -> str(r.id)).collect(Collectors.joining(", ")) + "]");
        field(s, 2, "property", str(Vectors.PROPERTY));
        field(s, 2, "failure_rule", str(Vectors.RULE.id));
        field(s, 2, "repro", str(Vectors.REPRO));
        field(s, 2, "repro_isolate", str(Vectors.REPRO_ISOLATE));
        s.append("  \"layout\": {\n");
        field(s, 4, "case_dir", str("{case}"));
        field(s, 4, "input", str("{case}/in_rank{r}.npy"));
        field(s, 4, "expected", str("{case}/" + Vectors.EXPECTED));
        s.append("    \"kernel_output\": ").append(str("{case}/out_rank{r}.npy or {case}/out.npy")).append("\n  },\n");
        s.append("  \"geometry\": {\n");
        field(s, 4, "tile_elements", Integer.toString(Geometry.TILE_ELEMENTS));
        field(s, 4, "atom_elements", Integer.toString(Geometry.ATOM_ELEMENTS));
        field(s, 4, "vector_elements", Integer.toString(Geometry.VECTOR_ELEMENTS));
        s.append("    \"group_threads\": ").append(Geometry.GROUP_THREADS).append("\n  },\n");
        s.append("  \"dtypes\": {\n");
        DType[] types = DType.values();
        for (int i = 0; i < types.length; i++) {
            Format16 f = types[i].format;
            s.append("    ").append(str(types[i].id())).append(": {\"npy_descr\": ").append(str(types[i].npyDescr))
                    .append(", \"exponent_mask\": ").append(f.exponentMask).append(", \"fraction_mask\": ").append(f.fractionMask)
                    .append('}').append(i + 1 < types.length ? ",\n" : "\n");
        }
        s.append("  },\n");
        s.append("  \"cases\": [\n").append(String.join(",\n", cases)).append("\n  ]\n}\n");
        return s.toString();
    }

    private static void field(StringBuilder s, int indent, String name, String json) {
        s.append(" ".repeat(indent)).append(str(name)).append(": ").append(json).append(",\n");
    }

    /** A JSON string; the values here are ASCII, but quotes and backslashes are escaped all the same. */
    static String str(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
