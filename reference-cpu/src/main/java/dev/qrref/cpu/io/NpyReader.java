package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads {@code .npy} files of format version 1.0, 2.0 or 3.0 holding a 1-D array of little-endian {@code float16}
 * (fp16) or {@code uint16} (raw bf16 bits): exactly the files {@code numpy.load} reads as such an array, with the
 * header spelled in any way NumPy accepts (see {@link NpyHeader#parse}). The data is memory-mapped, never copied, so multi-GiB inputs cost no heap. Every way a
 * file can be wrong ends in one {@link NpyFormatException} naming the file and the problem; I/O failures (missing file,
 * no permission, a directory) are the usual {@link IOException}s.
 */
public final class NpyReader {

    private NpyReader() {
    }

    /** Reads and validates only the header. */
    public static NpyHeader readHeader(Path path) throws IOException {
        try (FileChannel ch = open(path)) {
            return header(path.toString(), ch);
        }
    }

    /** Maps the file's data read-only into {@code arena} (use a shared arena to let other threads read it). */
    public static NpyArray map(Path path, Arena arena) throws IOException {
        String source = path.toString();
        try (FileChannel ch = open(path)) {
            NpyHeader h = header(source, ch);
            MemorySegment data = h.length() == 0 ? MemorySegment.ofArray(new byte[0]).asReadOnly()
                    : ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset(), h.dataBytes(), arena);
            return new NpyArray(source, h, data);
        }
    }

    /** As {@link #map}, and additionally requires the file's dtype to be {@code expected}. */
    public static NpyArray map(Path path, Arena arena, DType expected) throws IOException {
        NpyArray a = map(path, arena);
        if (a.dtype() != expected) {
            throw new NpyFormatException(a.source(), "dtype '" + a.dtype().npyDescr + "' (" + a.dtype().id()
                    + ") does not match the requested dtype " + expected.id() + " ('" + expected.npyDescr + "')");
        }
        return a;
    }

    private static FileChannel open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new FileSystemException(path.toString(), null, "is a directory, not a .npy file");
        }
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    private static NpyHeader header(String source, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 12));
        readFully(ch, head, 0);
        head.flip();
        long[] prefix = NpyHeader.parsePrefix(source, head, size);
        int major = (int) prefix[0];
        long headerLength = prefix[2];
        // a character takes 1 byte in versions 1.0 and 2.0 (latin-1), up to 4 in 3.0 (UTF-8): a longer header has more
        // characters than numpy.load reads, and is refused before it is read
        long maxBytes = (major < 3 ? 1L : 4L) * NpyHeader.MAX_HEADER_CHARS;
        if (headerLength > maxBytes) {
            throw new NpyFormatException(source, "malformed header: it is " + headerLength + " bytes long, more than the "
                    + NpyHeader.MAX_HEADER_CHARS + " characters that numpy.load reads");
        }
        ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        readFully(ch, text, NpyHeader.prefixBytes(major));
        return NpyHeader.parse(source, major, (int) prefix[1], text.array(), size);
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, at);
            if (n < 0) {
                throw new EOFException("file shrank while it was being read");
            }
            at += n;
        }
    }
}
