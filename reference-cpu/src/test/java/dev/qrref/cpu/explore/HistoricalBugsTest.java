package dev.qrref.cpu.explore;

import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The explorer must find both upstream protocol bugs, each with a shortest counterexample. */
class HistoricalBugsTest {

    /** Upper bound on the length of a schedule that is claimed shortest: no violation exists at any shorter depth. */
    private static void assertNoShorterViolation(ExplorerConfig cfg, int length) {
        ExhaustiveSearch.Outcome o = ExhaustiveSearch.search(new Model(cfg), false, length - 1, 10_000_000, Long.MAX_VALUE);
        assertNull(o.violation(), "a violation shorter than " + length + " steps exists");
    }

    @Test
    void variableSizeRaceIsFoundWithAShortestSchedule() {
        ExplorerResult r = Explorer.run(Scenarios.variableSizeRace());
        assertEquals(ExplorerResult.Verdict.VIOLATION, r.verdict());
        Counterexample c = r.counterexample().orElseThrow();
        assertEquals(Invariant.NO_OVERWRITE_BEFORE_READ, c.violation().invariant());
        assertEquals(29, c.length());
        assertTrue(c.minimality().startsWith("shortest over all interleavings"), c.minimality());
        assertNoShorterViolation(Scenarios.variableSizeRace(), c.length());

        // The culprit: call 2's phase-1 write lands on call 1's phase-2 slot of the same receiver.
        Action last = c.steps().getLast().action();
        assertEquals(Action.Kind.WRITE_SLOT, last.kind());
        assertEquals(1, last.call());
        assertEquals(1, last.phase());
        assertEquals(1, last.block(), "only the block that call 1 did not run can land on call 1's phase-2 region");
        assertTrue(c.violation().summary().contains("P2 slot[block0]") && c.violation().summary().contains("of call1"),
                c.violation().summary());
        // pre-fix offsets: P1 of block 1 = P2 of block 0 when call 1 had grid 1 (same codec): bytes [32800, 49184)
        assertEquals(2L * 2 * 2 * 4 + 32768, last.offset());
        assertTrue(c.render().contains("<== VIOLATION"));
    }

    @Test
    void variableSizeRaceHangsWhenOnlyDeadlockIsChecked() {
        ExplorerConfig cfg = Scenarios.variableSizeRace().toBuilder().invariants(EnumSet.of(Invariant.NO_DEADLOCK)).build();
        ExplorerResult r = Explorer.run(cfg);
        Counterexample c = r.counterexample().orElseThrow();
        assertEquals(Invariant.NO_DEADLOCK, c.violation().invariant());
        // The waiting rank holds the next call's colour in the phase-2 flag word it still waits on.
        String details = String.join("\n", c.violation().details());
        assertTrue(details.matches("(?s).*call1 it0: waits P2 flag\\[block0\\]\\[sender\\d\\] == 1 .*holds 16385 \\(stored by call2 it0 P1.*"),
                details);
    }

    @Test
    void variableSizeRaceCorruptsDataWhenOnlyReadsAreChecked() {
        ExplorerConfig cfg = Scenarios.variableSizeRace().toBuilder().invariants(EnumSet.of(Invariant.READ_SEES_OWN_WRITE)).build();
        Counterexample c = Explorer.run(cfg).counterexample().orElseThrow();
        assertEquals(Invariant.READ_SEES_OWN_WRITE, c.violation().invariant());
        assertTrue(c.violation().summary().contains("reads P2 slot[block0]") && c.violation().summary().contains("sees call2 it0 P1"),
                c.violation().summary());
    }

    @Test
    void preFixLayoutAlsoBreaksOnACodecChangeWithTheSameGridGrowth() {
        // INT4 call with grid 1, then FP with grid 2: FP block 0's phase-1 slot covers INT4's phase-2 slot.
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(1, QuantLevel.INT4)).call(CallSpec.tiles(2, QuantLevel.F16))
                .layout(LayoutScheme.GRID_OFFSET_PRE_FIX).colours(ColourScheme.HOST_COLOUR).build();
        Counterexample c = Explorer.run(cfg).counterexample().orElseThrow();
        assertEquals(Invariant.NO_OVERWRITE_BEFORE_READ, c.violation().invariant());
        assertEquals(0, c.steps().getLast().action().block(), "the larger FP slot of block 0 reaches the INT4 phase-2 slot");
    }

    @Test
    void fixedRegionsSurviveTheSameCallSequences() {
        for (ExplorerConfig race : List.of(Scenarios.variableSizeRace(),
                Scenarios.variableSizeRace().toBuilder().calls(List.of(CallSpec.tiles(1, QuantLevel.INT4), CallSpec.tiles(2, QuantLevel.F16))).build())) {
            for (ColourScheme colours : List.of(ColourScheme.HOST_COLOUR, ColourScheme.DEVICE_COUNTERS)) {
                ExplorerResult r = Explorer.run(race.toBuilder().layout(LayoutScheme.FIXED_REGIONS).colours(colours).build());
                assertEquals(ExplorerResult.Verdict.NO_VIOLATION, r.verdict(), r.render());
            }
        }
    }

    @Test
    void graphReplayStaleFlagIsFoundWithAShortestSchedule() {
        ExplorerResult r = Explorer.run(Scenarios.graphReplay());
        Counterexample c = r.counterexample().orElseThrow();
        assertEquals(Invariant.NO_STALE_FLAG, c.violation().invariant());
        assertEquals(33, c.length());
        assertTrue(c.minimality().startsWith("shortest over all interleavings"), c.minimality());
        assertNoShorterViolation(Scenarios.graphReplay(), c.length());
        Action last = c.steps().getLast().action();
        assertEquals(Action.Kind.WAIT_FLAG, last.kind());
        assertEquals(1, last.call());
        assertTrue(c.violation().summary().contains("(an earlier call)"), c.violation().summary());
        // Both calls used the same baked colour.
        assertEquals(c.steps().getFirst().action().call(), 0);
        assertTrue(c.steps().stream().filter(s -> s.action().kind() == Action.Kind.STORE_FLAG).allMatch(s -> s.colour() == 1));
    }

    @Test
    void interleavedGraphsLeaveStaleFlagsOnlyInBlocksTheMiddleCallDidNotRun() {
        // Graph A (2 tiles, grid 2), graph B (1 tile, grid 1), graph A again with A's baked colour: block 1 did not run in
        // B, so its flags still hold A's colour from the first replay.
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(2, QuantLevel.INT4)).call(CallSpec.tiles(1, QuantLevel.F16)).call(CallSpec.tiles(2, QuantLevel.INT4))
                .colours(ColourScheme.HOST_COLOUR_GRAPH_REPLAY).build();
        Counterexample c = Explorer.run(cfg).counterexample().orElseThrow();
        assertEquals(Invariant.NO_STALE_FLAG, c.violation().invariant());
        assertEquals(1, c.steps().getLast().action().block());
        assertEquals(2, c.steps().getLast().action().call());
        // If B runs both blocks (3 tiles, grid 2), it overwrites every flag with its own colours: nothing stale remains.
        ExplorerResult safe = Explorer.run(cfg.toBuilder()
                .calls(List.of(CallSpec.tiles(2, QuantLevel.INT4), CallSpec.tiles(3, QuantLevel.F16), CallSpec.tiles(2, QuantLevel.INT4))).build());
        assertEquals(ExplorerResult.Verdict.NO_VIOLATION, safe.verdict(), safe.render());
    }

    @Test
    void graphReplayIsFoundAtLargerWorldSizesByRandomSchedules() {
        for (int w : List.of(4, 8)) {
            ExplorerConfig cfg = ExplorerConfig.builder().worldSize(w).maxBlocks(2)
                    .call(CallSpec.tiles(2, QuantLevel.INT4)).call(CallSpec.tiles(2, QuantLevel.INT4))
                    .colours(ColourScheme.HOST_COLOUR_GRAPH_REPLAY).mode(SearchMode.RANDOM).seed(11).maxSchedules(50).build();
            ExplorerResult r = Explorer.run(cfg);
            assertEquals(ExplorerResult.Verdict.VIOLATION, r.verdict(), "W=" + w);
            assertEquals(Invariant.NO_STALE_FLAG, r.counterexample().orElseThrow().violation().invariant());
        }
    }

    @Test
    void variableSizeRaceIsFoundAtW4ByRandomSchedules() {
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(4).maxBlocks(3)
                .call(CallSpec.tiles(1, QuantLevel.INT6)).call(CallSpec.tiles(3, QuantLevel.INT6))
                .layout(LayoutScheme.GRID_OFFSET_PRE_FIX).colours(ColourScheme.HOST_COLOUR)
                .mode(SearchMode.RANDOM).seed(3).maxSchedules(200).build();
        ExplorerResult r = Explorer.run(cfg);
        assertEquals(ExplorerResult.Verdict.VIOLATION, r.verdict(), r.render());
        Counterexample c = r.counterexample().orElseThrow();
        // A random counterexample is at least shrunk to its causal past and 1-minimal.
        assertTrue(c.minimality().startsWith("1-minimal") || c.minimality().startsWith("shortest"), c.minimality());
        assertTrue(c.length() < new Model(cfg).totalActions(), "shrunk below one complete run");
    }

    @Test
    void explorationIsDeterministic() {
        String a = Explorer.run(Scenarios.variableSizeRace()).counterexample().orElseThrow().render();
        String b = Explorer.run(Scenarios.variableSizeRace()).counterexample().orElseThrow().render();
        assertEquals(a, b);
        ExplorerConfig rnd = Scenarios.variableSizeRace().toBuilder().mode(SearchMode.RANDOM).seed(5).maxSchedules(100).build();
        assertEquals(Explorer.run(rnd).counterexample().orElseThrow().render(), Explorer.run(rnd).counterexample().orElseThrow().render());
    }
}
