package dev.qrref.cpu.codec;

import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * FP8 (rule ENC-5; mk1 profile 2, aiter level 1): thread {@code t} stores its 8 codes as 8 bytes in element order at
 * {@code 8t}; scale words follow at 2048; stride 2176. The codes are e4m3 in the profile's format ({@link Fp8Quantizer}).
 */
public final class Fp8Codec implements Codec {
    private final Fp8Quantizer q;
    private final int scaleOffset;

    Fp8Codec(Fp8Quantizer q) {
        this.q = q;
        this.scaleOffset = CodecLayout.of(QuantLevel.FP8).scaleOffset();
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.FP8;
    }

    public Fp8Quantizer quantizer() {
        return q;
    }

    @Override
    public void encodeAtom(short[] values, int base, MemorySegment dst, long offset) {
        int[] codes = new int[Geometry.GROUP_SPAN];
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            int scale = q.encodeSpan(values, base + g * Geometry.GROUP_SPAN, codes);
            for (int i = 0; i < Geometry.GROUP_SPAN; i++) {
                Wire.putByte(dst, offset + (long) g * Geometry.GROUP_SPAN + i, codes[i]);
            }
            Wire.putInt(dst, offset + scaleOffset + 4L * g, scale);
        }
    }

    @Override
    public void decodeAtom(MemorySegment src, long offset, short[] values, int base) {
        int[] codes = new int[Geometry.GROUP_SPAN];
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            for (int i = 0; i < Geometry.GROUP_SPAN; i++) {
                codes[i] = Wire.getByte(src, offset + (long) g * Geometry.GROUP_SPAN + i);
            }
            q.decodeSpan(codes, Wire.getInt(src, offset + scaleOffset + 4L * g), values, base + g * Geometry.GROUP_SPAN);
        }
    }

    /** Byte j of the thread's 8 bytes. */
    @Override
    public java.util.List<CodeField> fields(int t, int j) {
        CodecLayout.Plane p0 = CodecLayout.of(QuantLevel.FP8).planes().getFirst();
        return java.util.List.of(new CodeField(p0.name(), p0.offset() + p0.bytesPerThread() * t + j, 1, 0, 8, 0));
    }
}
