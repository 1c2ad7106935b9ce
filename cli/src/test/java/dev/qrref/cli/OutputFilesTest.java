package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol of {@link OutputFiles}, step by step, including what an interrupted run leaves for the next. */
class OutputFilesTest {
    static final List<String> NAMES = List.of("rank0.npy", "rank1.npy");

    @TempDir
    Path tmp;

    /** Every entry of a folder with its content (folders as "<dir>"), hidden ones included. */
    static Map<String, String> contents(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.isDirectory(p) ? "<dir>" : Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return m;
    }

    private static void write(OutputFiles f, int i, String text) throws IOException {
        try (FileChannel ch = f.open(i)) {
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    private Path oldSet() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(dir.resolve("rank0.npy"), "old0");
        Files.writeString(dir.resolve("rank1.npy"), "old1");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        return dir;
    }

    @Test
    void aCommitPublishesTheWholeSetAndLeavesNothingHidden() throws IOException {
        Path dir = oldSet();
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            write(f, 0, "new0");
            write(f, 1, "new1");
            assertEquals("old0", Files.readString(dir.resolve("rank0.npy")), "nothing is published before the commit");
            f.commit();
        }
        assertEquals(Map.of("rank0.npy", "new0", "rank1.npy", "new1", "notes.txt", "mine"), contents(dir));
    }

    @Test
    void closingWithoutACommitLeavesTheDirectoryExactlyAsItWas() throws IOException {
        Path dir = oldSet();
        Map<String, String> before = contents(dir);
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            write(f, 0, "new0");
        }
        assertEquals(before, contents(dir));
    }

    @Test
    void aDirectoryThisRunCreatedGoesAgainWithoutACommit() throws IOException {
        Path dir = tmp.resolve("a/b/out");
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            write(f, 0, "x");
        }
        assertFalse(Files.exists(tmp.resolve("a")), "every level this run created is removed");
    }

    @Test
    void noFileCanBeOpenedAfterTheSetWasDiscarded() throws IOException {
        Path dir = oldSet();
        OutputFiles f = OutputFiles.prepare(dir, NAMES);
        f.close();
        IOException e = assertThrows(IOException.class, () -> f.open(0));
        assertTrue(e.getMessage().contains("discarded"), e.getMessage());
        CliException c = assertThrows(CliException.class, f::commit);
        assertEquals(ExitCodes.FAILED, c.exitCode());
        assertEquals(Map.of("rank0.npy", "old0", "rank1.npy", "old1", "notes.txt", "mine"), contents(dir));
    }

    @Test
    void aCommitWithAStagedFileMissingPublishesNothing() throws IOException {
        Path dir = oldSet();
        Map<String, String> before = contents(dir);
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            write(f, 0, "new0");
            CliException e = assertThrows(CliException.class, f::commit);
            assertEquals("cannot commit the outputs in '" + dir + "': rank1.npy was not written", e.getMessage());
        }
        assertEquals(before, contents(dir));
    }

    /** What a process killed after deciding the commit leaves: the next run completes the renames first. */
    @Test
    void theNextRunRollsADecidedCommitForward() throws IOException {
        Path dir = oldSet();
        Path staging = Files.createDirectory(dir.resolve(OutputFiles.STAGING_PREFIX + "999999999"));
        Files.writeString(staging.resolve("rank1.npy"), "new1");
        Files.writeString(staging.resolve(OutputFiles.COMMIT_MARKER), "");
        Files.writeString(dir.resolve("rank0.npy"), "new0"); // renamed before the kill
        Files.writeString(dir.resolve(OutputFiles.LOCK_NAME), "999999999");
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            assertEquals(List.of("completed the interrupted commit of rank1.npy"), f.recovered());
            assertEquals("new1", Files.readString(dir.resolve("rank1.npy")), "published before this run writes anything");
        }
        assertEquals(Map.of("rank0.npy", "new0", "rank1.npy", "new1", "notes.txt", "mine"), contents(dir));
    }

    /** What a process killed while writing leaves: the next run deletes it, and the old set stays. */
    @Test
    void theNextRunRollsAnUndecidedSetBack() throws IOException {
        Path dir = oldSet();
        Path staging = Files.createDirectory(dir.resolve(OutputFiles.STAGING_PREFIX + "999999999"));
        Files.writeString(staging.resolve("rank0.npy"), "new0");
        Files.writeString(staging.resolve("rank1.npy"), "ne");
        Files.writeString(dir.resolve(".rank0.npy.999999999.tmp"), "older version's temporary file");
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            assertEquals(2, f.recovered().size(), f.recovered()::toString);
        }
        assertEquals(Map.of("rank0.npy", "old0", "rank1.npy", "old1", "notes.txt", "mine"), contents(dir));
    }

    @Test
    void aTemporaryFileOfALiveProcessIsNotTouched() throws IOException {
        Path dir = oldSet();
        String mine = "." + "rank0.npy." + ProcessHandle.current().pid() + ".tmp";
        Files.writeString(dir.resolve(mine), "in use");
        try (OutputFiles f = OutputFiles.prepare(dir, NAMES)) {
            assertEquals(List.of(), f.recovered());
        }
        assertEquals("in use", Files.readString(dir.resolve(mine)));
    }

    @Test
    void aSecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() throws IOException {
        Path dir = oldSet();
        try (OutputFiles first = OutputFiles.prepare(dir, NAMES)) {
            CliException e = assertThrows(CliException.class, () -> OutputFiles.prepare(dir, NAMES));
            assertEquals(ExitCodes.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith("output directory '" + dir + "' is in use by another qr run (process "
                    + ProcessHandle.current().pid() + ")"), e.getMessage());
            write(first, 0, "new0");
            write(first, 1, "new1");
            first.commit();
        }
        // released: the next one may go
        try (OutputFiles again = OutputFiles.prepare(dir, NAMES)) {
            assertEquals(List.of(), again.recovered());
        }
        assertEquals(Map.of("rank0.npy", "new0", "rank1.npy", "new1", "notes.txt", "mine"), contents(dir));
    }

    @Test
    void anOutputNameTakenByAFolderIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path dir = oldSet();
        Files.delete(dir.resolve("rank1.npy"));
        Files.createDirectory(dir.resolve("rank1.npy"));
        CliException e = assertThrows(CliException.class, () -> OutputFiles.prepare(dir, NAMES));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("output '" + dir.resolve("rank1.npy") + "' exists and is a directory", e.getMessage());
        assertEquals(Map.of("rank0.npy", "old0", "rank1.npy", "<dir>", "notes.txt", "mine"), contents(dir));
    }
}
