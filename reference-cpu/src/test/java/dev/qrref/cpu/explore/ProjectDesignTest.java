package dev.qrref.cpu.explore;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The project's design (fixed regions, device counters) keeps every invariant within the bounds of
 * {@link Scenarios#projectBounds}: exhaustive sweeps over call sequences at W=2 (1–3 blocks, 3–4 calls) and W=4
 * (1 block, 2 calls), and seeded random schedules at W=4 and W=8; level 2 adds W=4 with 3 calls or 2 blocks, 5-call
 * sweeps at W=2 (2 and 3 blocks), and 20 times the random schedules.
 */
class ProjectDesignTest {

    private static void assertClean(ExplorerConfig cfg) {
        ExplorerResult r = Explorer.run(cfg);
        assertEquals(ExplorerResult.Verdict.NO_VIOLATION, r.verdict(), r.render());
        if (cfg.mode() == SearchMode.EXHAUSTIVE) {
            assertTrue(r.bound().contains("explored completely"), r.bound());
        }
    }

    @Test
    void projectScenarioExhaustiveIsDeterministic() {
        ExplorerResult a = Explorer.run(Scenarios.project());
        ExplorerResult b = Explorer.run(Scenarios.project());
        assertEquals(ExplorerResult.Verdict.NO_VIOLATION, a.verdict(), a.render());
        assertEquals(a.stats().states(), b.stats().states());
        assertEquals(a.stats().transitions(), b.stats().transitions());
        assertEquals(a.bound(), b.bound());
    }

    /** Every bound the documentation claims (level 1), or the thorough set (level 2). */
    @TestFactory
    List<DynamicTest> documentedBounds() {
        List<DynamicTest> out = new ArrayList<>();
        for (Scenarios.Bound b : Scenarios.projectBounds(Levels.thorough())) {
            out.add(DynamicTest.dynamicTest(b.label(), () -> b.configs().forEach(ProjectDesignTest::assertClean)));
        }
        return out;
    }

    @Test
    void matrixSequence() {
        assertClean(Scenarios.matrix(LayoutScheme.FIXED_REGIONS, ColourScheme.DEVICE_COUNTERS));
        assertClean(Scenarios.matrix(LayoutScheme.FIXED_REGIONS, ColourScheme.HOST_COLOUR));
    }
}
