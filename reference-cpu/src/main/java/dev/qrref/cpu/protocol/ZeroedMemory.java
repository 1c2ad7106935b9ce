package dev.qrref.cpu.protocol;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Zeroed memory for communication buffers. {@link Arena#allocate} writes zeros over every page at once, and on the
 * build machine's virtual machine a fresh page costs about 16 µs to fault in: 8 buffers for a 1 Mi-element call took
 * 140–190 ms, more than the call. A mapping of a new file in {@code /dev/shm} (tmpfs) is zero already and faults its
 * pages in when a slot is first written, so a codec that uses a third of the slot space (INT4) touches a third of the
 * pages. The file is removed at once; the mapping lives until the arena closes. Where {@code /dev/shm} is missing or
 * short of space (tmpfs raises SIGBUS, not an exception, when a page cannot be backed) the arena's own zeroing is used.
 */
final class ZeroedMemory {
    private ZeroedMemory() {
    }

    private static final Path SHM = Path.of("/dev/shm");

    static MemorySegment allocate(Arena arena, long bytes, long alignment) {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            try {
                // room for this buffer twice over, so that other users of tmpfs are not pushed to its limit
                if (Files.getFileStore(SHM).getUsableSpace() >= 2 * bytes) {
                    Path file = Files.createTempFile(SHM, "qr-cpu-", ".buffer");
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena); // page-aligned
                    } finally {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to the arena's zeroed allocation
            }
        }
        return arena.allocate(bytes, alignment);
    }
}
