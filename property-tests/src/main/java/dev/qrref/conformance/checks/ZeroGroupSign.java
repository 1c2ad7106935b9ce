package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Target;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * A named fact, checked without the oracle: where every rank's input is zero (either sign) in a whole 64-element span
 * (or in the part of the last one below N), every rank's output in that span is what the dossier's §7.1 derives from
 * the codec's kind, the compute format and the profile's FP16_OVFL column. The phase-1 round trip of a zero group
 * decodes to zeros, the reduction adds them to +0 (RED-1), so phase 2 encodes a group of +0: M = +0, d = +0·SF.
 * <ul>
 *   <li>FP codec: +0.</li>
 *   <li>integer codecs (SF &lt; 0, d = -0): fp16 without saturation (cuda, cdna4): rcp(2^-24) = +inf, 0·inf = NaN
 *       clamps to -L, (-L)·(-0) = +0; fp16 with saturation (cdna3): the reciprocal is 65504, the code is L,
 *       (+0)·(-0) = -0; bf16 arithmetic: the reciprocal is finite, so -0 as well.</li>
 *   <li>FP8 (SF &gt; 0, d = +0, no clamp): fp16 without saturation: 0·inf = NaN, a NaN code, a NaN output; otherwise
 *       w = 0, code 0, +0.</li>
 * </ul>
 * On the cast path the fp16 result is stored as bf16 (NaN stays NaN; its payload is not part of the rule).
 */
public final class ZeroGroupSign implements CaseCheck {
    @Override
    public String name() {
        return "zero-group-sign";
    }

    @Override
    public String description() {
        return "a 64-element span that is zero on every rank comes out as +0, -0 or NaN as the codec kind, the compute "
                + "format and FP16_OVFL decide (dossier 7.1)";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.RED_ZERO, Rule.NUM_OVERFLOW, Rule.NUM_RCP, Rule.ENC_RCP, Rule.DEC_VALUE, Rule.CAST_STORE);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return spec.kind() == InputKind.ZERO_GROUPS || spec.kind() == InputKind.SPECIALS;
    }

    /** The output bits (in the memory format) of an all-zero span for this codec, data path and profile. */
    public static int expected(QuantLevel level, DataPath path, Profile profile) {
        Format16 out = path.dtype.format;
        boolean fp16 = path.compute == Format16.FP16;
        boolean saturates = profile.fp16OverflowSaturates();
        return switch (level.kind) {
            case RAW -> 0;
            case INTEGER -> fp16 && !saturates ? 0 : out.signMask;
            case FP8 -> fp16 && !saturates ? out.canonicalNaN : 0;
        };
    }

    /**
     * The spans that are zero on every rank, as their first elements. A last span cut short by N counts when its elements
     * are zero: the kernel loads zeros past N, so its groups are all-zero groups too.
     */
    public static long[] zeroSpans(short[][] inputs, long n) {
        return LongStream.iterate(0, s -> s < n, s -> s + Geometry.GROUP_SPAN).filter(s -> allZero(inputs, s, n)).toArray();
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        CaseSpec s = run.spec();
        Format16 in = s.path().dtype.format;
        int want = expected(s.level(), s.path(), s.profile());
        for (long span : zeroSpans(run.inputs(), s.n())) {
            for (int r = 0; r < run.outputs().length; r++) {
                for (long e = span; e < Math.min(s.n(), span + Geometry.GROUP_SPAN); e++) {
                    int got = run.outputs()[r][(int) e] & 0xFFFF;
                    if (got != want && !(in.isNaN(got) && in.isNaN(want))) {
                        return Optional.of(new Failure(Rule.RED_ZERO, name(), s.id(), r, e, CaseCheck.inputsAt(run.inputs(), e), got,
                                want, 1, null, CaseCheck.repro(target, s), s.seed()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean allZero(short[][] inputs, long span, long n) {
        for (short[] v : inputs) {
            for (long e = span; e < Math.min(n, span + Geometry.GROUP_SPAN); e++) {
                if ((v[(int) e] & 0x7FFF) != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
