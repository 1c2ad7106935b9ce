package dev.qrref.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs {@code qr} in-process like {@link CliRun}, with a given instance of a command registered under its name: the
 * conformance and vectors commands before {@link Qr} lists them, and a command with a substituted backend.
 */
final class Registered {
    private Registered() {
    }

    static CliRun run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Qr.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        String name = new CommandLine(command).getCommandName();
        cl.getCommandSpec().removeSubcommand(name);
        cl.addSubcommand(name, command);
        // streams and options reach only the subcommands present when they are set
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
