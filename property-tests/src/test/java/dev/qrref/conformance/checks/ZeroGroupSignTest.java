package dev.qrref.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.conformance.CaseMatrix;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Coverage;
import dev.qrref.conformance.CoverageScanner;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Inputs;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.Target;
import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.Backends;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The zero-group rule per codec, data path and profile, and cases that give it something to check. */
class ZeroGroupSignTest {
    static final Target CPU = new Target(Backends.open("cpu"), Duration.ofSeconds(30));

    /**
     * Dossier §7.1 for the integer codecs: fp16 gives -0 under cdna3 (the reciprocal saturates) and +0 under cuda and
     * cdna4 (it overflows to infinity); bf16 arithmetic gives -0 under every profile (the reciprocal is finite; an H200
     * gives 0x8000 on the native bf16 path); the cast path stores the fp16 result as bf16. The FP codec sends +0.
     */
    @Test
    void theRuleGivesTheDocumentedBitsForTheIntegerCodecs() {
        // a closed list of known answers: the integer codecs are every INTEGER row of the spec, INT3 included
        for (QuantLevel q : QuantLevel.values()) {
            if (q.kind != QuantLevel.Kind.INTEGER) {
                continue;
            }
            for (Profile p : Profile.values()) {
                int fp16 = p == Profile.CDNA3 ? 0x8000 : 0x0000;
                assertEquals(fp16, ZeroGroupSign.expected(q, DataPath.FP16, p), q + " fp16 " + p);
                assertEquals(fp16, ZeroGroupSign.expected(q, DataPath.BF16_CAST, p), q + " bf16-cast " + p);
                assertEquals(0x8000, ZeroGroupSign.expected(q, DataPath.BF16, p), q + " bf16 " + p);
            }
        }
        for (DataPath d : DataPath.values()) {
            for (Profile p : Profile.values()) {
                assertEquals(0x0000, ZeroGroupSign.expected(QuantLevel.F16, d, p), "fp " + d + " " + p);
            }
        }
    }

    /**
     * The rule, derived from the codec's kind and the profile's columns, against the CPU model's codec: one round trip
     * of a +0 atom through every codec, path and profile (NaN as a class), so a rule or a codec that drifts fails here.
     */
    @Test
    void theRuleAgreesWithTheModelsCodecForEveryCodecPathAndProfile() {
        int fp8Nan = 0;
        for (QuantLevel q : QuantLevel.values()) {
            for (DataPath d : DataPath.values()) {
                for (Profile p : Profile.values()) {
                    int v = ZeroGroupSign.expected(q, d, p);
                    int model = modelRoundTripOfZeros(q, d, p);
                    Format16 f = d.dtype.format;
                    assertTrue(v == model || (f.isNaN(v) && f.isNaN(model)), q + " " + d + " " + p + ": rule "
                            + Format16.hex(v) + ", model " + Format16.hex(model));
                    if (f.isNaN(v)) {
                        assertEquals(QuantLevel.Kind.FP8, q.kind, "only FP8 can give NaN for zeros");
                        fp8Nan++;
                    }
                }
            }
        }
        assertTrue(fp8Nan > 0, "FP8 in fp16 without saturation turns a zero group into NaN (issue 16)");
    }

    private static int modelRoundTripOfZeros(QuantLevel level, DataPath path, Profile profile) {
        NumericsProfile numerics = NumericsProfile.of(profile);
        Codec codec = Codec.of(level, numerics, path.compute);
        short[] values = new short[Geometry.ATOM_ELEMENTS];
        MemorySegment block = MemorySegment.ofArray(new byte[(int) codec.layout().stride()]);
        codec.encodeAtom(values, 0, block, 0);
        short[] back = new short[Geometry.ATOM_ELEMENTS];
        codec.decodeAtom(block, 0, back, 0);
        int v = back[0] & 0xFFFF;
        return path.casts() ? numerics.castFp16ToBf16(v) : v;
    }

    /** Every generated case the check applies to holds at least one span that is zero on every rank. */
    @Test
    void theCasesItAppliesToAreNotVacuous() {
        int checked = 0;
        for (CaseSpec c : CaseMatrix.cases(CPU, SuiteConfig.defaults(Level.QUICK))) {
            if (!new ZeroGroupSign().appliesTo(CPU, c) || c.n() > (1 << 20)) {
                continue;
            }
            short[][] in = Inputs.generate(c);
            assertTrue(ZeroGroupSign.zeroSpans(in, c.n()).length > 0, "no span zero on every rank in " + c.id());
            if (c.n() >= 64) {
                assertTrue(CoverageScanner.scan(c, in, 1216).contains(Coverage.ZERO_SPAN), c.id());
            }
            checked++;
        }
        assertTrue(checked > 0, "the quick matrix has zero-group or specials cases");
        for (InputKind k : List.of(InputKind.ZERO_GROUPS, InputKind.SPECIALS)) {
            for (long n : new long[]{8, 2048, 16392}) {
                CaseSpec c = new CaseSpec(4, QuantLevel.INT4, DataPath.BF16, Profile.CUDA, n, k, 0, 0xDE93D59047B6ACCCL);
                assertTrue(ZeroGroupSign.zeroSpans(Inputs.generate(c), n).length > 0, c.id());
            }
        }
    }

    /** The issue's case: passes on the CPU model, isolated or not, and the check did look at zero spans. */
    @Test
    void theBf16CaseOfTheIssuePassesAndAWrongSignFails() {
        CaseSpec c = CaseSpec.parse("w4.int6.bf16.cuda.n2048.zero-groups.b0.s0xDE93D59047B6ACCC");
        for (boolean isolated : new boolean[]{false, true}) {
            short[][] in = Inputs.generate(c);
            if (isolated) {
                in = Inputs.isolate(in, 100);
            }
            long[] spans = ZeroGroupSign.zeroSpans(in, c.n());
            assertTrue(spans.length > 0);
            CaseRun run = CaseRun.execute(CPU, c, in, false);
            assertEquals(Optional.empty(), new ZeroGroupSign().check(CPU, run, null));
            assertEquals(0x8000, run.outputs()[0][(int) spans[0]] & 0xFFFF);

            run.outputs()[2][(int) spans[0] + 5] ^= (short) 0x8000;
            Failure f = new ZeroGroupSign().check(CPU, run, null).orElseThrow();
            assertEquals(Rule.RED_ZERO, f.rule());
            assertEquals(2, f.rank());
            assertEquals(spans[0] + 5, f.element());
            assertEquals(0x0000, f.got());
            assertEquals(0x8000, f.want());
        }
    }
}
