package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --seed} takes the same forms in every command (decimal or 0x-hex), through one converter. */
class SeedOptionTest {

    @TestFactory
    Stream<DynamicTest> everySeedOptionUsesTheOneConverter() {
        CommandLine root = Qr.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        return root.getSubcommands().entrySet().stream()
                .filter(e -> e.getValue().getCommandSpec().findOption("--seed") != null)
                .map(e -> DynamicTest.dynamicTest("qr " + e.getKey() + " --seed", () -> {
                    OptionSpec o = e.getValue().getCommandSpec().findOption("--seed");
                    assertEquals(1, o.converters().length, e.getKey());
                    assertTrue(o.converters()[0] instanceof Converters.Seed, "qr " + e.getKey() + " --seed uses "
                            + o.converters()[0].getClass().getName());
                }));
    }

    @Test
    void allreduceTakesAHexSeedAsTheSameNumber() {
        CliRun hex = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--random", "64", "--seed", "0x10");
        CliRun dec = CliRun.of("allreduce", "-w", "2", "--codec", "int4", "--random", "64", "--seed", "16");
        assertEquals(0, hex.exitCode(), hex::toString);
        assertEquals(0, dec.exitCode(), dec::toString);
        assertTrue(hex.field("inputs").endsWith("seed 16"), hex::toString);
        assertEquals(dec.field("max abs error"), hex.field("max abs error"));
    }

    @Test
    void exploreTakesAHexSeed() {
        CliRun r = CliRun.of("explore", "--call", "2t", "--mode", "random", "--seed", "0x10", "--schedules", "3");
        assertEquals(0, r.exitCode(), r::toString);
    }

    @Test
    void aBadSeedIsOneUsageLineNamingTheValue() {
        for (String[] args : new String[][]{{"allreduce", "-w", "2", "--codec", "fp", "--random", "16", "--seed", "0xZZ"},
            {"conformance", "--seed", "xyz"}, {"launch", "--nproc", "2", "--codec", "fp", "--random", "16", "--seed", "1.5"},
            {"explain", "--codec", "int4", "--seed", "0x"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertTrue(r.message().contains("is not a seed: expected a decimal or 0x-hex 64-bit number"), r.message());
        }
    }
}
