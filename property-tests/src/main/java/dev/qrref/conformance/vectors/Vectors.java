package dev.qrref.conformance.vectors;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Inputs;
import dev.qrref.conformance.Listener;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.Target;
import dev.qrref.conformance.checks.OutputsMatch;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.Backends;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Golden vectors: for every codec, world size, data path and profile, a few cases with their per-rank inputs and the
 * expected output as {@code .npy} files, so that a kernel outside this project (another language, another GPU) can be
 * checked bit for bit without the JVM. The expected outputs come from the CPU model's group all-reduce and are
 * asserted equal to the element-wise model while they are written.
 *
 * <p>Per configuration there are two cases: one {@link InputKind#SPECIALS} case of {@value #SPECIALS_N} elements (two
 * tiles, the second a tail of one vector) and one of another kind, rotating over the kinds and over the sizes
 * {@link #SIZES}. The rotation runs over the full matrix, so a set for fewer profiles is a subset of the full set.
 *
 * <pre>
 * DIR/manifest.json                 what the set holds: cases, parameters, files, SHA-256 of every file
 * DIR/&lt;case id&gt;/in_rank{r}.npy     rank r's input: '&lt;f2' (fp16) or '&lt;u2' (raw bf16 bits), n elements
 * DIR/&lt;case id&gt;/out.npy           the expected output, the same for every rank
 * DIR/qr_check.py, DIR/README.txt   the checker (Python 3.9+, numpy) and how to use it
 * </pre>
 *
 * Everything is deterministic: the same selection writes byte-identical files.
 */
public final class Vectors {
    /** Version of the directory layout and manifest format. */
    public static final int FORMAT_VERSION = 1;
    /** Version of the case selection and generation; bump it whenever the same selection would write other bytes. */
    public static final String GENERATOR_VERSION = "2";
    public static final String MANIFEST = "manifest.json";
    public static final String CHECKER = "qr_check.py";
    public static final String README = "README.txt";
    public static final String EXPECTED = "out.npy";
    /** The property name and rule failure lines of the checker print (as {@link OutputsMatch} does). */
    public static final String PROPERTY = "vectors";
    public static final Rule RULE = Rule.RED_REQUANT;
    /** The repro a checker failure prints: the same case through the conformance suite on the GPU backend... */
    public static final String REPRO = "./qr conformance --backend gpu --case {case}";
    /** ... with the inputs outside the wrong element's 64-element span zeroed, when one element is named. */
    public static final String REPRO_ISOLATE = " --isolate {element}";

    static final long SPECIALS_N = 16392;
    static final long[] SIZES = {8, 2048, 16392};

    private Vectors() {
    }

    public static String input(int rank) {
        return "in_rank" + rank + ".npy";
    }

    /**
     * Which configurations a set covers.
     *
     * @param worldSizes world sizes
     * @param codecs     codecs
     * @param paths      data paths
     * @param profiles   profiles
     * @param baseSeed   base seed of the case seeds
     */
    public record Selection(List<Integer> worldSizes, Set<QuantLevel> codecs, Set<DataPath> paths, Set<Profile> profiles,
                            long baseSeed) {
        /** Every world size, codec and data path for {@code profiles}, under the default base seed. */
        public static Selection all(Set<Profile> profiles) {
            return new Selection(Geometry.WORLD_SIZES, EnumSet.allOf(QuantLevel.class), EnumSet.allOf(DataPath.class), profiles,
                    Seeds.DEFAULT_BASE);
        }
    }

    /**
     * What a call wrote.
     *
     * @param cases number of cases
     * @param files number of files, manifest, checker and README included
     * @param bytes their total size
     */
    public record Written(int cases, int files, long bytes) {
    }

    /** The cases of a selection, in manifest order. */
    public static List<CaseSpec> cases(Selection s) {
        InputKind[] others = Arrays.stream(InputKind.values()).filter(k -> k != InputKind.SPECIALS).toArray(InputKind[]::new);
        List<CaseSpec> out = new ArrayList<>();
        int i = 0;
        for (int w : Geometry.WORLD_SIZES) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath path : DataPath.values()) {
                    for (Profile p : Profile.values()) {
                        // counted over the full matrix, so that any selection picks the same cases as the full set
                        int index = i++;
                        if (!s.worldSizes().contains(w) || !s.codecs().contains(q) || !s.paths().contains(path) || !s.profiles().contains(p)) {
                            continue;
                        }
                        out.add(spec(s.baseSeed(), w, q, path, p, SPECIALS_N, InputKind.SPECIALS));
                        // i + i/3 + i/9 mixes the profile, path and (W, codec) digits, so sizes do not stick to one profile
                        long n = SIZES[(index + index / 3 + index / 9) % SIZES.length];
                        out.add(spec(s.baseSeed(), w, q, path, p, n, others[index % others.length]));
                    }
                }
            }
        }
        return out;
    }

    private static CaseSpec spec(long base, int w, QuantLevel q, DataPath path, Profile p, long n, InputKind kind) {
        String label = "vectors/w" + w + "/" + q + "/" + path + "/" + p + "/" + n + "/" + kind;
        return new CaseSpec(w, q, path, p, n, kind, 0, Seeds.derive(base, label));
    }

    /** Writes the full set for {@code profiles} into {@code dir}. */
    public static Written write(Path dir, Set<Profile> profiles, Listener listener) throws IOException {
        return write(dir, Selection.all(profiles), listener);
    }

    /**
     * Writes the set of {@code selection} into {@code dir} (created if missing; files of the same names are replaced).
     * The manifest is written last, so an interrupted run leaves no manifest and the checker refuses the directory.
     */
    public static Written write(Path dir, Selection selection, Listener listener) throws IOException {
        List<CaseSpec> cases = cases(selection);
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("the selection holds no case: " + selection);
        }
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(MANIFEST));
        Target model = new Target(Backends.open("cpu"), Duration.ofSeconds(60));
        Manifest manifest = new Manifest(selection.baseSeed(), rules());
        listener.phase("golden vectors", cases.size());
        long bytes = 0;
        int files = 0;
        for (int c = 0; c < cases.size(); c++) {
            CaseSpec spec = cases.get(c);
            listener.progress(c, cases.size(), spec.id());
            short[][] inputs = Inputs.generate(spec);
            short[] expected = expected(model, spec, inputs);
            Path caseDir = dir.resolve(spec.id());
            Files.createDirectories(caseDir);
            List<Manifest.FileEntry> entries = new ArrayList<>();
            for (int r = 0; r < spec.worldSize(); r++) {
                entries.add(writeNpy(caseDir, input(r), "input", r, spec, inputs[r]));
            }
            entries.add(writeNpy(caseDir, EXPECTED, "expected", -1, spec, expected));
            manifest.add(spec, entries);
            for (Manifest.FileEntry e : entries) {
                bytes += e.bytes();
            }
            files += entries.size();
        }
        listener.progress(cases.size(), cases.size(), "");
        bytes += put(dir.resolve(CHECKER), resource(CHECKER));
        bytes += put(dir.resolve(README), readme().getBytes(StandardCharsets.UTF_8));
        bytes += put(dir.resolve(MANIFEST), manifest.render().getBytes(StandardCharsets.UTF_8));
        return new Written(cases.size(), files + 3, bytes);
    }

    /** The rules the vectors stand for: what the outputs check stands for, identical ranks, and the tail. */
    static List<Rule> rules() {
        Set<Rule> r = EnumSet.copyOf(new OutputsMatch().rules());
        r.add(Rule.RED_IDENTICAL);
        r.add(Rule.GEO_TAIL);
        return List.copyOf(r);
    }

    /**
     * The group model's output, checked against the element-wise model: every rank the same bits, nothing stored past
     * N. A difference is a bug in the model and stops the run with the one-line report.
     */
    static short[] expected(Target model, CaseSpec spec, short[][] inputs) {
        CaseRun run = CaseRun.execute(model, spec, inputs, false);
        int n = (int) spec.n();
        short[][] got = run.outputs();
        Expected oracle = Expected.of(model, spec, inputs, run.layout(), false);
        OutputDiff d = OutputDiff.compare(spec.path().dtype.format, got, oracle.outputs(), n);
        if (!d.ok()) {
            Failure f = new Failure(RULE, PROPERTY, spec.id(), d.rank(), d.element(), CaseCheck.inputsAt(inputs, d.element()), d.got(),
                    d.want(), d.wrong(), "(group model vs element-wise model)", "./qr conformance --backend cpu --case " + spec.id(),
                    spec.seed());
            throw new IllegalStateException("the CPU model disagrees with the element-wise model:\n" + f.line() + "\n" + f.countLine());
        }
        short[] out = Arrays.copyOf(got[0], n);
        for (int r = 0; r < got.length; r++) {
            // NaN as a class is enough against the oracle, but the ranks must agree on every bit (RED-5)
            if (!Arrays.equals(got[r], 0, n, out, 0, n)) {
                throw new IllegalStateException("the CPU model's ranks differ on " + spec.id() + " (rank " + r + ")");
            }
            for (int e = n; e < got[r].length; e++) {
                if (got[r][e] != CaseRun.SENTINEL) {
                    throw new IllegalStateException("the CPU model stored past N on " + spec.id() + " (rank " + r + ", element " + e + ")");
                }
            }
        }
        return out;
    }

    private static Manifest.FileEntry writeNpy(Path caseDir, String name, String role, int rank, CaseSpec spec, short[] values)
            throws IOException {
        Path f = caseDir.resolve(name);
        NpyWriter.write(f, spec.path().dtype, values);
        byte[] b = Files.readAllBytes(f);
        return new Manifest.FileEntry(name, role, rank, b.length, Manifest.sha256(b));
    }

    private static long put(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return content.length;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = Vectors.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path (the build copies it from src/main/python)");
            }
            return in.readAllBytes();
        }
    }

    private static String readme() {
        return """
                QuickReduce golden vectors (format %d, generator %s)

                Every folder is one case, named by its case id
                (w<W>.<codec>.<data path>.<profile>.n<N>.<input kind>.b<grid cap>.s<seed>):
                  in_rank<r>.npy  rank r's input, N elements ('<f2' fp16, or '<u2' raw bf16 bits)
                  out.npy         the expected output, the same for every rank
                manifest.json lists every case with its parameters and the SHA-256 of every file.

                To check a kernel, run every case through it and save each rank's output as
                  OUTPUTS/<case id>/out_rank<r>.npy   (or OUTPUTS/<case id>/out.npy for one output)
                then
                  python3 qr_check.py . OUTPUTS
                It verifies the vector files, compares bit for bit (NaN as a class) and prints one line per failing case;
                exit 0: all pass, 1: mismatches, 2: bad usage or missing or corrupted files.
                """.formatted(FORMAT_VERSION, GENERATOR_VERSION);
    }
}
