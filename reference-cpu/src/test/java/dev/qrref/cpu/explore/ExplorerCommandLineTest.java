package dev.qrref.cpu.explore;

import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplorerCommandLineTest {

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ExplorerCommandLine.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesEveryOption() {
        ExplorerConfig c = ExplorerCommandLine.parse("--world", "4", "--blocks=3", "--call", "1t:int4", "--call", "40000:int8",
                "--layout", "pre-fix", "--colours", "graph-replay", "--mode", "random", "--seed", "9", "--schedules", "12",
                "--time-limit", "5000", "--check", "flag,deadlock", "--fault", "no-launch-barrier", "--no-reduction").config();
        assertEquals(4, c.worldSize());
        assertEquals(3, c.maxBlocks());
        assertEquals(List.of(new CallSpec(16384, QuantLevel.INT4), new CallSpec(40000, QuantLevel.INT8)), c.calls());
        assertEquals(LayoutScheme.GRID_OFFSET_PRE_FIX, c.layout());
        assertEquals(ColourScheme.HOST_COLOUR_GRAPH_REPLAY, c.colours());
        assertEquals(SearchMode.RANDOM, c.mode());
        assertEquals(9, c.seed());
        assertEquals(12, c.maxSchedules());
        assertEquals(5000, c.maxMillis());
        assertEquals(Set.of(Invariant.NO_STALE_FLAG, Invariant.NO_DEADLOCK), c.invariants());
        assertEquals(Set.of(Fault.NO_LAUNCH_BARRIER), c.faults());
        assertTrue(!c.reduction());
    }

    @Test
    void scenarioArgumentsRoundTrip() {
        for (String name : Scenarios.named().keySet()) {
            ExplorerConfig s = Scenarios.byName(name);
            ExplorerConfig back = ExplorerCommandLine.parse(s.toArgs().toArray(String[]::new)).config();
            assertEquals(s.toBuilder().title("").build(), back, name);
        }
        ExplorerConfig over = ExplorerCommandLine.parse("--scenario", "variable-size-race", "--layout", "fixed").config();
        assertEquals(LayoutScheme.FIXED_REGIONS, over.layout());
        assertEquals(2, over.calls().size());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThrows(InvalidArgumentException.class, () -> ExplorerCommandLine.parse("--world", "3", "--call", "1t"));
        assertThrows(InvalidArgumentException.class, () -> ExplorerCommandLine.parse("--world", "2"));
        assertThrows(InvalidArgumentException.class, () -> ExplorerCommandLine.parse("--call", "12:int9"));
        assertThrows(InvalidArgumentException.class, () -> ExplorerCommandLine.parse("--call", "12"));
        assertThrows(InvalidArgumentException.class, () -> ExplorerCommandLine.parse("--call", "1t", "--frobnicate", "1"));
        Run r = run("--world");
        assertEquals(ExplorerCommandLine.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("usage: qr explore"));
        assertEquals(ExplorerCommandLine.EXIT_OK, run("--help").status());
    }

    @Test
    void exitStatusAndRenderings() {
        Run bad = run("--scenario", "graph-replay", "--plantuml");
        assertEquals(ExplorerCommandLine.EXIT_VIOLATION, bad.status());
        assertTrue(bad.out().contains("INV-FLAG violated"));
        assertTrue(bad.out().contains("\n   1. rank"), bad.out());
        assertTrue(bad.out().contains("@startuml") && bad.out().contains("@enduml"));
        Run ok = run("--world", "2", "--blocks", "2", "--calls", "2t,1t:int4");
        assertEquals(ExplorerCommandLine.EXIT_OK, ok.status());
        assertTrue(ok.out().contains("explored completely"), ok.out());
        Run cut = run("--world", "2", "--blocks", "2", "--calls", "2t,1t:int4", "--max-states", "100");
        assertEquals(ExplorerCommandLine.EXIT_INCOMPLETE, cut.status());
    }

    @Test
    void plantUmlHasOneArrowPerStep() {
        Counterexample c = Explorer.run(Scenarios.variableSizeRace()).counterexample().orElseThrow();
        String uml = c.toPlantUml();
        long arrows = uml.lines().filter(l -> l.matches("^(r\\d+b\\d+|M\\d+) --?> (r\\d+b\\d+|M\\d+) : .*")).count();
        assertEquals(c.length(), arrows, uml);
        assertTrue(uml.contains("autonumber"));
        assertTrue(uml.contains("#FFAAAA"));
    }

    @Test
    void docsReportRenders() {
        String md = ExplorerReport.markdown(Scenarios.projectBounds(false).subList(0, 2));
        assertTrue(md.contains("## Layout x colour matrix"));
        assertTrue(md.contains("Counterexample: 29 steps"));
        assertTrue(md.contains("Counterexample: 33 steps"));
        assertTrue(md.contains("```plantuml"));
        assertTrue(md.contains("| `fixed` | `device` | none |"), md);
        assertTrue(md.contains("| W=2, 1 block: every 3-call sequence over [1t:fp, 2t:int4, 3t:int8] | exhaustive | none | 27 configurations"), md);
    }
}
