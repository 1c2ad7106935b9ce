package dev.qrref.conformance.properties;

import dev.qrref.conformance.CaseCheck;
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
import dev.qrref.hip.DeviceBuffer;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.GpuGraph;
import dev.qrref.hip.GpuGroupComms;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * CUDA graphs on real hardware (rule FLAG-1): K all-reduces of one group, alternating sizes, codecs and data paths, are
 * captured into one graph, which is replayed many times with new inputs written into the captured buffers between
 * replays. Every replay's outputs must equal the CPU model's bit for bit. A host-side flag colour baked into the capture
 * (the vLLM #46913 / sglang #29508 bug, the {@code host_colour_replay} mutant) repeats on every replay, so stale flags
 * pass and the outputs go wrong; the device-side block counters make each replay use fresh colours.
 */
public final class GraphReplay implements SuiteProperty {
    /** The calls of one graph: (size, codec, path) alternating; every codec and every path appears. */
    static List<CaseShape> shapes() {
        List<CaseShape> out = new ArrayList<>();
        long[] sizes = {16392, 3 * 16384 + 104};
        DataPath[] paths = DataPath.values();
        QuantLevel[] codecs = QuantLevel.values();
        for (int c = 0; c < codecs.length; c++) {
            out.add(new CaseShape(sizes[c % sizes.length], codecs[c], paths[c % paths.length]));
        }
        return out;
    }

    record CaseShape(long n, QuantLevel codec, DataPath path) {
    }

    @Override
    public String name() {
        return "graph-replay";
    }

    @Override
    public String description() {
        return "K calls captured in one CUDA/HIP graph, replayed with new inputs each time: every replay bit-exact against the model";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.FLAG_COLOUR, Rule.FLAG_WAIT, Rule.RED_IDENTICAL);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        if (!(t.backend() instanceof GpuBackend gpu)) {
            sink.skip("graph capture needs the GPU backend (the CPU model has no kernel launches to capture)");
            return;
        }
        int replays = config.level().pick(6, 40);
        List<CaseShape> shapes = shapes();
        long maxN = shapes.stream().mapToLong(CaseShape::n).max().orElseThrow();
        for (int w : config.worldSizes()) {
            for (Profile p : List.of(Profile.CUDA, Profile.CDNA3)) {
                if (!t.profiles().contains(p) || !config.profiles().contains(p)) {
                    continue;
                }
                if (!runOne(gpu, t, config, sink, w, p, shapes, maxN, replays)) {
                    return;
                }
            }
        }
    }

    private boolean runOne(GpuBackend gpu, Target t, SuiteConfig config, Sink sink, int w, Profile p, List<CaseShape> shapes, long maxN,
                           int replays) {
        String repro = "./qr conformance --backend " + t.name() + " --property " + name() + " --level " + config.level().number()
                + " --world-sizes " + w + " --profiles " + p.id();
        List<List<DeviceBuffer>> ins = new ArrayList<>();
        List<List<DeviceBuffer>> outs = new ArrayList<>();
        try (GpuGroupComms g = gpu.newGpuGroup(w, 2 * maxN, t.options(p, 0)); Arena arena = Arena.ofConfined()) {
            List<GpuGraph.Call> calls = new ArrayList<>();
            for (CaseShape s : shapes) {
                List<DeviceBuffer> in = new ArrayList<>();
                List<DeviceBuffer> out = new ArrayList<>();
                for (int r = 0; r < w; r++) {
                    in.add(g.allocate(r, 2 * s.n()));
                    out.add(g.allocate(r, 2 * s.n()));
                }
                ins.add(in);
                outs.add(out);
                calls.add(new GpuGraph.Call(in, out, s.n(), s.path().dtype, s.codec(), s.path().casts()));
            }
            try (GpuGraph graph = g.graph(calls)) {
                MemorySegment host = arena.allocate(2 * maxN);
                for (int rep = 0; rep < replays; rep++) {
                    List<CaseSpec> specs = new ArrayList<>();
                    List<short[][]> inputs = new ArrayList<>();
                    for (int c = 0; c < shapes.size(); c++) {
                        CaseShape s = shapes.get(c);
                        InputKind kind = InputKind.values()[(rep + c) % InputKind.values().length];
                        CaseSpec spec = new CaseSpec(w, s.codec(), s.path(), p, s.n(), kind, g.layout().maxBlocks(),
                                Seeds.derive(config.baseSeed(), name() + "/w" + w + "/" + p.id() + "/" + rep + "/" + c));
                        short[][] in = Inputs.generate(spec);
                        specs.add(spec);
                        inputs.add(in);
                        for (int r = 0; r < w; r++) {
                            MemorySegment.copy(in[r], 0, host, ValueLayout.JAVA_SHORT_UNALIGNED, 0, (int) s.n());
                            ins.get(c).get(r).upload(host, 2 * s.n());
                            host.fill((byte) 0xA5);  // poison: an output the replay does not write is caught
                            outs.get(c).get(r).upload(host, 2 * s.n());
                        }
                    }
                    try {
                        graph.replay(1);
                    } catch (QrException e) {
                        sink.fail(Failure.message(Rule.FLAG_WAIT, name(), specs.getFirst().id(), "replay " + rep + " of " + replays
                                + " failed: " + e.getMessage(), repro));
                        return false;
                    }
                    for (int c = 0; c < shapes.size(); c++) {
                        CaseSpec spec = specs.get(c);
                        short[][] got = new short[w][(int) spec.n()];
                        for (int r = 0; r < w; r++) {
                            outs.get(c).get(r).download(host, 2 * spec.n());
                            MemorySegment.copy(host, ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, (int) spec.n());
                        }
                        Expected want = Expected.of(t, spec, inputs.get(c), g.layout(), false);
                        OutputDiff d = OutputDiff.compare(spec.path().dtype.format, got, want.outputs(), spec.n());
                        if (!d.ok()) {
                            sink.fail(new Failure(Rule.FLAG_COLOUR, name(), spec.id(), d.rank(), d.element(),
                                    CaseCheck.inputsAt(inputs.get(c), d.element()), d.got(), d.want(), d.wrong(),
                                    "(replay " + rep + " of " + replays + ", captured call " + c + " of " + shapes.size() + ")", repro,
                                    spec.seed()));
                            return false;
                        }
                    }
                }
                sink.pass("W=" + w + " " + p.id() + ": " + replays + " replays of " + shapes.size() + " captured calls");
            }
        } finally {
            for (List<DeviceBuffer> l : ins) {
                l.forEach(DeviceBuffer::close);
            }
            for (List<DeviceBuffer> l : outs) {
                l.forEach(DeviceBuffer::close);
            }
        }
        return true;
    }
}
