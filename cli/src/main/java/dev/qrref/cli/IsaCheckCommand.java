package dev.qrref.cli;

import dev.qrref.cli.isa.Disassembly;
import dev.qrref.cli.isa.IsaCheck;
import dev.qrref.cli.isa.SourceFunctions;
import dev.qrref.spec.Profile;
import dev.qrref.spec.ProfileIsa;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code qr isa-check}: checks the disassembled AMD device code objects that {@code kernels/build.sh} writes
 * ({@code kernels/build/amd-isa/<target>/*.s}) against the instructions the target's profile assumes
 * ({@link ProfileIsa}).
 */
@Command(name = "isa-check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Checks the AMD kernels' instructions against the numerics profile of their target (spec ProfileIsa): the "
                    + "FP16_OVFL mode write at kernel entry (cdna3) or its absence (cdna4), packed fp16 add/mul/max/min, "
                    + "v_rcp_f16, the RNE cast, no fused multiply-add, bf16 in binary32 with a correctly rounded division, "
                    + "nontemporal slot traffic.",
            "Reads the disassemblies (llvm-objdump -d -l -C) that kernels/build.sh writes beside each code object, in "
                    + "folders named after their target (gfx942, ...). Prints one line per mismatch: target, object, "
                    + "kernel, the instruction found with its address and source line, and what the profile assumes.",
            "Exit 0 when every kernel matches, 1 on any mismatch or when no target of a profile was found."},
        footer = {"", "Examples:", "  qr isa-check            (the code objects in kernels/build/amd-isa)",
            "  qr isa-check --profile cdna4 target/isa-plants/no-ovfl"})
public final class IsaCheckCommand implements Callable<Integer> {
    static final String DEFAULT_RELATIVE = "kernels/build/amd-isa";
    static final String SOURCES_RELATIVE = "kernels/include";

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "0..*",
            description = "Folders of disassemblies: a target folder (gfx942/) or a folder of target folders. "
                    + "Default: " + DEFAULT_RELATIVE + " in the repository.")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Check every target against this profile instead of its own (e.g. a build without the mode "
                    + "write against cdna4).")
    String profileName;

    @Option(names = "--sources", paramLabel = "DIR",
            description = "Where qr_compat.h is when the paths of the line table do not exist here. Default: "
                    + SOURCES_RELATIVE + " in the repository.")
    Path sources;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Profile forced = profileName == null ? null : Profile.fromName(profileName);
        List<Path> roots = dirs.isEmpty() ? List.of(home().resolve(DEFAULT_RELATIVE)) : dirs;
        Map<String, List<Path>> byTarget = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw CliException.usage("'" + root + "' is not a folder (build the code objects with kernels/build.sh "
                        + "--amd-only, which needs hipcc or clang-19)");
            }
            collect(root, byTarget);
        }
        if (byTarget.isEmpty()) {
            throw CliException.usage("no disassembly (*.s in a gfx* folder) under " + roots);
        }
        Path fallback = sources != null ? sources : home().resolve(SOURCES_RELATIVE);
        Map<String, SourceFunctions> maps = new HashMap<>();
        java.util.function.Function<String, SourceFunctions> resolve = file -> maps.computeIfAbsent(file, f -> load(f, fallback));

        int mismatches = 0;
        int checkedTargets = 0;
        for (Map.Entry<String, List<Path>> e : byTarget.entrySet()) {
            String target = e.getKey();
            Profile profile = forced != null ? forced : ProfileIsa.nativeProfileOf(target);
            if (profile == null) {
                o.println(target + ": no profile runs natively on this target: " + e.getValue().size()
                        + " object(s) compiled, instructions not checked");
                continue;
            }
            checkedTargets++;
            int kernels = 0;
            int other = 0;
            int targetMismatches = 0;
            for (Path s : e.getValue()) {
                String object = s.getFileName().toString().replaceFirst("\\.s$", ".co");
                Disassembly dis = Disassembly.parse(Files.readString(s, StandardCharsets.UTF_8));
                for (IsaCheck.KernelResult r : IsaCheck.check(target, object, dis, profile, resolve)) {
                    if (!r.checked()) {
                        other++;
                        continue;
                    }
                    kernels++;
                    for (String m : r.mismatches()) {
                        o.println(m);
                        targetMismatches++;
                    }
                }
            }
            o.println(target + " (" + profile.id() + (forced != null ? ", forced" : "") + "): " + e.getValue().size()
                    + " object(s), " + kernels + " kernels checked, " + other + " other functions, " + targetMismatches
                    + " mismatch(es)");
            if (kernels == 0) {
                o.println(target + ": no kernel of an arithmetic policy found");
                targetMismatches++;
            }
            mismatches += targetMismatches;
        }
        if (checkedTargets == 0) {
            o.println("RESULT: FAIL (no code object of a target that a profile runs on natively: "
                    + String.join(", ", byTarget.keySet()) + ")");
            return ExitCodes.FAILED;
        }
        err.flush();
        o.println(mismatches == 0 ? "RESULT: PASS (every kernel has the instructions its profile assumes)"
                : "RESULT: FAIL (" + mismatches + " mismatch(es))");
        return mismatches == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static void collect(Path root, Map<String, List<Path>> byTarget) throws IOException {
        try (Stream<Path> walk = Files.walk(root, 2)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".s") && Files.isRegularFile(p))
                    .filter(p -> p.getParent() != null && p.getParent().getFileName().toString().matches("gfx[0-9a-z]+"))
                    .sorted()
                    .forEach(p -> byTarget.computeIfAbsent(p.getParent().getFileName().toString(), k -> new ArrayList<>()).add(p));
        }
    }

    private static SourceFunctions load(String file, Path fallback) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            p = fallback.resolve(p.getFileName().toString());
        }
        if (!Files.isRegularFile(p)) {
            return null;
        }
        try {
            return SourceFunctions.parse(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path home() {
        String home = System.getProperty(GenHeaderCommand.HOME_PROPERTY);
        return home == null || home.isBlank() ? Path.of("") : Path.of(home);
    }
}
