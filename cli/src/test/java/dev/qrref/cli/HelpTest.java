package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
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
    void unknownCommand() {
        CliRun r = CliRun.of("frobnicate");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.message().contains("Unmatched argument at index 0: 'frobnicate'"), r.message());
    }

    @Test
    void versionAndHelpCommand() {
        assertTrue(CliRun.of("--version").out().startsWith("qr "));
        CliRun h = CliRun.of("help", "allreduce");
        assertEquals(0, h.exitCode());
        assertTrue(h.out().contains("--world-size"));
    }
}
