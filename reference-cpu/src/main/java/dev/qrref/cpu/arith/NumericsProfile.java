package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.List;

/**
 * A numerics profile: the hardware-defined behaviour of the 16-bit operations and conversions a kernel uses. One
 * implementation per profile ({@link CudaProfile}, {@link Cdna3Profile}, {@link Cdna4Profile}); codec and protocol code
 * only ever call through this interface and the {@link Arith16} objects it hands out.
 */
public sealed interface NumericsProfile permits CudaProfile, Cdna3Profile, Cdna4Profile {

    Profile id();

    /** The operations in {@code format}. */
    Arith16 arith(Format16 format);

    /** bf16 → binary32 (exact) → fp16 (rule CAST-1): round to nearest even, overflow per profile. */
    int castBf16ToFp16(int bf16);

    /** fp16 → binary32 (exact) → bf16 (rule CAST-2): round to nearest even. */
    default int castFp16ToBf16(int fp16) {
        return Bf16.fromFloatRne(Fp16.toFloat(fp16));
    }

    /** What the profile asserts, operation by operation, and how sure we are of each entry. */
    List<Fact> facts();

    /**
     * One row of the profile table in the documentation.
     *
     * @param operation the operation, e.g. {@code "fp16 add overflow"}
     * @param behaviour what the profile computes
     * @param status    {@code measured}, {@code documented} or {@code assumed}
     * @param source    where the statement comes from
     */
    record Fact(String operation, String behaviour, String status, String source) {
    }

    static NumericsProfile of(Profile id) {
        return switch (id) {
            case CUDA -> CudaProfile.INSTANCE;
            case CDNA3 -> Cdna3Profile.INSTANCE;
            case CDNA4 -> Cdna4Profile.INSTANCE;
        };
    }
}
