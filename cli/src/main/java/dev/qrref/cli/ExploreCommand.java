package dev.qrref.cli;

import dev.qrref.cpu.explore.ExplorerCommandLine;
import dev.qrref.spec.QrException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code qr explore}: the protocol explorer ({@link ExplorerCommandLine}), which runs the two-shot protocol's ranks
 * and blocks as state machines across calls and checks every interleaving (or random ones) against the protocol's
 * invariants. Its options are the explorer's own; {@code qr explore --help} lists them.
 */
@Command(name = "explore", description = "Explores interleavings of the two-shot protocol across calls (sizes, codecs, "
        + "grids) and checks the slot, flag, deadlock and termination invariants; prints a minimal counterexample "
        + "schedule on a violation.")
public final class ExploreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (args.contains("--help") || args.contains("-h")) {
            // picocli's usage layout for the first line, then the explorer's own option list
            String own = ExplorerCommandLine.usage();
            spec.commandLine().getOut().print("Usage: qr explore [OPTIONS]\n" + spec.usageMessage().description()[0] + "\n"
                    + own.substring(own.indexOf('\n') + 1));
            return ExitCodes.OK;
        }
        try {
            ExplorerCommandLine.parse(args.toArray(String[]::new));
        } catch (QrException e) {
            // one line, like every other command's usage errors; the option list is one --help away
            throw CliException.usage(e.getMessage() + " (see '" + spec.qualifiedName() + " --help')");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = ExplorerCommandLine.run(o, e, args.toArray(String[]::new));
        }
        spec.commandLine().getOut().print(out.toString(StandardCharsets.UTF_8));
        spec.commandLine().getErr().print(err.toString(StandardCharsets.UTF_8));
        return switch (code) {
            case ExplorerCommandLine.EXIT_OK -> ExitCodes.OK;
            case ExplorerCommandLine.EXIT_USAGE -> ExitCodes.USAGE;
            default -> ExitCodes.FAILED;
        };
    }
}
