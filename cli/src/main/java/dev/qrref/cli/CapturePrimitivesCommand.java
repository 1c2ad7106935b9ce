package dev.qrref.cli;

import dev.qrref.conformance.primitives.CapturePrimitives;
import dev.qrref.conformance.primitives.GpuPrimitiveSource;
import dev.qrref.conformance.primitives.ModelSource;
import dev.qrref.conformance.primitives.PrimitiveSource;
import dev.qrref.conformance.primitives.PrimitivesReport;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.hip.GpuBackend;
import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qr capture-primitives}: the kernels' numerics policies run on the device over input tables (exhaustive for the
 * 16-bit unary operations, structured + sampled otherwise), each table compared with every profile of the CPU model.
 */
@Command(name = "capture-primitives", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs the GPU kernels' own numerics functions (reciprocal, 16->32 widening, bf16<->fp16 casts, binary32 -> fp16/bf16, "
                    + "max, min, |a|>|b|, add, mul; per format and per arithmetic policy compiled in) over input tables on the "
                    + "device, and compares every table with every numerics profile of the CPU model (NaN as a class).",
            "Prints one line per table: which profiles it matches, which it differs from and at how many inputs; writes "
                    + "capture-primitives.md, capture-primitives.csv and capture-mismatches.csv to --out.",
            "Then one line, DEVICE, names the profiles that the hardware's own instructions (the raw policies, in the mode "
                    + "the kernels set) match: on a ROCm machine, which profile the chip is.",
            "Exit 0 when every policy matches each profile it implements on this device."},
        footer = {"", "Examples:", "  qr capture-primitives --backend gpu --out docs/conformance/primitives",
            "  qr capture-primitives --backend cpu --out prim-cpu/   # checks the tool itself"})
public final class CapturePrimitivesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "gpu",
            description = "gpu (the device's tables) or cpu (the CPU model as a stand-in). Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for the report (created if missing).")
    Path out;

    @Option(names = "--max-list", paramLabel = "N", defaultValue = "32",
            description = "Differing inputs listed per table and profile (all are counted). Default: ${DEFAULT-VALUE}.")
    int maxList;

    @Option(names = "--seed", paramLabel = "S", converter = Converters.Seed.class,
            description = "Base seed of the sampled inputs, decimal or 0x-hex (default: -Dqr.seed, else fixed).")
    Long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxList < 0) {
            throw CliException.usage("--max-list " + maxList + ": must be >= 0");
        }
        WritableDirectory.require("--out", out);
        long base = seed == null ? Seeds.base() : seed;
        PrimitiveSource source = source();
        err.println(spec.qualifiedName() + ": " + source.describe());
        CapturePrimitives.Result r = CapturePrimitives.run(source, base, maxList, line -> {
            o.println(line);
            o.flush();
        });
        try {
            PrimitivesReport.write(out, r, Instant.now().toString());
        } catch (IOException e) {
            throw CliException.failed("cannot write the report to '" + out + "': " + IoErrors.reason(e));
        }
        o.println("DEVICE: the hardware's own instructions match " + r.deviceSummary());
        o.println(r.ok() ? "RESULT: PASS (every policy matches the profiles it implements; report in " + out + ")"
                : "RESULT: FAIL (a policy differs from a profile it implements; report in " + out + ")");
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private PrimitiveSource source() {
        if (backend.equals("cpu")) {
            return new ModelSource();
        }
        if (!backend.equals("gpu")) {
            throw CliException.usage("unknown backend '" + backend + "' (expected gpu or cpu)");
        }
        try {
            Backend b = Backends.open("gpu");
            if (!(b instanceof GpuBackend g)) {
                throw new CliException(ExitCodes.UNAVAILABLE, "backend gpu is not the native GPU backend here: " + b.describe());
            }
            return new GpuPrimitiveSource(g);
        } catch (BackendUnavailableException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "backend gpu cannot run here: " + e.getMessage(), e);
        }
    }
}
