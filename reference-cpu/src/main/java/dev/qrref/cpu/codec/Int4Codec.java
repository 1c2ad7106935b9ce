package dev.qrref.cpu.codec;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * INT4 (rule ENC-5): each thread packs its 8 codes into one 32-bit word at {@code 4t}; nibble {@code n} holds
 * {@code c0, c2, c4, c6} for n = 0..3 and {@code c1, c3, c5, c7} for n = 4..7 — the kernel ORs the four packed int16
 * pairs shifted by 0, 4, 8, 12. Scale words follow at 1024; stride 1152.
 */
public final class Int4Codec implements Codec {
    private static final int BITS = 4;
    private static final int MASK = (1 << BITS) - 1;
    private final GroupQuantizer q;
    private final int scaleOffset;

    Int4Codec(GroupQuantizer q) {
        this.q = q;
        this.scaleOffset = CodecLayout.of(QuantLevel.INT4).scaleOffset();
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.INT4;
    }

    /** Packs codes {@code c[at .. at+7]} into the thread's word. */
    static int pack(int[] c, int at) {
        int word = 0;
        for (int i = 0; i < Geometry.VECTOR_WORDS; i++) {
            word |= (c[at + 2 * i] | (c[at + 2 * i + 1] << 16)) << (BITS * i);
        }
        return word;
    }

    static void unpack(int word, int[] c, int at) {
        for (int i = 0; i < Geometry.VECTOR_WORDS; i++) {
            c[at + 2 * i] = (word >>> (BITS * i)) & MASK;
            c[at + 2 * i + 1] = (word >>> (16 + BITS * i)) & MASK;
        }
    }

    @Override
    public void encodeAtom(short[] values, int base, MemorySegment dst, long offset) {
        int[] codes = new int[Geometry.GROUP_SPAN];
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            int scale = q.encodeSpan(values, base + g * Geometry.GROUP_SPAN, codes);
            for (int lane = 0; lane < Geometry.GROUP_THREADS; lane++) {
                int t = g * Geometry.GROUP_THREADS + lane;
                Wire.putInt(dst, offset + 4L * t, pack(codes, lane * Geometry.VECTOR_ELEMENTS));
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
                unpack(Wire.getInt(src, offset + 4L * t), codes, lane * Geometry.VECTOR_ELEMENTS);
            }
            q.decodeSpan(codes, Wire.getInt(src, offset + scaleOffset + 4L * g), values, base + g * Geometry.GROUP_SPAN);
        }
    }

    @Override
    public java.util.List<CodeField> fields(int t, int j) {
        return java.util.List.of(nibble(CodecLayout.of(QuantLevel.INT4).planes().getFirst(), t, j, 0));
    }

    /** The nibble of element {@code j} of thread {@code t}: nibble j/2 (even j) or 4 + j/2 (odd j) of the thread's word. */
    static CodeField nibble(CodecLayout.Plane p, int t, int j, int codeBitLo) {
        int n = (j % 2 == 0) ? j / 2 : 4 + j / 2;
        return new CodeField(p.name(), p.offset() + p.bytesPerThread() * t, p.bytesPerThread(), 4 * n, 4, codeBitLo);
    }
}
