package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/** Every command, including ones added later, answers --help with its usage and exit code 0. */
class HelpTest {

    @TestFactory
    Stream<DynamicTest> everyCommandHasHelp() {
        CommandLine root = Qr.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> names = new ArrayList<>(root.getSubcommands().keySet());
        names.remove("help");
        names.add(0, "");
        return names.stream().map(name -> DynamicTest.dynamicTest("qr " + name + " --help", () -> {
            CliRun r = name.isEmpty() ? CliRun.of("--help") : CliRun.of(name, "--help");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.out().startsWith("Usage: qr" + (name.isEmpty() ? "" : " " + name)), r::toString);
            assertEquals("", r.err());
        }));
    }

    /** Picocli reports a description it cannot format (a bare '%') on System.err, not through the command's writers. */
    @Test
    void everyUsageFormatsWithoutPicocliWarnings() {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine root = Qr.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            root.getUsageMessage();
            for (CommandLine sub : root.getSubcommands().values()) {
                sub.getUsageMessage();
            }
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(warnings.contains("picocli WARN"), warnings);
    }

    @Test
    void helpListsTheCommands() {
        CliRun r = CliRun.of("--help");
        for (String c : List.of("allreduce", "explain", "gen-header")) {
            assertTrue(r.out().contains("  " + c + " "), c);
        }
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.of();
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.message().startsWith("qr: missing command (one of allreduce, explain, gen-header"), r.message());
    }

    @Test
    void unknownCommandIsNamedWithTheList() {
        CliRun r = CliRun.of("frobnicate", "--x");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.message().startsWith("qr: unknown command 'frobnicate' (expected one of allreduce, explain, "), r.message());
        assertFalse(r.message().contains("Unmatched"), r.message());
    }

    /** The commands of the ./qr script itself (test, build, jmh, ...) are listed too: they are read from the script. */
    @Test
    void helpListsTheLauncherCommands() throws IOException {
        Path script = Path.of("..", "qr");
        assumeTrue(Files.isRegularFile(script), "the ./qr script is not beside this module");
        List<String> own = new ArrayList<>();
        boolean inCase = false;
        for (String line : Files.readAllLines(script)) {
            if (line.startsWith("case \"${1:-}\" in")) {
                inCase = true;
            } else if (inCase && line.equals("esac")) {
                break;
            } else if (inCase && line.matches("    [a-z-]+\\)")) {
                own.add(line.strip().replace(")", ""));
            }
        }
        assertTrue(own.containsAll(List.of("test", "build", "jmh")), own::toString);
        String help = CliRun.of("--help").out();
        for (String c : own) {
            assertTrue(help.contains("  " + c + " "), "qr --help does not list the launcher's command '" + c + "':\n" + help);
        }
    }

    /** Examples in help footers are printed whole: a command wrapped inside a file name cannot be pasted. */
    @TestFactory
    Stream<DynamicTest> helpExamplesAreNotWrapped() {
        CommandLine root = Qr.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return root.getSubcommands().entrySet().stream().filter(e -> !e.getKey().equals("help"))
                .map(e -> DynamicTest.dynamicTest("qr " + e.getKey() + " --help", () -> {
                    List<String> shown = CliRun.of(e.getKey(), "--help").out().lines().toList();
                    for (String f : e.getValue().getCommandSpec().usageMessage().footer()) {
                        for (String line : f.split("%n|\n")) {
                            if (line.stripLeading().startsWith("qr ")) {
                                assertTrue(shown.contains(line), "example wrapped or missing in qr " + e.getKey()
                                        + " --help: <" + line + ">\n" + String.join("\n", shown));
                                assertTrue(line.length() <= Qr.USAGE_WIDTH, "example longer than the help width: " + line);
                            }
                        }
                    }
                }));
    }

    @Test
    void exploreHelpDoesNotSendTheReaderBackToItself() {
        CliRun r = CliRun.of("explore", "--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertFalse(r.out().contains("see 'qr explore --help'"), r.out());
        assertTrue(r.out().contains("--scenario"), r.out());
    }

    @Test
    void exploreUsageErrorIsOneLine() {
        CliRun r = CliRun.of("explore", "--world", "3", "--call", "2t");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr explore: "), r.message());
        assertTrue(r.message().endsWith("(see 'qr explore --help')"), r.message());
        CliRun u = CliRun.of("explore", "--bogus", "1");
        assertEquals(ExitCodes.USAGE, u.exitCode(), u::toString);
        assertTrue(u.message().contains("unknown option --bogus"), u.message());
    }

    @Test
    void versionAndHelpCommand() {
        assertTrue(CliRun.of("--version").out().startsWith("qr "));
        CliRun h = CliRun.of("help", "allreduce");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().contains("--world-size"));
    }
}
