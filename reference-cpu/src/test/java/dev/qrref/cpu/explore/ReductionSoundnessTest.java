package dev.qrref.cpu.explore;

import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The partial-order reduction must not hide anything: on configurations small enough for the full search, the reduced
 * search reaches exactly the same final and deadlocked states, and finds a violation exactly when the full search
 * does (per invariant, so that deadlock-only and read-only checking are covered too).
 */
class ReductionSoundnessTest {

    private static Set<List<Integer>> terminals(ExplorerConfig cfg, boolean reduce) {
        Set<List<Integer>> out = new HashSet<>();
        ExhaustiveSearch.Outcome o = ExhaustiveSearch.search(new Model(cfg), reduce, Integer.MAX_VALUE, 20_000_000, Long.MAX_VALUE,
                s -> out.add(Arrays.stream(s).boxed().toList()));
        assertTrue(o.complete());
        assertNull(o.violation());
        return out;
    }

    private static List<ExplorerConfig> smallConfigs() {
        List<ExplorerConfig> out = new ArrayList<>();
        out.add(ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(2, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.INT4)).build());
        out.add(ExplorerConfig.builder().worldSize(2).maxBlocks(1)
                .call(CallSpec.tiles(2, QuantLevel.INT8)).call(CallSpec.tiles(1, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.F16)).build());
        out.add(ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(3, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.F16)).call(CallSpec.tiles(2, QuantLevel.F16)).build());
        return out;
    }

    @Test
    void reducedSearchReachesTheSameFinalStates() {
        for (ExplorerConfig cfg : smallConfigs()) {
            Set<List<Integer>> full = terminals(cfg, false);
            Set<List<Integer>> reduced = terminals(cfg, true);
            assertEquals(full, reduced, cfg.describe());
        }
    }

    @Test
    void reducedSearchFindsAViolationWhenTheFullSearchDoes() {
        List<ExplorerConfig> buggy = new ArrayList<>();
        for (ExplorerConfig c : Scenarios.matrixConfigs()) {
            buggy.add(c);
        }
        buggy.add(Scenarios.variableSizeRace());
        buggy.add(ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(2, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.INT4))
                .faults(EnumSet.of(Fault.NO_LAUNCH_BARRIER)).build());
        buggy.add(ExplorerConfig.builder().worldSize(2).maxBlocks(1)
                .call(CallSpec.tiles(1, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.F16))
                .faults(EnumSet.of(Fault.SKIP_COUNTER_UPDATE)).build());
        int violations = 0;
        for (ExplorerConfig base : buggy) {
            for (Invariant only : Invariant.values()) {
                ExplorerConfig cfg = base.toBuilder().invariants(EnumSet.of(only)).build();
                Model m = new Model(cfg);
                ExhaustiveSearch.Outcome full = ExhaustiveSearch.search(m, false, Integer.MAX_VALUE, 20_000_000, Long.MAX_VALUE);
                ExhaustiveSearch.Outcome reduced = ExhaustiveSearch.search(m, true, Integer.MAX_VALUE, 20_000_000, Long.MAX_VALUE);
                assertTrue(full.complete() && reduced.complete());
                String what = base.describe() + " checking " + only;
                assertEquals(full.violation() != null, reduced.violation() != null, what);
                if (full.violation() != null) {
                    violations++;
                    assertNotNull(Minimizer.trace(m, reduced.schedule(), "test"), what);
                    assertTrue(reduced.schedule().length >= full.schedule().length, "full BFS is shortest: " + what);
                }
            }
        }
        assertTrue(violations >= 10, "the buggy configurations must actually exercise the comparison");
    }
}
