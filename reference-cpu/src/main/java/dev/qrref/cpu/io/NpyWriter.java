package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes 1-D {@code .npy} files of {@code <f2} or {@code <u2} elements, byte for byte as {@code np.save} does (format
 * 1.0; 2.0 only if the header does not fit 1.0, which never happens for 1-D arrays of these types).
 */
public final class NpyWriter {
    /** Large segments are written in slices: a ByteBuffer view is limited to 2^31 - 1 bytes. */
    private static final long SLICE_BYTES = 1L << 26;

    private NpyWriter() {
    }

    /** Writes {@code data} ({@code 2 × n} little-endian bytes) to {@code path}, replacing the file if it exists. */
    public static void write(Path path, DType dtype, MemorySegment data) throws IOException {
        if (data.byteSize() % 2 != 0) {
            throw new IllegalArgumentException("data has " + data.byteSize() + " bytes, not a whole number of 2-byte elements");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, dtype, data);
        }
    }

    /** Writes the file through an open channel (from its current position; the caller opens and closes it). */
    public static void write(FileChannel ch, DType dtype, MemorySegment data) throws IOException {
        if (data.byteSize() % 2 != 0) {
            throw new IllegalArgumentException("data has " + data.byteSize() + " bytes, not a whole number of 2-byte elements");
        }
        writeFully(ch, ByteBuffer.wrap(NpyHeader.encode(dtype, data.byteSize() / 2)));
        for (long at = 0; at < data.byteSize(); at += SLICE_BYTES) {
            writeFully(ch, data.asSlice(at, Math.min(SLICE_BYTES, data.byteSize() - at)).asByteBuffer());
        }
    }

    /** Writes raw 16-bit patterns. */
    public static void write(Path path, DType dtype, short[] values) throws IOException {
        MemorySegment s = MemorySegment.ofArray(new byte[values.length * 2]);
        MemorySegment.copy(values, 0, s, NpyArray.ELEMENT, 0, values.length);
        write(path, dtype, s);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
