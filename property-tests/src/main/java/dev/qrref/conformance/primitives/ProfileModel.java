package dev.qrref.conformance.primitives;

import dev.qrref.spec.Primitive;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.gen.PairCases;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Profile;

/** What one profile of the CPU model says a primitive returns: the expectation a captured table is compared with. */
public final class ProfileModel {
    private ProfileModel() {
    }

    /** The expected output element for {@code input} (elements as {@link Primitive} says). */
    public static int expected(Primitive op, Format16 format, Profile profile, int input) {
        NumericsProfile p = NumericsProfile.of(profile);
        Arith16 a = p.arith(format);
        return switch (op) {
            case RCP -> a.rcp(input);
            case WIDEN -> Float.floatToRawIntBits(a.toFloat(input));
            case CAST_BF16_TO_FP16 -> p.castBf16ToFp16(input);
            case CAST_FP16_TO_BF16 -> p.castFp16ToBf16(input);
            case FROM_F32 -> a.fromFloat(Float.intBitsToFloat(input));
            case MAX -> a.max(PairCases.a(input), PairCases.b(input));
            case MIN -> a.min(PairCases.a(input), PairCases.b(input));
            case ABS_GREATER -> a.absGreater(PairCases.a(input), PairCases.b(input)) ? 1 : 0;
            case ADD -> a.add(PairCases.a(input), PairCases.b(input));
            case MUL -> a.mul(PairCases.a(input), PairCases.b(input));
            case TO_FP8 -> p.fp8().fromFloat(a.toFloat(input));
            case FROM_FP8 -> a.fromFloat(p.fp8().toFloat(input & 0xFF));
        };
    }

    /** Equality of outputs with NaN as a class (any NaN equals any NaN: payloads are not modelled). */
    public static boolean same(Primitive op, Format16 format, Profile profile, int got, int want) {
        if (got == want) {
            return true;
        }
        if (op == Primitive.TO_FP8) {
            Fp8Format f = profile.fp8Format();
            return f.isNaN(got) && f.isNaN(want);
        }
        return switch (op.output) {
            case U16 -> {
                Format16 f = op.outputFormat(format);
                yield f.isNaN(got & 0xFFFF) && f.isNaN(want & 0xFFFF);
            }
            case F32 -> Float.isNaN(Float.intBitsToFloat(got)) && Float.isNaN(Float.intBitsToFloat(want));
            default -> false;
        };
    }
}
