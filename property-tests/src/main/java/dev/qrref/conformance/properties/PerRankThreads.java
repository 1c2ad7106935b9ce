package dev.qrref.conformance.properties;

import dev.qrref.conformance.BufferDiff;
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
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The per-rank interface ({@code DeviceComms}, shaped like the seed's) with every rank on its own thread, exchanging
 * handles as separate processes would: two consecutive calls per configuration, outputs against the oracle, and on the
 * CPU model the buffers against the group-mode run (two different schedules must leave the same bytes).
 */
public final class PerRankThreads implements SuiteProperty {
    @Override
    public String name() {
        return "per-rank";
    }

    @Override
    public String description() {
        return "W ranks on W threads through the per-rank interface: outputs (and, on the CPU model, buffers) as in group mode";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.FLAG_ORDER, Rule.API_STATE, Rule.RED_IDENTICAL);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        Profile p = t.profiles().contains(Profile.CDNA3) ? Profile.CDNA3 : t.profiles().iterator().next();
        QuantLevel[] codecs = QuantLevel.values();
        DataPath[] paths = DataPath.values();
        int i = 0;
        for (int w : config.worldSizes()) {
            for (int k = 0; k < config.level().pick(2, 4); k++, i++) {
                QuantLevel q = codecs[i % codecs.length];
                DataPath path = paths[i % paths.length];
                long n = t.isModel() ? 5 * 16384 + 8 : (1 << 20) + 8;
                runOne(t, config, sink, w, q, path, p, n);
            }
        }
    }

    private void runOne(Target t, SuiteConfig config, Sink sink, int w, QuantLevel q, DataPath path, Profile p, long n) {
        int maxBlocks = t.isModel() ? 3 : 0;
        long maxBytes = 2 * n;
        String repro = "./qr conformance --backend " + t.name() + " --property per-rank";
        List<DeviceComms> ranks = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(w);
        try (Arena arena = Arena.ofShared()) {
            for (int r = 0; r < w; r++) {
                DeviceComms c = t.backend().newComms(t.options(p, maxBlocks).withTimeout(Duration.ofSeconds(60)));
                c.init(w, r, OptionalLong.of(maxBytes));
                ranks.add(c);
            }
            List<IpcHandle> handles = ranks.stream().map(DeviceComms::handle).toList();
            for (DeviceComms c : ranks) {
                c.openIpcHandles(handles);
            }
            BufferLayout layout = ranks.get(0).layout();
            CaseSpec spec = new CaseSpec(w, q, path, p, n, InputKind.SPECIALS, layout.maxBlocks(),
                    Seeds.derive(config.baseSeed(), "per-rank/" + w + "/" + q + "/" + path));
            short[][] in = Inputs.generate(spec);
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                MemorySegment s = arena.allocate(2 * n, 16);
                MemorySegment.copy(in[r], 0, s, ValueLayout.JAVA_SHORT_UNALIGNED, 0, (int) n);
                ins.add(s);
                outs.add(arena.allocate(2 * n, 16));
            }
            for (int call = 0; call < 2; call++) {
                List<Future<?>> fs = new ArrayList<>();
                for (int r = 0; r < w; r++) {
                    int rank = r;
                    fs.add(pool.submit(() -> ranks.get(rank).allreduce(ins.get(rank), outs.get(rank), n, path.dtype, q, path.casts())));
                }
                for (Future<?> f : fs) {
                    f.get(120, TimeUnit.SECONDS);
                }
            }
            short[][] got = new short[w][(int) n];
            for (int r = 0; r < w; r++) {
                MemorySegment.copy(outs.get(r), ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, (int) n);
            }
            Expected exp = Expected.of(t, spec, in, layout, false);
            OutputDiff d = OutputDiff.compare(path.dtype.format, got, exp.outputs(), n);
            if (!d.ok()) {
                sink.fail(new Failure(Rule.FLAG_ORDER, name(), spec.id(), d.rank(), d.element(), CaseCheck.inputsAt(in, d.element()), d.got(),
                        d.want(), d.wrong(), "(per-rank threads)", repro, spec.seed()));
                return;
            }
            sink.pass(spec.id());
            if (t.isModel()) {
                // the same two calls in group mode must leave the same bytes in every buffer
                byte[][] rankBuffers = new byte[w][];
                for (int r = 0; r < w; r++) {
                    rankBuffers[r] = new byte[(int) layout.totalBytes()];
                    ranks.get(r).readBuffer(MemorySegment.ofArray(rankBuffers[r]));
                }
                byte[][] groupBuffers;
                try (var g = t.group(w, maxBytes, p, maxBlocks)) {
                    CaseRun.execute(g, spec, in, false);
                    groupBuffers = CaseRun.execute(g, spec, in, true).buffers();
                }
                BufferDiff bd = BufferDiff.compare(spec, layout, rankBuffers, groupBuffers);
                if (bd.ok()) {
                    sink.pass(spec.id() + " buffers");
                } else {
                    sink.fail(Failure.message(Rule.BUF_SLOTS, name(), spec.id(), "rank " + bd.rank() + " buffer differs from group mode at "
                            + bd.offset() + " (" + bd.region() + "), " + bd.wrong() + " bytes", repro));
                }
            }
        } catch (Exception e) {
            sink.fail(Failure.message(Rule.FLAG_ORDER, name(), "w" + w + "." + q.cliName() + "." + path.id(), "unexpected " + e, repro));
        } finally {
            pool.shutdownNow();
            for (DeviceComms c : ranks) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // reported above if it mattered
                }
            }
        }
    }
}
