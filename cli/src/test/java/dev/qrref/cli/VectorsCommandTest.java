package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.conformance.Listener;
import dev.qrref.conformance.vectors.Vectors;
import dev.qrref.spec.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qr vectors}: the set the API writes, a summary on stdout, and refusals of directories it must not fill. */
class VectorsCommandTest {
    @TempDir
    Path tmp;

    static CliRun run(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "vectors";
        System.arraycopy(args, 0, a, 1, args.length);
        return Registered.run(new VectorsCommand(), a);
    }

    @Test
    void writesTheSetOfTheNamedProfiles() throws IOException {
        Path dir = tmp.resolve("v");
        CliRun r = run("--out", dir.toString(), "--profile", "cdna3");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("wrote 108 cases (615 files, "), r::toString);
        assertTrue(r.out().contains(" for profile(s) cdna3 to " + dir + " in "), r::toString);
        assertTrue(r.out().contains("python3 " + dir.resolve(Vectors.CHECKER) + " " + dir + " OUTPUTS"), r::toString);
        assertTrue(r.err().startsWith("qr vectors: generating golden vectors ["), r::toString);
        assertEquals(List.of(), r.errorLines(), r::toString);

        // byte for byte what the API writes
        Path api = tmp.resolve("api");
        Vectors.write(api, EnumSet.of(Profile.CDNA3), Listener.SILENT);
        assertArrayEquals(Files.readAllBytes(api.resolve(Vectors.MANIFEST)), Files.readAllBytes(dir.resolve(Vectors.MANIFEST)));
        assertEquals(count(api), count(dir));

        // an earlier set may be overwritten
        CliRun again = run("--out", dir.toString(), "--profile", "cdna3");
        assertEquals(0, again.exitCode(), again::toString);
        assertArrayEquals(Files.readAllBytes(api.resolve(Vectors.MANIFEST)), Files.readAllBytes(dir.resolve(Vectors.MANIFEST)));
    }

    /** An --out that cannot be created is bad input, found before anything is generated (exit 2, as allreduce). */
    @Test
    void anUncreatableDirectoryIsAUsageErrorBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun r = run("--out", file.resolve("sub").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr vectors: cannot create --out '" + file.resolve("sub") + "': '" + file + "' is not a directory", r.message());
        assertEquals("", r.out());
    }

    @Test
    void refusesADirectoryHoldingSomethingElse() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        CliRun r = run("--out", dir.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr vectors: --out '" + dir + "' holds 'notes.txt', which is not part of a vector set: choose a new or empty directory",
                r.message());

        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun f = run("--out", file.toString());
        assertEquals(ExitCodes.USAGE, f.exitCode());
        assertEquals("qr vectors: --out '" + file + "' exists and is not a directory", f.message());
    }

    @Test
    void help() {
        CliRun r = run("--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Usage: qr vectors"), r::toString);
        assertEquals("", r.err());
    }

    @Test
    void usage() {
        CliRun none = run();
        assertEquals(ExitCodes.USAGE, none.exitCode());
        assertTrue(none.message().startsWith("qr vectors: Missing required option: '--out=DIR'"), none::toString);
        CliRun bad = run("--out", tmp.resolve("x").toString(), "--profile", "h100");
        assertEquals(ExitCodes.USAGE, bad.exitCode());
        assertTrue(bad.message().contains("unknown profile 'h100' (expected one of cuda, cdna3, cdna4)"), bad::toString);
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
