package dev.qrref.cpu;

import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.DeviceException;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Status;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The CPU model's IPC: every rank's buffer is a shared file mapping, so ranks may be threads of one JVM or separate
 * processes on one machine, as GPU ranks are. A handle names the file: 8-byte magic {@code QRCPUSHM}, 16 random bytes
 * (the file is {@code qr-cpu-<32 hex digits>} in the shared-memory directory), then the layout the buffer was made for
 * (world size and grid cap as big-endian ints, max problem size in bytes as a long), zero padding. Opening a peer's
 * handle compares that layout with this rank's: ranks that init differently are refused, not mixed. The directory is
 * {@code /dev/shm} where it exists, otherwise {@code java.io.tmpdir}; the system property {@code qr.cpu.shm} overrides
 * it (every process of a group must use the same one).
 */
final class CpuIpcRegistry {
    private static final byte[] MAGIC = "QRCPUSHM".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_BYTES = 16;

    private CpuIpcRegistry() {
    }

    /** A mapped buffer and the handle that names it. */
    record Shared(CommBuffer buffer, IpcHandle handle, Path file) {
    }

    static Path directory() {
        String dir = System.getProperty("qr.cpu.shm");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Creates this rank's zeroed buffer file, maps it into {@code arena} and sets its block counters. */
    static Shared create(BufferLayout layout, Arena arena) {
        byte[] id = new byte[ID_BYTES];
        RANDOM.nextBytes(id);
        Path file = directory().resolve(fileName(id));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            file.toFile().deleteOnExit();
            // extending a new file reads back as zeros
            ch.write(ByteBuffer.wrap(new byte[1]), layout.totalBytes() - 1);
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.totalBytes(), arena);
            CommBuffer b = CommBuffer.wrap(layout, seg);
            b.initCounters();
            ByteBuffer h = ByteBuffer.allocate(IpcHandle.BYTES);
            h.put(MAGIC).put(id).putInt(layout.worldSize()).putInt(layout.maxBlocks()).putLong(layout.maxProblemBytes());
            return new Shared(b, new IpcHandle(h.array()), file);
        } catch (IOException e) {
            throw new DeviceException(Status.OUT_OF_MEMORY, "cannot create the shared buffer file " + file + " ("
                    + layout.totalBytes() + " bytes): " + e.getMessage() + " (set -Dqr.cpu.shm=DIR to use another directory)");
        }
    }

    /** Maps the buffer a peer's handle names; its size must match {@code layout}. */
    static CommBuffer open(IpcHandle handle, int rank, BufferLayout layout, Arena arena) {
        byte[] h = handle.bytes();
        if (!Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidArgumentException("IPC handle of rank " + rank + " is not a CPU-model handle (it belongs to another backend)");
        }
        ByteBuffer fields = ByteBuffer.wrap(h, MAGIC.length + ID_BYTES, 16);
        BufferLayout theirs;
        try {
            theirs = new BufferLayout(fields.getInt(), fields.getInt(), fields.getLong());
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("IPC handle of rank " + rank + " holds no valid buffer layout (" + e.getMessage() + ")");
        }
        if (!theirs.equals(layout)) {
            throw new InvalidArgumentException("rank " + rank + "'s buffer was made for " + describe(theirs) + ", this rank's for "
                    + describe(layout) + ": all ranks must init with the same world size, grid cap and max problem size");
        }
        Path file = directory().resolve(fileName(Arrays.copyOfRange(h, MAGIC.length, MAGIC.length + ID_BYTES)));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() != layout.totalBytes()) {
                throw new InvalidArgumentException("rank " + rank + "'s buffer has " + ch.size() + " bytes, this rank's layout "
                        + layout.totalBytes() + ": all ranks must init with the same world size and max problem size");
            }
            return CommBuffer.wrap(layout, ch.map(FileChannel.MapMode.READ_WRITE, 0, layout.totalBytes(), arena));
        } catch (NoSuchFileException e) {
            throw new InvalidArgumentException("IPC handle of rank " + rank + " names no live CPU-model buffer (" + file
                    + " does not exist: the peer closed it, or runs with another qr.cpu.shm directory)");
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot open rank " + rank + "'s buffer " + file + ": " + e.getMessage());
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover file in the shared-memory directory is removed at JVM exit (deleteOnExit)
        }
    }

    private static String describe(BufferLayout l) {
        return "world size " + l.worldSize() + ", grid cap " + l.maxBlocks() + ", max problem size " + l.maxProblemBytes() + " bytes";
    }

    private static String fileName(byte[] id) {
        return "qr-cpu-" + HexFormat.of().formatHex(id);
    }
}
