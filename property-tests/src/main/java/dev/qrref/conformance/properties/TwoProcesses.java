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
import dev.qrref.conformance.gpu.IpcPeerMain;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.hip.GpuBackend;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real IPC path: two OS processes on one GPU export their buffer handles through files, open each other's with
 * {@code cudaIpcOpenMemHandle} and run one all-reduce; both outputs must equal the CPU model's.
 */
public final class TwoProcesses implements SuiteProperty {
    @Override
    public String name() {
        return "ipc-processes";
    }

    @Override
    public String description() {
        return "two OS processes exchange IPC handles and run one all-reduce: outputs equal the CPU model";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.RED_IDENTICAL, Rule.FLAG_ORDER);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        GpuBackend gpu = GpuOnly.of(t, sink, "it opens CUDA/HIP IPC handles between processes");
        if (gpu == null) {
            return;
        }
        int resident = gpu.nativeLibrary().residentBlocks(gpu.device())[0];
        int maxBlocks = Math.min(1216, Math.max(1, resident / 2));
        CaseSpec spec = new CaseSpec(2, QuantLevel.INT4, DataPath.FP16, Profile.CUDA, 3 * 16384 + 104, InputKind.GAUSSIAN, maxBlocks,
                Seeds.derive(config.baseSeed(), "gpu-ipc"));
        String repro = "./qr conformance --backend " + t.name() + " --property " + name();
        Path work;
        try {
            work = Files.createTempDirectory("qr-ipc");
        } catch (IOException e) {
            sink.skip("cannot create a work folder: " + e.getMessage());
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> procs = new ArrayList<>();
        try {
            for (int r = 0; r < 2; r++) {
                List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path")));
                String lib = System.getProperty("qr.native.lib");
                if (lib != null && !lib.isBlank()) {
                    cmd.add("-Dqr.native.lib=" + lib);
                }
                cmd.addAll(List.of(IpcPeerMain.class.getName(), work.toString(), Integer.toString(r), spec.id()));
                procs.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(work.resolve("rank" + r + ".log").toFile())
                        .start());
            }
            for (int r = 0; r < 2; r++) {
                Process p = procs.get(r);
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    sink.fail(Failure.message(Rule.FLAG_ORDER, name(), spec.id(), "rank " + r + " process did not finish within 120 s",
                            repro));
                    return;
                }
                if (p.exitValue() != 0) {
                    sink.fail(Failure.message(Rule.FLAG_ORDER, name(), spec.id(), "rank " + r + " process exited " + p.exitValue() + ": "
                            + Files.readString(work.resolve("rank" + r + ".log")).strip(), repro));
                    return;
                }
            }
            short[][] got = new short[2][(int) spec.n()];
            for (int r = 0; r < 2; r++) {
                byte[] b = Files.readAllBytes(work.resolve("out" + r + ".bin"));
                MemorySegment.copy(MemorySegment.ofArray(b), ValueLayout.JAVA_SHORT_UNALIGNED, 0, got[r], 0, got[r].length);
            }
            short[][] inputs = Inputs.generate(spec);
            Expected e = Expected.of(t, spec, inputs, new BufferLayout(2, maxBlocks, 2 * spec.n()), false);
            OutputDiff d = OutputDiff.compare(DType.FP16.format, got, e.outputs(), spec.n());
            if (d.ok()) {
                sink.pass("two processes, " + spec.id());
            } else {
                sink.fail(new Failure(Rule.RED_IDENTICAL, name(), spec.id(), d.rank(), d.element(), CaseCheck.inputsAt(inputs, d.element()),
                        d.got(), d.want(), d.wrong(), null, repro, spec.seed()));
            }
        } catch (IOException e) {
            sink.fail(Failure.message(Rule.FLAG_ORDER, name(), spec.id(), "I/O: " + e.getMessage(), repro));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            procs.forEach(Process::destroyForcibly);
        }
    }
}
