package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Profile;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A numerics profile of the CPU model: the 16-bit operations, the casts and the fp8 conversion of one {@link Profile}
 * row, built from that row's columns (saturation of fp16 overflow and of the cast, the fp8 format and its overflow).
 * There is one class for every profile; codec and protocol code only call through it and the {@link Arith16} objects it
 * hands out.
 */
public final class NumericsProfile {
    private static final Map<Profile, NumericsProfile> BY_ID = new EnumMap<>(Profile.class);

    static {
        for (Profile p : Profile.values()) {
            BY_ID.put(p, new NumericsProfile(p));
        }
    }

    private final Profile id;
    private final Arith16 fp16;
    private final Arith16 bf16;
    /** The cast's final rounding to fp16: saturating when the row says so. */
    private final Arith16 castTarget;
    private final Fp8 fp8;

    private NumericsProfile(Profile id) {
        this.id = id;
        this.fp16 = new Arith16(Format16.FP16, id.fp16OverflowSaturates());
        // bf16 is computed in binary32 and rounded to bf16 on every profile: never saturated
        this.bf16 = new Arith16(Format16.BF16, false);
        this.castTarget = id.castSaturates() == id.fp16OverflowSaturates() ? fp16 : new Arith16(Format16.FP16, id.castSaturates());
        this.fp8 = new Fp8(id.fp8Format(), id.fp8Saturates());
    }

    public static NumericsProfile of(Profile id) {
        return BY_ID.get(id);
    }

    public Profile id() {
        return id;
    }

    /** The operations in {@code format}. */
    public Arith16 arith(Format16 format) {
        return format == Format16.FP16 ? fp16 : bf16;
    }

    /** bf16 → binary32 (exact) → fp16 (rule CAST-1): round to nearest even, overflow per the profile. */
    public int castBf16ToFp16(int bf16bits) {
        return castTarget.fromFloat(Bf16.toFloat(bf16bits));
    }

    /** fp16 → binary32 (exact) → bf16 (rule CAST-2): round to nearest even. */
    public int castFp16ToBf16(int fp16bits) {
        return Bf16.fromFloatRne(Fp16.toFloat(fp16bits));
    }

    /** The FP8 codec's conversions in this profile's format. */
    public Fp8 fp8() {
        return fp8;
    }

    public Fp8Format fp8Format() {
        return id.fp8Format();
    }

    /** What the profile asserts, operation by operation, and how sure we are of each entry (the spec row's facts). */
    public List<Profile.Fact> facts() {
        return id.facts();
    }

    @Override
    public String toString() {
        return id.id();
    }
}
