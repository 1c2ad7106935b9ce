package dev.qrref.cpu.codec;

import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;

/**
 * A wire codec: turns one atom row (2048 values, the vectors of all 256 threads) into one atom block of
 * {@link CodecLayout#stride()} bytes and back. Values are raw 16-bit patterns of the compute format, in element order
 * (thread {@code t}'s vector is {@code values[base + 8t .. base + 8t + 7]}). Implementations are stateless and safe to
 * share between threads.
 */
public sealed interface Codec permits FpCodec, Int8Codec, Int6Codec, Int4Codec, Int3Codec, Fp8Codec {

    QuantLevel level();

    default CodecLayout layout() {
        return level().layout();
    }

    /** Writes the atom block of {@code values[base .. base+2047]} at {@code dst[offset .. offset+stride)}. */
    void encodeAtom(short[] values, int base, MemorySegment dst, long offset);

    /** Reads the atom block at {@code src[offset ..]} into {@code values[base .. base+2047]}. */
    void decodeAtom(MemorySegment src, long offset, short[] values, int base);

    /**
     * Where the bits of the code of element {@code j} (0..7) of thread {@code t} sit in the atom block; empty for the FP
     * codec, which stores raw values.
     */
    default java.util.List<CodeField> fields(int t, int j) {
        return java.util.List.of();
    }

    static Codec of(QuantLevel level, NumericsProfile profile, Format16 compute) {
        return of(level, profile, compute, FastPath.enabled());
    }

    /** With {@code vector} false the codec runs the scalar reference path even where the Vector API is available. */
    static Codec of(QuantLevel level, NumericsProfile profile, Format16 compute, boolean vector) {
        return switch (level) {
            case F16 -> FpCodec.INSTANCE;
            case INT8 -> new Int8Codec(GroupQuantizer.of(QuantLevel.INT8, profile.arith(compute), vector));
            case INT6 -> new Int6Codec(GroupQuantizer.of(QuantLevel.INT6, profile.arith(compute), vector));
            case INT4 -> new Int4Codec(GroupQuantizer.of(QuantLevel.INT4, profile.arith(compute), vector));
            case INT3 -> new Int3Codec(GroupQuantizer.of(QuantLevel.INT3, profile.arith(compute), vector));
            case FP8 -> new Fp8Codec(new Fp8Quantizer(profile.arith(compute), profile.fp8()));
        };
    }
}
