package dev.qrref.cpu.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Little-endian accessors for the wire bytes (GPU memory is little-endian on both vendors). */
public final class Wire {
    private Wire() {
    }

    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static int getInt(MemorySegment s, long off) {
        return s.get(INT, off);
    }

    public static void putInt(MemorySegment s, long off, int v) {
        s.set(INT, off, v);
    }

    public static int getByte(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    public static void putByte(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    public static int getShort(MemorySegment s, long off) {
        return s.get(SHORT, off) & 0xFFFF;
    }

    public static void putShort(MemorySegment s, long off, int v) {
        s.set(SHORT, off, (short) v);
    }
}
