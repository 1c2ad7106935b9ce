package dev.qrref.cli;

import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import picocli.CommandLine.Option;

/** {@code --dtype}, {@code --cast-bf16-to-fp16}, {@code --profile}: shared by every command that runs the numerics. */
public final class NumericsOptions {
    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "fp16", converter = Converters.Dtype.class,
            completionCandidates = Converters.DtypeNames.class,
            description = "Element type in memory: ${COMPLETION-CANDIDATES} (bf16 files hold raw bits as <u2). Default: ${DEFAULT-VALUE}.")
    DType dtype;

    @Option(names = "--cast-bf16-to-fp16",
            description = "With --dtype bf16: convert to fp16 at load and back at store, fp16 arithmetic in between "
                    + "(vLLM's default). Ignored for fp16.")
    boolean cast;

    @Option(names = "--profile", paramLabel = "PROFILE", converter = Converters.ProfileName.class,
            completionCandidates = Converters.ProfileNames.class,
            description = "Numerics profile: ${COMPLETION-CANDIDATES}. Default: the backend's own (cuda on the CPU model).")
    Profile profile;

    public DType dtype() {
        return dtype;
    }

    public boolean cast() {
        return cast;
    }

    /** The profile asked for, or {@code fallback} when none was. */
    public Profile profileOr(Profile fallback) {
        return profile == null ? fallback : profile;
    }

    public DataPath path() {
        return DataPath.of(dtype, cast);
    }
}
