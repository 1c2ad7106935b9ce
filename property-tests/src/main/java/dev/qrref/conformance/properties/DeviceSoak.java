package dev.qrref.conformance.properties;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.InputKind;
import dev.qrref.conformance.OutputDiff;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.hip.DeviceBuffer;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.GpuGroupComms;
import dev.qrref.hip.QrNative;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thousands of back-to-back calls on device buffers (no host staging), alternating 1 Mi / 2 Mi elements and every
 * codec: the first call of each (size, codec) is checked against the CPU model, every later one against that first
 * output on the device. Finds hangs and slot reuse faults that need many calls to show.
 */
public final class DeviceSoak implements SuiteProperty {
    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "thousands of back-to-back calls on device buffers alternating sizes and codecs: no hang, every output right";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.BUF_REGIONS, Rule.FLAG_COLOUR, Rule.FLAG_WAIT);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        GpuBackend gpu = GpuOnly.of(t, sink, "it runs on device buffers");
        if (gpu == null) {
            return;
        }
        int calls = config.level().pick(2000, 10000);
        int w = config.worldSizes().getLast();
        long[] sizes = {1L << 20, 2L << 20};
        QuantLevel[] codecs = QuantLevel.values();
        QrNative nat = gpu.nativeLibrary();
        String repro = "./qr conformance --backend " + t.name() + " --property soak --level " + config.level().number()
                + " --world-sizes " + w;
        int completed = 0;
        long wrong = 0;
        try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * sizes[1], t.options(Profile.CUDA, 0))) {
            List<DeviceBuffer> in = new ArrayList<>();
            List<DeviceBuffer> out = new ArrayList<>();
            Map<String, List<DeviceBuffer>> first = new LinkedHashMap<>();
            try {
                for (int r = 0; r < w; r++) {
                    in.add(g.allocate(r, 2 * sizes[1]));
                    out.add(g.allocate(r, 2 * sizes[1]));
                    nat.fillRandom(g.device(r), in.get(r).address(), sizes[1], DType.FP16.code, 1000 + r);
                }
                for (int i = 0; i < calls; i++) {
                    long n = sizes[i % 2];
                    QuantLevel q = codecs[(i / 2) % codecs.length];
                    g.allreduceDevice(in, out, n, DType.FP16, q, false);
                    List<DeviceBuffer> want = first.get(n + "/" + q);
                    if (want == null) {
                        Failure f = againstModel(t, g, in, out, n, q, repro);
                        if (f != null) {
                            sink.fail(f);
                            return;
                        }
                        want = new ArrayList<>();
                        for (int r = 0; r < w; r++) {
                            DeviceBuffer copy = g.allocate(r, 2 * n);
                            nat.d2d(g.device(r), copy.address(), out.get(r).address(), 2 * n);
                            want.add(copy);
                        }
                        first.put(n + "/" + q, want);
                    } else {
                        for (int r = 0; r < w; r++) {
                            wrong += nat.countMismatches(g.device(r), out.get(r).address(), want.get(r).address(), n);
                        }
                    }
                    completed++;
                }
            } finally {
                in.forEach(DeviceBuffer::close);
                out.forEach(DeviceBuffer::close);
                first.values().forEach(l -> l.forEach(DeviceBuffer::close));
            }
        } catch (QrException e) {
            sink.fail(Failure.message(Rule.FLAG_WAIT, name(), "-", "after " + completed + " of " + calls + " calls: " + e.getMessage(), repro));
            return;
        }
        if (wrong != 0) {
            sink.fail(Failure.message(Rule.BUF_REGIONS, name(), "-", wrong + " output elements differ from the first call of their "
                    + "(size, codec)", repro));
        } else {
            sink.pass("W=" + w + ": " + calls + " calls alternating 1 Mi / 2 Mi elements and " + codecs.length + " codecs");
        }
    }

    /** The first call of a (size, codec) against the CPU model (outputs only: the buffers' history differs). */
    private Failure againstModel(Target t, GpuGroupComms g, List<DeviceBuffer> in, List<DeviceBuffer> out, long n, QuantLevel q,
                                 String repro) {
        int w = in.size();
        int ni = (int) n;
        short[][] inputs = new short[w][ni];
        short[][] got = new short[w][ni];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(2 * n, 16);
            for (int r = 0; r < w; r++) {
                in.get(r).download(h, 2 * n);
                MemorySegment.copy(h, ValueLayout.JAVA_SHORT_UNALIGNED, 0, inputs[r], 0, ni);
                out.get(r).download(h, 2 * n);
                MemorySegment.copy(h, ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, ni);
            }
        }
        CaseSpec spec = new CaseSpec(w, q, DataPath.FP16, Profile.CUDA, n, InputKind.GAUSSIAN, g.layout().maxBlocks(), 0);
        Expected e = Expected.of(t, spec, inputs, g.layout(), false);
        OutputDiff d = OutputDiff.compare(DType.FP16.format, got, e.outputs(), n);
        return d.ok() ? null : new Failure(Rule.RED_REQUANT, name(), spec.id(), d.rank(), d.element(), CaseCheck.inputsAt(inputs, d.element()),
                d.got(), d.want(), d.wrong(), "(first call of n=" + n + ", " + q.cliName() + ")", repro, 0);
    }
}
