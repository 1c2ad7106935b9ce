package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.gen.PairCases;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The comparison logic of {@code qr capture-primitives} without a GPU: the CPU model stands in for the hardware, and a
 * wrapper plants differences that the comparison must find, count and list.
 */
class CapturePrimitivesTest {
    static final long SEED = 0x1234;
    static CapturePrimitives.Result model;

    /** The model as the hardware, with {@code op}'s output at {@code input} replaced under {@code policy}. */
    static final class Planted extends ModelSource {
        final Primitive op;
        final ArithPolicy policy;
        final int input;
        final int output;

        Planted(Primitive op, ArithPolicy policy, int input, int output) {
            this.op = op;
            this.policy = policy;
            this.input = input;
            this.output = output;
        }

        @Override
        public int[] run(Primitive o, ArithPolicy p, Profile fp8As, int[] inputs) {
            int[] out = super.run(o, p, fp8As, inputs);
            if (o == op && p == policy) {
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i] == input) {
                        out[i] = output;
                    }
                }
            }
            return out;
        }
    }

    @BeforeAll
    static void captureTheModel() {
        model = CapturePrimitives.run(new ModelSource(), SEED, 8, line -> { });
    }

    static CapturePrimitives.Row row(CapturePrimitives.Result r, Primitive op, Format16 f, ArithPolicy p) {
        return r.rows().stream().filter(x -> x.op() == op && x.format() == f && x.policy() == p).findFirst().orElseThrow();
    }

    @Test
    void theModelMatchesItselfAndTheTablesHaveTheirSizes() {
        assertTrue(model.ok());
        // every op and format under each policy that runs it: 8 ops x (2 fp16 policies + bf16) + 2 casts x 2 fp16 policies,
        // and the 2 fp8 conversions x 2 formats (under the raw policy of each) x the 3 distinct fp8 variants of the profiles
        assertEquals(8 * 3 + 2 * 2 + 2 * 2 * 3, model.rows().size());
        // each fp8 variant's tables match the profiles that have its columns, and differ from the others
        for (CapturePrimitives.Row r : model.rows()) {
            if (r.op() == Primitive.TO_FP8) {
                assertEquals(r.implemented(), r.matching(), r.formatLabel());
                assertEquals(65536, r.cases());
            }
        }
        assertEquals(65536, row(model, Primitive.RCP, Format16.FP16, ArithPolicy.NATIVE_FP16).cases());
        assertEquals(65536, row(model, Primitive.CAST_BF16_TO_FP16, Format16.FP16, ArithPolicy.SATURATING_FP16).cases());
        for (Primitive op : List.of(Primitive.ADD, Primitive.MUL)) {
            for (Format16 f : Format16.values()) {
                assertTrue(row(model, op, f, f == Format16.FP16 ? ArithPolicy.NATIVE_FP16 : ArithPolicy.BF16).cases() >= PrimitiveCases.PAIRS, op + " " + f);
            }
        }
        int specials = PairCases.specials(Format16.FP16).length;
        assertTrue(row(model, Primitive.MAX, Format16.FP16, ArithPolicy.NATIVE_FP16).cases() >= specials);
    }

    @Test
    void profilesThatDifferOnlyInSaturationAreToldApart() {
        CapturePrimitives.Row rcp = row(model, Primitive.RCP, Format16.FP16, ArithPolicy.NATIVE_FP16);
        assertEquals(List.of(Profile.CUDA, Profile.CDNA4), rcp.matching());
        TableComparison.Verdict cdna3 = rcp.verdicts().get(Profile.CDNA3.ordinal());
        // rcp(+-0) and the subnormals whose reciprocal overflows: inf on cuda, 65504 under FP16_OVFL
        assertTrue(cdna3.mismatches() >= 2, cdna3.toString());
        assertTrue(cdna3.first().stream().anyMatch(m -> m.input() == 0x0000 && m.got() == 0x7C00 && m.want() == 0x7BFF), cdna3.toString());
        assertEquals(List.of(Profile.CDNA3), row(model, Primitive.CAST_BF16_TO_FP16, Format16.FP16, ArithPolicy.SATURATING_FP16).matching());
        assertEquals(List.of(Profile.values()), row(model, Primitive.MAX, Format16.FP16, ArithPolicy.NATIVE_FP16).matching());
        assertEquals(List.of(Profile.values()), row(model, Primitive.ADD, Format16.BF16, ArithPolicy.BF16).matching());
    }

    @Test
    void aPlantedDifferenceIsFoundCountedAndListed() {
        CapturePrimitives.Result r = CapturePrimitives.run(new Planted(Primitive.RCP, ArithPolicy.NATIVE_FP16, 0x3C00, 0x3BFF), SEED, 8,
                line -> { });
        assertFalse(r.ok());
        CapturePrimitives.Row rcp = row(r, Primitive.RCP, Format16.FP16, ArithPolicy.NATIVE_FP16);
        assertFalse(rcp.ok());
        TableComparison.Verdict cuda = rcp.verdicts().get(Profile.CUDA.ordinal());
        assertEquals(1, cuda.mismatches());
        assertEquals(new TableComparison.Mismatch(0x3C00, 0x3BFF, 0x3C00), cuda.first().get(0));
        assertTrue(PrimitivesReport.line(rcp).contains("FAIL"), PrimitivesReport.line(rcp));
        String md = PrimitivesReport.markdown(r, "test");
        assertTrue(md.contains("### rcp fp16, native-fp16 vs cuda: 1 of 65536 inputs"), md);
        assertTrue(md.contains("0x3C00 => 0x3BFF 0x3C00"), md);
        // every other table is untouched
        assertEquals(1, r.rows().stream().filter(x -> !x.ok()).count());
    }

    @Test
    void theDeviceVerdictNamesTheProfilesOfTheRawPoliciesAndWhereTheOthersDiffer() {
        // the stand-in's raw policies compute cuda: an NVIDIA-like device, which cdna4 cannot be told apart from
        assertEquals(List.of(Profile.CUDA, Profile.CDNA4), model.deviceMatches());
        assertTrue(model.deviceSummary().startsWith("cuda, cdna4; not cdna3: "), model.deviceSummary());
        assertTrue(model.deviceSummary().contains("rcp fp16 (514 of 65536)"), model.deviceSummary());
        // a raw rcp that is not correctly rounded at one input matches no profile: the question the hardware team asks
        CapturePrimitives.Result r = CapturePrimitives.run(new Planted(Primitive.RCP, ArithPolicy.NATIVE_FP16, 0x3C01, 0x3BFD), SEED, 8,
                line -> { });
        assertEquals(List.of(), r.deviceMatches());
        assertTrue(r.deviceSummary().startsWith("none; not cuda: rcp fp16 (1 of 65536)"), r.deviceSummary());
    }

    @Test
    void aPlantedPairDifferenceNamesBothOperands() {
        int pair = PairCases.pack(0x7BFF, 0x7BFF);
        CapturePrimitives.Result r = CapturePrimitives.run(new Planted(Primitive.ADD, ArithPolicy.SATURATING_FP16, pair, 0x7C00), SEED, 8,
                line -> { });
        CapturePrimitives.Row add = row(r, Primitive.ADD, Format16.FP16, ArithPolicy.SATURATING_FP16);
        assertFalse(add.ok());
        assertTrue(add.matching().containsAll(List.of(Profile.CUDA, Profile.CDNA4)) || add.matching().isEmpty(), add.toString());
        String csv = String.join("\n", PrimitivesReport.mismatchCsv(r));
        assertTrue(csv.contains("add,fp16,saturating-fp16,cdna3,(0x7BFF 0x7BFF),0x7C00,0x7BFF"), csv);
    }

    @Test
    void nanIsComparedAsAClass() {
        // another quiet NaN payload than the model's is no difference; a NaN where a number is expected is
        CapturePrimitives.Result payload = CapturePrimitives.run(new Planted(Primitive.RCP, ArithPolicy.NATIVE_FP16, 0x7E00, 0x7E01), SEED, 4,
                line -> { });
        assertTrue(row(payload, Primitive.RCP, Format16.FP16, ArithPolicy.NATIVE_FP16).ok());
        assertTrue(ProfileModel.same(Primitive.WIDEN, Format16.FP16, Profile.CUDA, 0x7FC00000, 0x7FC00001));
        assertFalse(ProfileModel.same(Primitive.WIDEN, Format16.FP16, Profile.CUDA, 0x7FC00000, 0x7F800000));
        assertFalse(ProfileModel.same(Primitive.ABS_GREATER, Format16.FP16, Profile.CUDA, 0, 1));
    }

    @Test
    void theReportFilesAreWritten(@TempDir Path dir) throws IOException {
        PrimitivesReport.write(dir, model, "test");
        String md = Files.readString(dir.resolve(PrimitivesReport.MARKDOWN));
        assertTrue(md.contains("| op | format | policy | cases | cuda | cdna3 | cdna4 | implements | ok |"), md);
        List<String> csv = Files.readAllLines(dir.resolve(PrimitivesReport.SUMMARY_CSV));
        assertEquals(1 + model.rows().size() * Profile.values().length, csv.size());
        assertTrue(Files.readAllLines(dir.resolve(PrimitivesReport.MISMATCH_CSV)).size() > 1);
    }

    @Test
    void thePoliciesOfTheStandInAreThoseOfAnNvidiaBuild() {
        Map<ArithPolicy, List<Profile>> p = new ModelSource().policies();
        assertEquals(List.of(Profile.CUDA, Profile.CDNA4), p.get(ArithPolicy.NATIVE_FP16));
        assertEquals(List.of(Profile.CDNA3), p.get(ArithPolicy.SATURATING_FP16));
    }
}
