package dev.qrref.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.conformance.checks.OutputsMatch;
import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.GroupQuantizer;
import dev.qrref.cpu.codec.PlantedCodecs;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.protocol.CallPlan;
import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.cpu.protocol.GroupAllReduce;
import dev.qrref.spec.Backend;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CPU conformance (the CPU model against the element-wise model) catches a fault in the model's quantizer. A
 * quantizer with one wrong entry in its code table (w = -2.666, fp16 0xC155, coded 6 instead of 5) is planted into the
 * CPU model, which then runs the worked example group of the dossier (Appendix A: 3.0, -2.9, 1.0, 0.5, 0.0, -1.4) on
 * rank 0. The case check reports the element holding 1.0, and nothing else. The element-wise model as it was before,
 * built on the same quantizer, agrees with the faulty model: that comparison could not see the fault.
 */
class PlantedQuantizerFaultTest {
    private static final Profile PROFILE = Profile.CUDA;
    private static final DataPath PATH = DataPath.FP16;
    private static final int W_OF_ONE = 0xC155;
    private static final int RIGHT_CODE = 5;
    private static final int WRONG_CODE = 6;
    /** The even group of span 5: elements 320, 322, … */
    private static final int GROUP_START = 5 * Geometry.GROUP_SPAN;
    private static final int ELEMENT_OF_ONE = GROUP_START + 2 * 2;
    private static final int N = Geometry.TILE_ELEMENTS;

    /** The CPU model with the planted INT4 quantizer, named "cpu" so that the suite takes the element-wise model as oracle. */
    static final class PlantedModel implements Backend {
        final GroupQuantizer quantizer;

        PlantedModel(GroupQuantizer quantizer) {
            this.quantizer = quantizer;
        }

        @Override
        public String name() {
            return "cpu";
        }

        @Override
        public Set<Profile> profiles() {
            return EnumSet.of(PROFILE);
        }

        @Override
        public Profile defaultProfile() {
            return PROFILE;
        }

        @Override
        public String describe() {
            return "CPU model with a planted INT4 quantizer fault";
        }

        @Override
        public DeviceComms newComms(CommsOptions options) {
            throw new UnsupportedOperationException("group calls only");
        }

        @Override
        public GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
            return new PlantedGroup(new BufferLayout(worldSize, Geometry.DEFAULT_MAX_BLOCKS, maxProblemBytes), quantizer);
        }
    }

    /** All ranks run step by step, as the CPU model's own group does, with the planted codec in the call plan. */
    static final class PlantedGroup implements GroupComms {
        final BufferLayout layout;
        final GroupQuantizer quantizer;
        final Arena arena = Arena.ofConfined();
        final CommBuffer[] buffers;

        PlantedGroup(BufferLayout layout, GroupQuantizer quantizer) {
            this.layout = layout;
            this.quantizer = quantizer;
            this.buffers = new CommBuffer[layout.worldSize()];
            for (int r = 0; r < buffers.length; r++) {
                buffers[r] = new CommBuffer(layout, arena);
            }
        }

        @Override
        public int worldSize() {
            return layout.worldSize();
        }

        @Override
        public Profile profile() {
            return PROFILE;
        }

        @Override
        public BufferLayout layout() {
            return layout;
        }

        @Override
        public void allreduce(List<MemorySegment> inputs, List<MemorySegment> outputs, long n, DType dtype, QuantLevel level,
                              boolean cast) {
            CallPlan p = CallPlan.of(layout, n, level, DataPath.of(dtype, cast), NumericsProfile.of(PROFILE));
            CallPlan planted = new CallPlan(p.layout(), p.n(), p.numTiles(), p.grid(), p.level(), p.path(), p.profile(),
                    PlantedCodecs.int4(quantizer), p.arith(), false);
            GroupAllReduce.run(planted, buffers, inputs.toArray(MemorySegment[]::new), outputs.toArray(MemorySegment[]::new), null);
        }

        @Override
        public void readBuffer(int rank, MemorySegment dst) {
            buffers[rank].copyTo(dst);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** The element-wise model as it was: groups and M from the definition, every other step through {@code q}. */
    static short[] sharedQuantizerOracle(short[][] inputs, GroupQuantizer q) {
        Arith16 a = q.arith();
        short[] sum = new short[N];
        for (short[] x : inputs) {
            short[] c = sharedRoundTrip(x, q);
            for (int e = 0; e < N; e++) {
                sum[e] = (short) a.add(sum[e] & 0xFFFF, c[e] & 0xFFFF);
            }
        }
        return sharedRoundTrip(sum, q);
    }

    static short[] sharedRoundTrip(short[] v, GroupQuantizer q) {
        short[] out = new short[v.length];
        int[] members = new int[Geometry.GROUP_SIZE];
        for (int span = 0; span < v.length; span += Geometry.GROUP_SPAN) {
            for (int half = 0; half < 2; half++) {
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    members[m] = v[span + 2 * m + half] & 0xFFFF;
                }
                int d = q.decodingScale(ElementwiseModel.signedAbsMax(q.arith().format(), members));
                int e = q.encodingScale(d);
                for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                    out[span + 2 * m + half] = (short) q.decode(q.code(members[m], e), d);
                }
            }
        }
        return out;
    }

    static short[][] workedExampleOnRankZero() {
        short[][] in = new short[2][N];
        int[] example = {0x4200, 0xC1CD, 0x3C00, 0x3800, 0x0000, 0xBD9A};
        for (int m = 0; m < example.length; m++) {
            in[0][GROUP_START + 2 * m] = (short) example[m];
        }
        return in;
    }

    @Test
    void theConformanceCheckNamesTheElementThatTheFaultyCodeTouches() {
        Arith16 a = NumericsProfile.of(PROFILE).arith(PATH.compute);
        GroupQuantizer right = new GroupQuantizer(QuantLevel.INT4, a);
        // the fault is where the worked example says: 1.0 x e = -2.666 (0xC155), rint -3, code 5
        assertEquals(W_OF_ONE, a.mul(0x3C00, right.encodingScale(right.decodingScale(0x4200))));
        assertEquals(RIGHT_CODE, right.code(0x3C00, W_OF_ONE));
        GroupQuantizer faulty = PlantedCodecs.quantizer(QuantLevel.INT4, a, W_OF_ONE, WRONG_CODE);
        assertEquals(WRONG_CODE, faulty.code(0x3C00, W_OF_ONE));

        Target target = new Target(new PlantedModel(faulty), Duration.ofSeconds(10));
        CaseSpec spec = new CaseSpec(2, QuantLevel.INT4, PATH, PROFILE, N, InputKind.GAUSSIAN, 0, 0x5EED);
        short[][] inputs = workedExampleOnRankZero();
        CaseRun run = CaseRun.execute(target, spec, inputs, false);
        Optional<Failure> failure = new OutputsMatch().check(target, run, Expected.of(target, spec, inputs, run.layout(), false));

        assertTrue(failure.isPresent(), "the planted fault went unnoticed");
        Failure f = failure.get();
        assertEquals(0, f.rank());
        assertEquals(ELEMENT_OF_ONE, f.element(), f.line());
        // want T(1.125) as the dossier's table decodes 1.0; got 0.75 = (6 - 8) x -0.375
        assertEquals(0x3C80, f.want(), f.line());
        assertEquals(0x3A00, f.got(), f.line());
        assertEquals(2, f.wrong(), "one element on each of the two ranks: " + f.line());
        assertTrue(f.line().contains("element=" + ELEMENT_OF_ONE + " in=[0x3C00,0x0000] got=0x3A00 want=0x3C80"), f.line());

        // the old oracle shared the quantizer, so it computes the same wrong value and the check passes
        short[] shared = sharedQuantizerOracle(inputs, faulty);
        Expected sharedExpectation = new Expected(new short[][]{shared, shared}, null);
        assertTrue(new OutputsMatch().check(target, run, sharedExpectation).isEmpty(),
                "a comparison with the shared quantizer cannot see the fault");
        assertEquals(0x3A00, shared[ELEMENT_OF_ONE] & 0xFFFF);
    }

    @Test
    void withoutThePlantTheSameCasePasses() {
        Arith16 a = NumericsProfile.of(PROFILE).arith(PATH.compute);
        Target target = new Target(new PlantedModel(new GroupQuantizer(QuantLevel.INT4, a)), Duration.ofSeconds(10));
        CaseSpec spec = new CaseSpec(2, QuantLevel.INT4, PATH, PROFILE, N, InputKind.GAUSSIAN, 0, 0x5EED);
        short[][] inputs = workedExampleOnRankZero();
        CaseRun run = CaseRun.execute(target, spec, inputs, false);
        assertTrue(new OutputsMatch().check(target, run, Expected.of(target, spec, inputs, run.layout(), false)).isEmpty());
        assertEquals(0x3C80, run.outputs()[1][ELEMENT_OF_ONE] & 0xFFFF, Format16.hex(run.outputs()[1][ELEMENT_OF_ONE]));
    }
}
