package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A 1-D {@code .npy} array of 16-bit elements as {@link NpyReader} returns it: the validated header and the data as a
 * read-only segment (memory-mapped from the file), little-endian, {@code 2 × length} bytes.
 *
 * @param source the file name as given, for messages
 * @param header the validated header
 * @param data   the elements, read-only
 */
public record NpyArray(String source, NpyHeader header, MemorySegment data) {
    static final ValueLayout.OfShort ELEMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public long length() {
        return header.length();
    }

    public DType dtype() {
        return header.dtype();
    }

    /** Raw 16-bit pattern of element {@code i}. */
    public int bits(long i) {
        return data.get(ELEMENT, 2 * i) & 0xFFFF;
    }

    /** A heap copy of every element (for small arrays). */
    public short[] toArray() {
        if (length() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(source + ": " + length() + " elements do not fit a Java array");
        }
        short[] out = new short[(int) length()];
        MemorySegment.copy(data, ELEMENT, 0, out, 0, out.length);
        return out;
    }
}
