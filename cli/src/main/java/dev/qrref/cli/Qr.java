package dev.qrref.cli;

import dev.qrref.cpu.io.NpyFormatException;
import dev.qrref.spec.QrException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code qr} command line. Each command is one class in this package; to add one, write a picocli
 * {@code @Command} class (a {@code Callable<Integer>} that returns an {@link ExitCodes} value, throws
 * {@link CliException} for errors the user can fix, and prints results to {@code spec.commandLine().getOut()} and
 * progress to {@code getErr()}) and list it in {@link #COMMANDS} below. Error printing and exit codes are handled
 * here, once, for every command.
 */
@Command(name = "qr", mixinStandardHelpOptions = true, versionProvider = Qr.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "QuickReduce reference implementation: the bit-exact CPU model and the GPU backend of the "
                + "quantized two-shot all-reduce.",
        footer = {"Commands of the ./qr script in a source checkout:",
            "  test [ARGS]         Builds and runs the whole test suite (./mvnw verify ARGS).",
            "  build [ARGS]        Rebuilds the command line now (otherwise done when sources",
            "                        changed).",
            "  jmh [ARGS]          Runs the JMH benchmarks of the CPU model (JMH's arguments).",
            "  docs                Builds the documentation site into docs/target/site.",
            "", "Exit codes: 0 success, 1 the run failed or a check did not hold, 2 bad usage or bad input, "
                + "3 backend unavailable.", "Run 'qr COMMAND --help' for the options of a command."})
public final class Qr implements Runnable {
    /** Characters per line of every help text; examples in footers must fit it whole (HelpTest). */
    static final int USAGE_WIDTH = 80;

    /**
     * The commands, in the order help lists them. Listed here rather than in the annotation so that a run of one command
     * builds only that command's model: picocli reads every option of every command by reflection, about 0.15 s in a
     * fresh JVM, a sixth of the README's main job.
     */
    static final List<Class<?>> COMMANDS = List.of(
            AllreduceCommand.class,
            ExplainCommand.class,
            GenHeaderCommand.class,
            ExploreCommand.class,
            LaunchCommand.class,
            ConformanceCommand.class,
            VectorsCommand.class,
            CapturePrimitivesCommand.class,
            BenchCommand.class,
            AuditCommand.class,
            IsaCheckCommand.class,
            NpyCommand.class,
            HelpCommand.class);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (one of "
                + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    public static void main(String[] args) {
        watchWrapper(System.getenv(WRAPPER_PID_ENV));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Set by the ./qr script to its own pid: the script runs Java as a child (to filter stderr). */
    static final String WRAPPER_PID_ENV = "QR_WRAPPER_PID";

    /**
     * The ./qr script forwards TERM, INT and HUP, but a SIGKILL of the script cannot be forwarded: without this watch
     * the JVM would run on as an orphan (a launched rank group with it, and a caller's stderr pipe held open). When the
     * script that started this JVM is gone, the JVM exits as on SIGTERM: the shutdown hooks delete temporary files and
     * stop ranks. Only the direct child of the script watches it (a rank started by {@code qr launch} inherits the
     * variable but has another parent).
     */
    static void watchWrapper(String wrapperPid) {
        if (wrapperPid == null || !wrapperPid.matches("\\d{1,18}")) {
            return;
        }
        long pid = Long.parseLong(wrapperPid);
        if (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != pid) {
            return;
        }
        Thread.ofPlatform().daemon().name("qr-wrapper-watch").start(() -> {
            while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == pid) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("qr: the ./qr script that started this process was killed; stopping");
            System.exit(128 + 15); // as a SIGTERM would end it
        });
    }

    /** Runs one command line in-process: results go to {@code out}, progress and errors to {@code err}. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(out, err, args.length > 0 ? args[0] : null);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("qr: " + outOfMemory(e));
            return ExitCodes.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The message for an {@link OutOfMemoryError} that got past the commands' up-front estimates: only a full Java heap
     * is helped by -Xmx; the inputs, outputs and buffers live off-heap, where the machine's memory is the limit.
     */
    static String outOfMemory(OutOfMemoryError e) {
        String what = e.getMessage() == null ? "" : e.getMessage();
        if (what.contains("Java heap space") || what.contains("GC overhead")) {
            return "out of memory in the Java heap (" + what + "): raise it with QR_JAVA_OPTS=-Xmx..., e.g. QR_JAVA_OPTS=-Xmx4g";
        }
        return "out of memory (" + what + "): the data lives outside the Java heap, so -Xmx does not help; use a smaller "
                + "problem or fewer ranks, or free memory";
    }

    /** The command line with every command. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /**
     * The command line for a run whose first argument is {@code first}: only that command when it names one exactly
     * (nothing else can be run then), else every command, so that help, usage errors and suggestions see them all.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String first) {
        CommandLine cl = new CommandLine(new Qr());
        Class<?> only = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)
                && c != HelpCommand.class).findFirst().orElse(null);
        for (Class<?> c : COMMANDS) {
            if (only == null || c == only) {
                cl.addSubcommand(c);
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            String name = c.getCommandSpec().qualifiedName();
            if (c == cl && ex instanceof UnmatchedArgumentException u && args.length > 0 && !args[0].startsWith("-")
                    && !u.getUnmatched().isEmpty() && u.getUnmatched().getFirst().equals(args[0])) {
                // the first word is not one of ours: say so, rather than picocli's "Unmatched argument at index 0"
                c.getErr().println(name + ": unknown command '" + args[0] + "' (expected one of "
                        + String.join(", ", c.getSubcommands().keySet()) + "; see '" + name + " --help')");
                return ExitCodes.USAGE;
            }
            c.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            String name = c.getCommandSpec().qualifiedName();
            PrintWriter e = c.getErr();
            return switch (ex) {
                case CliException ce -> {
                    e.println(name + ": " + oneLine(ce.getMessage()));
                    yield ce.exitCode();
                }
                case QrException qe -> {
                    e.println(name + ": " + ExitCodes.describe(qe.status()) + ": " + oneLine(qe.getMessage()));
                    yield ExitCodes.of(qe);
                }
                case NpyFormatException ne -> {
                    e.println(name + ": " + oneLine(ne.getMessage()));
                    yield ExitCodes.USAGE;
                }
                case IOException io -> {
                    e.println(name + ": I/O error: " + oneLine(IoErrors.reason(io)));
                    yield ExitCodes.FAILED;
                }
                default -> {
                    e.println(name + ": internal error: " + oneLine(String.valueOf(ex)) + (debug() ? "" : " (set QR_DEBUG=1 for the stack trace)"));
                    if (debug()) {
                        ex.printStackTrace(e);
                    }
                    yield ExitCodes.FAILED;
                }
            };
        });
        return cl;
    }

    /**
     * An error message as one printable line: control characters (a newline or NUL from a file name or a file's header)
     * are written as Python writes them in a string, {@code \\n}, {@code \\t}, {@code \\x00}.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        b.append(c <= 0xFF ? String.format("\\x%02x", c) : String.format("\\u%04x", c));
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        });
        return b.toString();
    }

    private static boolean debug() {
        String v = System.getenv("QR_DEBUG");
        return v != null && !v.isBlank() && !v.equals("0");
    }

    /** The version from the jar manifest (set by the build), or "development build" when run from classes. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Qr.class.getPackage().getImplementationVersion();
            return new String[]{"qr " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}
