package dev.qrref.conformance.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.report.Json;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Rule;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code manifest.json} of a vector set. Besides the cases it carries everything the checker would otherwise have to
 * retype: the geometry that turns an element index into tile/atom/thread/group/lane, the NaN masks of each dtype, the
 * rule and property names and the repro template of a failure line. Built as a tree in a fixed order and written by
 * {@link Json}, so that the same set gives the same bytes.
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
    private final ArrayNode cases = Json.array();

    Manifest(long baseSeed, List<Rule> rules) {
        this.baseSeed = baseSeed;
        this.rules = rules;
    }

    void add(CaseSpec c, List<FileEntry> files) {
        ObjectNode o = cases.addObject();
        o.put("id", c.id());
        o.put("world_size", c.worldSize());
        o.put("codec", c.level().cliName());
        o.put("quant_level", c.level().code);
        o.put("dtype", c.path().dtype.id());
        o.put("npy_descr", c.path().dtype.npyDescr);
        o.put("cast", c.path().casts());
        o.put("data_path", c.path().id());
        o.put("profile", c.profile().id());
        o.put("profile_code", c.profile().code);
        o.put("n", c.n());
        o.put("kind", c.kind().id());
        o.put("seed", Seeds.hex(c.seed()));
        // the grid cap the case runs with (0 = the kernel's own), so that a harness need not parse the case id
        o.put("max_blocks", c.maxBlocks());
        ArrayNode list = o.putArray("files");
        for (FileEntry f : files) {
            ObjectNode e = list.addObject();
            e.put("name", f.name());
            e.put("role", f.role());
            if (f.rank() >= 0) {
                e.put("rank", f.rank());
            }
            e.put("bytes", f.bytes());
            e.put("sha256", f.sha256());
        }
    }

    String render() {
        ObjectNode m = Json.object();
        m.put("format", "qr-golden-vectors");
        m.put("format_version", Vectors.FORMAT_VERSION);
        m.put("generator", Vectors.class.getName());
        m.put("generator_version", Vectors.GENERATOR_VERSION);
        m.put("model", "cpu group model, checked against the element-wise model");
        m.put("base_seed", Seeds.hex(baseSeed));
        ArrayNode ruleIds = m.putArray("rules");
        rules.forEach(r -> ruleIds.add(r.id));
        m.put("property", Vectors.PROPERTY);
        m.put("failure_rule", Vectors.RULE.id);
        m.put("repro", Vectors.REPRO);
        m.put("repro_isolate", Vectors.REPRO_ISOLATE);
        ObjectNode layout = m.putObject("layout");
        layout.put("case_dir", "{case}");
        layout.put("input", "{case}/in_rank{r}.npy");
        layout.put("expected", "{case}/" + Vectors.EXPECTED);
        layout.put("kernel_output", "{case}/out_rank{r}.npy or {case}/out.npy");
        ObjectNode geometry = m.putObject("geometry");
        geometry.put("tile_elements", Geometry.TILE_ELEMENTS);
        geometry.put("atom_elements", Geometry.ATOM_ELEMENTS);
        geometry.put("vector_elements", Geometry.VECTOR_ELEMENTS);
        geometry.put("group_threads", Geometry.GROUP_THREADS);
        ObjectNode dtypes = m.putObject("dtypes");
        for (DType t : DType.values()) {
            Format16 f = t.format;
            ObjectNode d = dtypes.putObject(t.id());
            d.put("npy_descr", t.npyDescr);
            d.put("exponent_mask", f.exponentMask);
            d.put("fraction_mask", f.fractionMask);
        }
        m.set("cases", cases);
        return Json.write(m);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
