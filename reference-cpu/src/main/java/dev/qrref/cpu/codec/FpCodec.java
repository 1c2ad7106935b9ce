package dev.qrref.cpu.codec;

import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * The FP codec (rule FP-1): the raw 16-byte vectors go on the wire. Thread {@code t} stores its vector at {@code 16t},
 * so an atom block is the atom row itself, 4096 bytes.
 */
public final class FpCodec implements Codec {
    public static final FpCodec INSTANCE = new FpCodec();

    private FpCodec() {
    }

    @Override
    public QuantLevel level() {
        return QuantLevel.F16;
    }

    @Override
    public void encodeAtom(short[] values, int base, MemorySegment dst, long offset) {
        MemorySegment.copy(values, base, dst, Wire.SHORT, offset, Geometry.ATOM_ELEMENTS);
    }

    @Override
    public void decodeAtom(MemorySegment src, long offset, short[] values, int base) {
        MemorySegment.copy(src, Wire.SHORT, offset, values, base, Geometry.ATOM_ELEMENTS);
    }
}
