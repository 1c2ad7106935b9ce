package dev.qrref.conformance.properties;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.Inputs;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The upstream variable-size race as a test: one communicator, many back-to-back calls alternating between sizes with
 * different grids and between codecs. Every output must be right (outputs do not depend on history, so each (size,
 * codec) pair is checked against one precomputed expectation) and no call may hang; at the end every block counter
 * must hold 1 plus the iterations that block ran.
 */
public final class VariableSizes implements SuiteProperty {
    @Override
    public String name() {
        return "variable-sizes";
    }

    @Override
    public String description() {
        return "back-to-back calls alternating sizes (different grids) and codecs: every output right, no hang, counters advance";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.BUF_REGIONS, Rule.FLAG_COLOUR, Rule.FLAG_WAIT);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        boolean model = t.isModel();
        int w = config.worldSizes().contains(4) ? 4 : config.worldSizes().get(0);
        long[] sizes = model ? new long[]{16392, 40008, 100000} : new long[]{1 << 20, 2 << 20};
        // on a GPU every call stages and checks 2 x N elements per rank on the host; the soak property runs thousands of
        // calls on device buffers instead
        int calls = model ? config.level().pick(24, 400) : config.level().pick(400, 2000);
        int maxBlocks = model ? 4 : 0;
        Profile p = t.profiles().contains(Profile.CUDA) ? Profile.CUDA : t.profiles().iterator().next();
        QuantLevel[] codecs = QuantLevel.values();
        DataPath[] paths = {DataPath.FP16, DataPath.BF16_CAST};
        String repro = "./qr conformance --backend " + t.name() + " --property variable-sizes --level " + config.level().number();
        long maxN = sizes[sizes.length - 1];
        Map<String, short[][]> inputs = new HashMap<>();
        Map<String, Expected> expected = new HashMap<>();
        try (GroupComms g = t.group(w, 2 * maxN, p, maxBlocks)) {
            BufferLayout layout = g.layout();
            long[] iterations = new long[layout.maxBlocks()];
            for (int call = 0; call < calls; call++) {
                long n = sizes[call % sizes.length];
                QuantLevel q = codecs[(call / sizes.length) % codecs.length];
                DataPath path = paths[(call / (sizes.length * codecs.length)) % paths.length];
                String key = n + "/" + q + "/" + path;
                CaseSpec spec = new CaseSpec(w, q, path, p, n, InputKind.GAUSSIAN, layout.maxBlocks(),
                        Seeds.derive(config.baseSeed(), "variable-sizes/" + n + "/" + path));
                short[][] in = inputs.computeIfAbsent(n + "/" + path, k -> Inputs.generate(spec));
                Expected exp = expected.computeIfAbsent(key, k -> Expected.of(t, spec, in, fixedLayout(layout, 2 * maxN), false));
                CaseRun run;
                try {
                    run = CaseRun.execute(g, spec, in, false);
                } catch (QrException e) {
                    sink.fail(Failure.message(Rule.FLAG_WAIT, name(), spec.id(), "call " + call + " of " + calls + " failed: " + e, repro));
                    return;
                }
                OutputDiff d = OutputDiff.compare(path.dtype.format, run.outputs(), exp.outputs(), n);
                if (!d.ok()) {
                    sink.fail(new Failure(Rule.BUF_REGIONS, name(), spec.id(), d.rank(), d.element(), CaseCheck.inputsAt(in, d.element()),
                            d.got(), d.want(), d.wrong(), "(call " + call + " of " + calls + ", previous call n=" + sizes[(call + sizes.length - 1) % sizes.length] + ")",
                            repro, spec.seed()));
                    return;
                }
                int grid = Geometry.grid(Geometry.numTiles(n), layout.maxBlocks());
                for (int b = 0; b < grid; b++) {
                    iterations[b] += Geometry.iterations(b, Geometry.numTiles(n), grid);
                }
            }
            sink.pass(calls + " calls");
            byte[] buf = new byte[(int) layout.totalBytes()];
            MemorySegment s = MemorySegment.ofArray(buf);
            for (int r = 0; r < w; r++) {
                g.readBuffer(r, s);
                for (int b = 0; b < layout.maxBlocks(); b++) {
                    int got = s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), layout.counterOffset(b));
                    int want = (int) (FlagScheme.INITIAL_COUNTER + iterations[b]);
                    if (got != want) {
                        sink.fail(Failure.message(Rule.FLAG_COLOUR, name(), "-", "rank " + r + " block " + b + " counter "
                                + Integer.toUnsignedString(got) + ", expected " + Integer.toUnsignedString(want) + " after " + calls + " calls", repro));
                        return;
                    }
                }
            }
            sink.pass("block counters");
        }
    }

    /** The layout the expectation must use: the same grid cap as the target's communicator. */
    private static BufferLayout fixedLayout(BufferLayout l, long maxBytes) {
        return new BufferLayout(l.worldSize(), l.maxBlocks(), maxBytes);
    }

}
