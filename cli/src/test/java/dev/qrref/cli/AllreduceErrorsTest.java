package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.io.NpyWriter;
import dev.qrref.spec.Backends;
import dev.qrref.spec.DType;
import dev.qrref.spec.QrException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input to {@code qr allreduce}: a non-zero exit code, exactly one error line that names the problem, and nothing
 * written — no rank files, no temporary files, and no output directory if the run would have created it.
 */
class AllreduceErrorsTest {
    static final String GOOD_DICT = "{'descr': '<f2', 'fortran_order': False, 'shape': (16,), }";

    @TempDir
    Path tmp;
    Path out;
    Path good0;
    Path good1;

    @BeforeEach
    void inputs() throws IOException {
        out = tmp.resolve("out");
        good0 = tmp.resolve("good0.npy");
        good1 = tmp.resolve("good1.npy");
        NpyWriter.write(good0, DType.FP16, new short[16]);
        NpyWriter.write(good1, DType.FP16, new short[16]);
    }

    /** Runs {@code qr allreduce -w 2 --codec int4 --out-dir out <extra>}. */
    private CliRun run(String... extra) {
        List<String> a = new ArrayList<>(List.of("allreduce", "-w", "2", "--codec", "int4", "--out-dir", out.toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    private CliRun runInputs(Path... files) {
        List<String> a = new ArrayList<>(List.of("--inputs"));
        for (Path f : files) {
            a.add(f.toString());
        }
        return run(a.toArray(String[]::new));
    }

    /** Exit code, one message containing {@code fragment}, and no output directory. */
    private void rejected(CliRun r, int code, String fragment) {
        assertEquals(code, r.exitCode(), r::toString);
        String m = r.message();
        assertTrue(m.startsWith("qr allreduce: "), m);
        assertTrue(m.contains(fragment), "expected <" + fragment + "> in <" + m + ">");
        assertFalse(Files.exists(out), "the output directory must not be created: " + r);
        assertEquals("", r.out().lines().filter(l -> l.startsWith("ranks") || l.startsWith("SQNR")).findAny().orElse(""),
                "no results are reported");
    }

    private Path npy(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** A version-1.0 .npy file with the given header dict and data byte count. */
    static byte[] npyBytes(int major, String dict, int dataBytes) {
        byte[] text = (dict + "  \n").getBytes(StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) text.length);
        } else {
            b.putInt(text.length);
        }
        b.put(text);
        return b.array();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--codec|int5|unknown codec 'int5' (expected one of fp, int8, int6, int4, int3, fp8)",
        "--profile|gfx942|unknown profile 'gfx942' (expected one of cuda, cdna3, cdna4)",
        "--dtype|fp32|unknown dtype 'fp32' (expected one of fp16, bf16)",
        "--backend|tpu|unknown backend 'tpu' (expected one of cpu, gpu)",
        "--threads|0|--threads 0 must be at least 1",
        "--random|12|--random 12: 12 elements = 24 bytes, not a multiple of 16",
        "--random|0|--random 0: 0 elements: the count must be positive",
        "--random|1073741832|--random 1073741832: 1073741832 elements = 2147483664 bytes, above the max problem size of 2147483648 bytes (2 GiB)",
        "--random|many|Invalid value for option '--random'"})
    void badOptionValues(String option, String value, String message) {
        List<String> a = new ArrayList<>(List.of(option, value));
        if (!option.equals("--random")) {
            a.addAll(List.of("--random", "1024"));
        }
        CliRun r = run(a.toArray(String[]::new));
        rejected(r, ExitCodes.USAGE, message);
    }

    @ParameterizedTest
    @CsvSource({"0", "1", "3", "6", "16", "-2"})
    void unsupportedWorldSizes(int w) {
        rejected(CliRun.of("allreduce", "--world-size", Integer.toString(w), "--codec", "int4", "--random", "16", "--out-dir",
                out.toString()), ExitCodes.USAGE, "--world-size " + w + " is not supported (expected 2, 4 or 8)");
    }

    @Test
    void inputsAndRandomTogetherOrNeither() {
        rejected(run("--random", "16", "--inputs", good0.toString(), good1.toString()), ExitCodes.USAGE,
                "give either --inputs or --random, not both");
        rejected(run(), ExitCodes.USAGE, "no inputs: give --inputs RANK.npy ... (one file per rank) or --random N");
    }

    @Test
    void optionsThatOnlyApplyToRandom() {
        rejected(run("--seed", "3", "--inputs", good0.toString(), good1.toString()), ExitCodes.USAGE, "--seed applies to --random only");
        rejected(run("--specials", "--inputs", good0.toString(), good1.toString()), ExitCodes.USAGE, "--specials applies to --random only");
    }

    /** An input that is also an output would be replaced by the run: refused before anything is written. */
    @Test
    void anInputThatIsAlsoAnOutputIsRefused() throws IOException {
        CliRun first = runInputs(good0, good1);
        assertEquals(0, first.exitCode(), first::toString);
        Path r0 = out.resolve("rank0.npy");
        byte[] before = Files.readAllBytes(r0);
        long modified = Files.getLastModifiedTime(r0).toMillis();
        for (Path spelled : List.of(r0, out.resolve("..").resolve(out.getFileName()).resolve("rank0.npy"))) {
            CliRun r = runInputs(spelled, good1);
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertEquals("qr allreduce: input '" + spelled + "' is also the output '" + r0
                    + "': the run would replace it; choose another --out-dir", r.message());
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link.npy"), out.resolve("rank1.npy"));
        CliRun viaLink = runInputs(good0, link);
        assertEquals(ExitCodes.USAGE, viaLink.exitCode(), viaLink::toString);
        assertTrue(viaLink.message().contains("is also the output '" + out.resolve("rank1.npy") + "'"), viaLink.message());
        assertEquals(modified, Files.getLastModifiedTime(r0).toMillis());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(r0)));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(2, s.count(), "no other file appeared");
        }
    }

    @Test
    void theSameInputTwiceIsRefusedUnlessAllowed() throws IOException {
        rejected(runInputs(good0, good0), ExitCodes.USAGE,
                "'" + good0 + "' is the input of rank 0 and of rank 1: pass --allow-duplicate-inputs if that is meant");
        Path other = tmp.resolve(".").resolve("good0.npy");
        rejected(runInputs(good0, other), ExitCodes.USAGE, "is the input of rank 0 and of rank 1 (as '" + other + "')");
        CliRun ok = run("--allow-duplicate-inputs", "--inputs", good0.toString(), good0.toString());
        assertEquals(0, ok.exitCode(), ok::toString);
    }

    @Test
    void inputsNeedAnOutputDirectory() {
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--inputs", good0.toString(), good1.toString());
        rejected(r, ExitCodes.USAGE, "--out-dir is required with --inputs");
    }

    @Test
    void missingRequiredOptionAndUnknownOption() {
        rejected(CliRun.of("allreduce", "--codec", "int4", "--random", "16"), ExitCodes.USAGE, "Missing required option: '--world-size=W'");
        rejected(run("--random", "16", "--colour", "red"), ExitCodes.USAGE, "Unknown options: '--colour', 'red'");
    }

    @Test
    void wrongNumberOfRankFiles() {
        rejected(runInputs(good0), ExitCodes.USAGE, "--world-size 2 needs 2 rank files, --inputs gives 1");
        rejected(runInputs(good0, good1, good0), ExitCodes.USAGE, "--world-size 2 needs 2 rank files, --inputs gives 3");
    }

    @Test
    void rankFilesOfDifferentLengths() throws IOException {
        Path longer = tmp.resolve("longer.npy");
        NpyWriter.write(longer, DType.FP16, new short[24]);
        rejected(runInputs(good0, longer), ExitCodes.USAGE,
                "the rank files differ in length: '" + good0 + "' has 16 elements, '" + longer + "' has 24");
    }

    @Test
    void byteSizeNotAMultipleOf16() throws IOException {
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        NpyWriter.write(a, DType.FP16, new short[12]);
        NpyWriter.write(b, DType.FP16, new short[12]);
        rejected(runInputs(a, b), ExitCodes.USAGE, "'" + a + "' holds 12 elements = 24 bytes, not a multiple of 16 "
                + "(QuickReduce moves whole 16-byte vectors: use a multiple of 8 elements)");
    }

    @Test
    void emptyRankFiles() throws IOException {
        Path a = tmp.resolve("a.npy");
        NpyWriter.write(a, DType.FP16, new short[0]);
        rejected(run("--allow-duplicate-inputs", "--inputs", a.toString(), a.toString()), ExitCodes.USAGE,
                "'" + a + "' holds 0 elements: the count must be positive");
    }

    @Test
    void aboveTheMaxProblemSize() throws IOException {
        // sparse files: the header declares 2^30 + 8 elements, the data is a hole that is never read
        long n = (1L << 30) + 8;
        List<Path> files = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Path p = tmp.resolve("huge" + r + ".npy");
            byte[] header = dev.qrref.cpu.io.NpyHeader.encode(DType.FP16, n);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.write(header);
                f.setLength(header.length + 2 * n);
            }
            files.add(p);
        }
        rejected(runInputs(files.toArray(Path[]::new)), ExitCodes.USAGE,
                "holds 1073741832 elements = 2147483664 bytes, above the max problem size of 2147483648 bytes (2 GiB)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad magic|not a .npy file: bad magic",
        "version 4|unsupported .npy format version 4.0",
        "truncated header|truncated header",
        "missing key|malformed header: missing key(s) 'shape'",
        "extra key|malformed header: unexpected key(s) 'x'",
        "syntax|malformed header: expected ',' or '}'",
        "float32|unsupported dtype '<f4': only little-endian 2-byte types are accepted",
        "big-endian|unsupported dtype '>f2'",
        "bf16 file|dtype '<u2' (bf16) does not match the requested dtype fp16 ('<f2')",
        "fortran 2-D|shape (4, 4) is not 1-D",
        "2-D|shape (4, 4) is not 1-D",
        "truncated data|truncated data: the header declares 16 elements (32 bytes) but only 31 bytes follow the header",
        "header control characters|unsupported dtype '<f2\\n\\x00': only little-endian 2-byte types are accepted"})
    void malformedRankFile(String kind, String problem) throws IOException {
        byte[] content = switch (kind) {
            case "bad magic" -> "PK\u0003\u0004 not numpy at all".getBytes(StandardCharsets.ISO_8859_1);
            case "version 4" -> npyBytes(4, GOOD_DICT, 32);
            case "truncated header" -> java.util.Arrays.copyOf(npyBytes(1, GOOD_DICT, 32), 40);
            case "missing key" -> npyBytes(1, "{'descr': '<f2', 'fortran_order': False}", 32);
            case "extra key" -> npyBytes(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (16,), 'x': 1}", 32);
            case "syntax" -> npyBytes(1, "{'descr': '<f2' 'fortran_order': False, 'shape': (16,)}", 32);
            case "float32" -> npyBytes(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }", 32);
            case "big-endian" -> npyBytes(1, "{'descr': '>f2', 'fortran_order': False, 'shape': (16,), }", 32);
            case "bf16 file" -> npyBytes(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (16,), }", 32);
            case "fortran 2-D" -> npyBytes(1, "{'descr': '<f2', 'fortran_order': True, 'shape': (4, 4), }", 32);
            case "2-D" -> npyBytes(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (4, 4), }", 32);
            case "truncated data" -> npyBytes(1, GOOD_DICT, 31);
            case "header control characters" -> npyBytes(1, "{'descr': '<f2\\n\\x00', 'fortran_order': False, 'shape': (16,), }", 32);
            default -> throw new IllegalArgumentException(kind);
        };
        Path bad = npy("bad.npy", content);
        CliRun r = runInputs(good0, bad);
        rejected(r, ExitCodes.USAGE, problem);
        assertTrue(r.message().startsWith("qr allreduce: " + bad + ": "), "the message names the file: " + r.message());
    }

    /** What numpy.load reads, qr reads: Fortran order of one dimension, bytes after the data. */
    @Test
    void filesNumpyReadsAreRead() throws IOException {
        Path fortran = npy("fortran.npy", npyBytes(1, "{'descr': '<f2', 'fortran_order': True, 'shape': (16,), }", 32));
        Path longer = npy("longer.npy", npyBytes(1, GOOD_DICT, 33));
        CliRun r = runInputs(fortran, longer);
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void unreadableInputs() throws IOException {
        Path missing = tmp.resolve("missing.npy");
        rejected(runInputs(good0, missing), ExitCodes.USAGE, "cannot read input '" + missing + "': no such file or directory");
        rejected(runInputs(good0, tmp), ExitCodes.USAGE, "cannot read input '" + tmp + "': is a directory, not a .npy file");
        Path locked = tmp.resolve("locked.npy");
        NpyWriter.write(locked, DType.FP16, new short[16]);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: file permissions do not stop reads");
        rejected(runInputs(good0, locked), ExitCodes.USAGE, "cannot read input '" + locked + "': permission denied");
    }

    @Test
    void outputDirectoryThatIsAFile() throws IOException {
        Files.writeString(out, "I am a file");
        CliRun r = runInputs(good0, good1);
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr allreduce: output directory '" + out + "' exists and is not a directory", r.message());
        assertEquals("I am a file", Files.readString(out), "left untouched");
    }

    @Test
    void outputDirectoryBelowAFile() throws IOException {
        Path file = tmp.resolve("plain");
        Files.writeString(file, "x");
        Path below = file.resolve("out");
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--random", "16", "--out-dir", below.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr allreduce: cannot create output directory '" + below + "': "), r.message());
    }

    @Test
    void unwritableOutputDirectory() throws IOException {
        Files.createDirectory(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(out), "running as root: directory permissions do not stop writes");
            CliRun r = runInputs(good0, good1);
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertEquals("qr allreduce: cannot write to output directory '" + out + "': permission denied", r.message());
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(0, s.count());
            }
        } finally {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void unwritableOutputDirectoryEvenForRoot() {
        // sysfs refuses new files to every user, root included, where it is mounted
        Path sys = Path.of("/sys");
        boolean refuses;
        try {
            Files.delete(Files.createFile(sys.resolve("qr-probe")));
            refuses = false;
        } catch (IOException e) {
            refuses = Files.isDirectory(sys);
        }
        assumeTrue(refuses, "no directory here refuses file creation to this user");
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--random", "16", "--out-dir", sys.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr allreduce: cannot write to output directory '/sys': "), r.message());
        assertFalse(Files.exists(sys.resolve(OutputFiles.STAGING_PREFIX + ProcessHandle.current().pid())));
    }

    @Test
    void failureAfterTheOutputsArePreparedLeavesAnExistingDirectoryAsItWas() throws IOException {
        Files.createDirectory(out);
        Files.writeString(out.resolve("rank0.npy"), "previous result");
        // the backend is opened after the temporary outputs exist: an absent GPU backend fails at that point
        CliRun r = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--backend", "gpu", "--out-dir", out.toString(),
                "--inputs", good0.toString(), good1.toString());
        assumeFalse(r.exitCode() == 0, "a GPU backend is present and working here");
        assertEquals(ExitCodes.UNAVAILABLE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr allreduce: backend unavailable: "), r.message());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(out.resolve("rank0.npy")), s.toList(), "no new or temporary files");
        }
        assertEquals("previous result", Files.readString(out.resolve("rank0.npy")));
    }

    @Test
    void gpuBackendUnavailable() {
        boolean gpu;
        try {
            Backends.open("gpu");
            gpu = true;
        } catch (QrException e) {
            gpu = false;
        }
        assumeFalse(gpu, "a GPU backend opens here");
        rejected(run("--random", "16", "--backend", "gpu"), ExitCodes.UNAVAILABLE, "backend unavailable: ");
    }
}
