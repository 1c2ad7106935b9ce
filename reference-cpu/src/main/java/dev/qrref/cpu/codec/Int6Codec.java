package dev.qrref.cpu.codec;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * INT6 (rule ENC-5): two planes. The nibble plane at {@code 4t} holds the low 4 bits of each code in the INT4 layout;
 * the 16-bit plane at {@code 1024 + 2t} holds the top 2 bits of code {@code c_j} at bits {@code 2j..2j+1}. Scale words
 * follow at 1536; stride 1664.
 */
public final class Int6Codec implements Codec {
    private static final int LOW_BITS = 4;
    private static final int LOW_MASK = (1 << LOW_BITS) - 1;
    private static final int HIGH_MASK = 3;
    private final GroupQuantizer q;
    private final int highOffset;
    private final int scaleOffset;

    Int6Codec(GroupQuantizer q) {
        this.q = q;
        CodecLayout l = CodecLayout.of(QuantLevel.INT6);
        this.highOffset = l.planes().get(1).offset();
        this.scaleOffset = l.scaleOffset();
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.INT6;
    }

    static int packLow(int[] c, int at) {
        int word = 0;
        for (int i = 0; i < Geometry.VECTOR_WORDS; i++) {
            word |= ((c[at + 2 * i] & LOW_MASK) | ((c[at + 2 * i + 1] & LOW_MASK) << 16)) << (LOW_BITS * i);
        }
        return word;
    }

    static int packHigh(int[] c, int at) {
        int bits = 0;
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            bits |= (c[at + j] >> LOW_BITS) << (2 * j);
        }
        return bits;
    }

    static void unpack(int low, int high, int[] c, int at) {
        for (int i = 0; i < Geometry.VECTOR_WORDS; i++) {
            int h = high >>> (4 * i);
            c[at + 2 * i] = ((low >>> (LOW_BITS * i)) & LOW_MASK) | ((h & HIGH_MASK) << LOW_BITS);
            c[at + 2 * i + 1] = ((low >>> (16 + LOW_BITS * i)) & LOW_MASK) | (((h >>> 2) & HIGH_MASK) << LOW_BITS);
        }
    }

    @Override
    public void encodeAtom(short[] values, int base, MemorySegment dst, long offset) {
        int[] codes = new int[Geometry.GROUP_SPAN];
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            int scale = q.encodeSpan(values, base + g * Geometry.GROUP_SPAN, codes);
            for (int lane = 0; lane < Geometry.GROUP_THREADS; lane++) {
                int t = g * Geometry.GROUP_THREADS + lane;
                int at = lane * Geometry.VECTOR_ELEMENTS;
                Wire.putInt(dst, offset + 4L * t, packLow(codes, at));
                Wire.putShort(dst, offset + highOffset + 2L * t, packHigh(codes, at));
            }
            Wire.putInt(dst, offset + scaleOffset + 4L * g, scale);
        }
    }

    @Override
    public void decodeAtom(MemorySegment src, long offset, short[] values, int base) {
        int[] codes = new int[Geometry.GROUP_SPAN];
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            for (int lane = 0; lane < Geometry.GROUP_THREADS; lane++) {
                int t = g * Geometry.GROUP_THREADS + lane;
                unpack(Wire.getInt(src, offset + 4L * t), Wire.getShort(src, offset + highOffset + 2L * t), codes,
                        lane * Geometry.VECTOR_ELEMENTS);
            }
            q.decodeSpan(codes, Wire.getInt(src, offset + scaleOffset + 4L * g), values, base + g * Geometry.GROUP_SPAN);
        }
    }

    /** The low nibble in the INT4 layout; the top 2 bits at bits 2j..2j+1 of the thread's 16-bit word. */
    @Override
    public java.util.List<CodeField> fields(int t, int j) {
        CodecLayout l = CodecLayout.of(QuantLevel.INT6);
        CodecLayout.Plane p1 = l.planes().get(1);
        return java.util.List.of(Int4Codec.nibble(l.planes().getFirst(), t, j, 0),
                new CodeField(p1.name(), p1.offset() + p1.bytesPerThread() * t, p1.bytesPerThread(), 2 * j, 2, LOW_BITS));
    }
}
