package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Target;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * A named fact, checked without the oracle: where every rank's input is zero (either sign) in a whole 64-element span
 * (or in the part of the last one below N),
 * every rank's output in that span is {@link #expected}. The phase-1 round trip of a zero group decodes to zeros, the
 * reduction adds them to +0 and so gives +0 (RED-1), and phase 2 sends that +0 group once more through the codec. So
 * the output is one round trip of a +0 group: encode and decode in the data path's compute format under the case's
 * numerics profile, then the store cast back to bf16 on the cast path. The sign is not one constant: in fp16 the
 * reciprocal of {@code d + EPS} overflows, to 65504 under cdna3 (decoding to -0) and to infinity under cuda and cdna4
 * (decoding to +0), while in bf16 it is finite under every profile (decoding to -0); the FP codec sends the +0 itself.
 */
public final class ZeroGroupSign implements CaseCheck {
    @Override
    public String name() {
        return "zero-group-sign";
    }

    @Override
    public String description() {
        return "a 64-element span that is zero on every rank comes out as one round trip of a +0 group through the codec "
                + "(compute format and profile of the case, cast back on the cast path): -0 or +0 per codec, path and profile";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.RED_ZERO, Rule.NUM_OVERFLOW, Rule.NUM_RCP, Rule.ENC_RCP, Rule.DEC_VALUE, Rule.CAST_STORE);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return spec.kind() == InputKind.ZERO_GROUPS || spec.kind() == InputKind.SPECIALS;
    }

    /**
     * The output bits of an all-zero span for this codec, data path and profile, derived from the profile's numerics
     * through the codec (any codec the spec lists).
     */
    public static int expected(QuantLevel level, DataPath path, Profile profile) {
        NumericsProfile numerics = NumericsProfile.of(profile);
        Codec codec = Codec.of(level, numerics, path.compute);
        short[] values = new short[Geometry.ATOM_ELEMENTS]; // +0 everywhere
        MemorySegment block = MemorySegment.ofArray(new byte[(int) codec.layout().stride()]);
        codec.encodeAtom(values, 0, block, 0);
        short[] back = new short[Geometry.ATOM_ELEMENTS];
        codec.decodeAtom(block, 0, back, 0);
        int v = back[0] & 0xFFFF;
        for (short b : back) {
            if ((b & 0xFFFF) != v) {
                throw new IllegalStateException("a +0 atom does not decode to one value under " + level.cliName() + ", "
                        + path.id() + ", " + profile.id());
            }
        }
        return path.casts() ? numerics.castFp16ToBf16(v) : v;
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
        int want = expected(s.level(), s.path(), s.profile());
        for (long span : zeroSpans(run.inputs(), s.n())) {
            for (int r = 0; r < run.outputs().length; r++) {
                for (long e = span; e < Math.min(s.n(), span + Geometry.GROUP_SPAN); e++) {
                    int got = run.outputs()[r][(int) e] & 0xFFFF;
                    if (got != want) {
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
