package dev.qrref.cpu.codec;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * INT8 (rule ENC-5): each thread stores two 32-bit words at {@code 8t}: {@code q[0] | q[1] << 8} and
 * {@code q[2] | q[3] << 8} of its packed int16 pairs, i.e. bytes {@code c0 c2 c1 c3} and {@code c4 c6 c5 c7}
 * (least significant first). Scale words follow at 2048; stride 2176.
 */
public final class Int8Codec implements Codec {
    private static final int BITS = 8;
    private static final int MASK = (1 << BITS) - 1;
    private final GroupQuantizer q;
    private final int scaleOffset;

    Int8Codec(GroupQuantizer q) {
        this.q = q;
        this.scaleOffset = CodecLayout.of(QuantLevel.INT8).scaleOffset();
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.INT8;
    }

    /** Word {@code half} (0 or 1) of the thread whose codes start at {@code c[at]}. */
    static int pack(int[] c, int at, int half) {
        int w0 = c[at + 4 * half] | (c[at + 4 * half + 1] << 16);      // packed pair q[2*half]
        int w1 = c[at + 4 * half + 2] | (c[at + 4 * half + 3] << 16);  // packed pair q[2*half+1]
        return w0 | (w1 << BITS);
    }

    static void unpack(int word, int half, int[] c, int at) {
        for (int i = 0; i < 2; i++) {
            c[at + 4 * half + 2 * i] = (word >>> (BITS * i)) & MASK;
            c[at + 4 * half + 2 * i + 1] = (word >>> (16 + BITS * i)) & MASK;
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
                Wire.putInt(dst, offset + 8L * t, pack(codes, at, 0));
                Wire.putInt(dst, offset + 8L * t + 4, pack(codes, at, 1));
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
                int at = lane * Geometry.VECTOR_ELEMENTS;
                unpack(Wire.getInt(src, offset + 8L * t), 0, codes, at);
                unpack(Wire.getInt(src, offset + 8L * t + 4), 1, codes, at);
            }
            q.decodeSpan(codes, Wire.getInt(src, offset + scaleOffset + 4L * g), values, base + g * Geometry.GROUP_SPAN);
        }
    }

    /** Word j/4 of the thread holds bytes c0 c2 c1 c3 (resp. c4 c6 c5 c7): the kernel ORs packed pairs shifted by 0, 8. */
    @Override
    public java.util.List<CodeField> fields(int t, int j) {
        CodecLayout.Plane p0 = CodecLayout.of(QuantLevel.INT8).planes().getFirst();
        int k = j % 4;
        int pos = (k % 2) * 2 + k / 2;
        return java.util.List.of(new CodeField(p0.name(), p0.offset() + p0.bytesPerThread() * t + 4 * (j / 4), 4, 8 * pos, 8, 0));
    }
}
