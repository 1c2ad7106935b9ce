package dev.qrref.cpu.codec;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * INT3 (rule ENC-5; vLLM #45666, aiter #3899): two planes. The 16-bit plane at {@code 2t} holds the low 2 bits of code
 * {@code c_j} at bits {@code 2j..2j+1}; the 8-bit plane at {@code 512 + t} holds the top bit of {@code c_j} at bit
 * {@code j}. Scale words follow at 768; stride 896. Codes decode through an exact int → T conversion plus RMIN
 * ({@link GroupQuantizer#decodeOffset}).
 */
public final class Int3Codec implements Codec {
    private static final int LOW_BITS = 2;
    private static final int LOW_MASK = (1 << LOW_BITS) - 1;
    private final GroupQuantizer q;
    private final int highOffset;
    private final int scaleOffset;

    Int3Codec(GroupQuantizer q) {
        this.q = q;
        CodecLayout l = CodecLayout.of(QuantLevel.INT3);
        this.highOffset = l.planes().get(1).offset();
        this.scaleOffset = l.scaleOffset();
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.INT3;
    }

    /** The thread's 16-bit low plane word: code j's bits 1..0 at bits 2j..2j+1. */
    static int packLow(int[] c, int at) {
        int bits = 0;
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            bits |= (c[at + j] & LOW_MASK) << (LOW_BITS * j);
        }
        return bits;
    }

    /** The thread's high-bit byte: code j's bit 2 at bit j. */
    static int packHigh(int[] c, int at) {
        int bits = 0;
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            bits |= (c[at + j] >> LOW_BITS) << j;
        }
        return bits;
    }

    static void unpack(int low, int high, int[] c, int at) {
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            c[at + j] = ((low >>> (LOW_BITS * j)) & LOW_MASK) | (((high >>> j) & 1) << LOW_BITS);
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
                Wire.putShort(dst, offset + 2L * t, packLow(codes, at));
                Wire.putByte(dst, offset + highOffset + t, packHigh(codes, at));
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
                unpack(Wire.getShort(src, offset + 2L * t), Wire.getByte(src, offset + highOffset + t), codes,
                        lane * Geometry.VECTOR_ELEMENTS);
            }
            q.decodeSpan(codes, Wire.getInt(src, offset + scaleOffset + 4L * g), values, base + g * Geometry.GROUP_SPAN);
        }
    }

    /** Bits 1..0 at bits 2j..2j+1 of the thread's 16-bit word; bit 2 at bit j of its byte. */
    @Override
    public java.util.List<CodeField> fields(int t, int j) {
        CodecLayout l = CodecLayout.of(QuantLevel.INT3);
        CodecLayout.Plane p0 = l.planes().getFirst();
        CodecLayout.Plane p1 = l.planes().get(1);
        return java.util.List.of(new CodeField(p0.name(), p0.offset() + p0.bytesPerThread() * t, p0.bytesPerThread(), LOW_BITS * j,
                LOW_BITS, 0), new CodeField(p1.name(), p1.offset() + p1.bytesPerThread() * t, p1.bytesPerThread(), j, 1, LOW_BITS));
    }
}
