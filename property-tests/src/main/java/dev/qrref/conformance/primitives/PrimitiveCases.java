package dev.qrref.conformance.primitives;

import dev.qrref.spec.Primitive;

import dev.qrref.cpu.gen.Binary32Cases;
import dev.qrref.cpu.gen.PairCases;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.gen.StructuredPairs;
import dev.qrref.spec.Format16;

/**
 * The input tables: exhaustive where the domain is 2^16 (reciprocal, widening, the casts), structured + sampled binary32
 * for the conversions from binary32, special x special for the comparisons, and at least {@value #PAIRS} structured and
 * random pairs (plus the specials) for add and mul.
 */
public final class PrimitiveCases {
    /** Pairs per binary arithmetic operation and format, besides the special x special pairs. */
    public static final int PAIRS = 1 << 20;
    /** Random binary32 inputs per format, besides the structured set. */
    public static final int RANDOM_F32 = 1 << 19;

    private PrimitiveCases() {
    }

    /** The inputs of {@code op} computed in {@code format} (for the casts: the policy's format, fp16). */
    public static int[] of(Primitive op, Format16 format, long baseSeed) {
        String label = "capture-primitives/" + op.id() + "/" + format.id();
        long seed = Seeds.derive(baseSeed, label);
        return switch (op) {
            case RCP, WIDEN, CAST_BF16_TO_FP16, CAST_FP16_TO_BF16, TO_FP8 -> all16();
            case FROM_FP8 -> allCodes();
            case FROM_F32 -> Binary32Cases.all(format, seed, Binary32Cases.structured(format).length + RANDOM_F32);
            case MAX, MIN, ABS_GREATER -> PairCases.concat(PairCases.specials(format), StructuredPairs.orderings(format, seed, 1 << 16));
            case ADD -> PairCases.concat(PairCases.specials(format), StructuredPairs.sums(format, seed, PAIRS / 2),
                    PairCases.uniform(seed + 1, PAIRS / 4),
                    PairCases.exponentSpread(format, seed + 2, PAIRS / 4, format.fractionBits + 4));
            case MUL -> PairCases.concat(PairCases.specials(format), StructuredPairs.products(format, seed, PAIRS / 2),
                    PairCases.uniform(seed + 1, PAIRS / 2));
        };
    }

    /** Every 8-bit code. */
    static int[] allCodes() {
        int[] a = new int[1 << 8];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Every 16-bit pattern. */
    static int[] all16() {
        int[] a = new int[1 << 16];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }
}
