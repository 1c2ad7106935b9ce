package dev.qrref.cpu.explore;

import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.QuantLevel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Named configurations: the two historical bugs, the project's design, and the bug matrix used by the docs. */
public final class Scenarios {
    private Scenarios() {
    }

    private static final QuantLevel FP = QuantLevel.F16;

    /**
     * The variable-size race: a 1-tile call (grid 1) followed by a 2-tile call (grid 2) under the pre-fix layout and
     * host colours. Call 2's block 1 phase-1 slots sit exactly on call 1's block-0 phase-2 slots.
     */
    public static ExplorerConfig variableSizeRace() {
        return ExplorerConfig.builder().title("variable-size race (pre-fix layout)")
                .worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(1, FP)).call(CallSpec.tiles(2, FP))
                .layout(LayoutScheme.GRID_OFFSET_PRE_FIX).colours(ColourScheme.HOST_COLOUR)
                .build();
    }

    /** The stale-flag replay: one captured call replayed, its host colour baked in. */
    public static ExplorerConfig graphReplay() {
        return ExplorerConfig.builder().title("CUDA-graph replay with a baked host colour")
                .worldSize(2).maxBlocks(1)
                .call(CallSpec.tiles(1, FP)).call(CallSpec.tiles(1, FP))
                .layout(LayoutScheme.FIXED_REGIONS).colours(ColourScheme.HOST_COLOUR_GRAPH_REPLAY)
                .build();
    }

    /**
     * The project's design on the largest exhaustive bound of the default test level: W=2, 2 blocks, 3 calls whose grids
     * (2, 2, 1), iterations (block 0: 1, 2, 1) and codecs (fp, int4, int8) all change, so slots of different codecs
     * overlap across blocks.
     */
    public static ExplorerConfig project() {
        return ExplorerConfig.builder().title("project design (fixed regions, device counters)")
                .worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(2, FP)).call(CallSpec.tiles(3, QuantLevel.INT4)).call(CallSpec.tiles(1, QuantLevel.INT8))
                .build();
    }

    /** Random schedules of the project's design at W=4: 3 blocks, 4 calls with changing grid, codec and iterations. */
    public static ExplorerConfig projectW4Random() {
        return ExplorerConfig.builder().title("project design, W=4, random")
                .worldSize(4).maxBlocks(3)
                .call(CallSpec.tiles(3, FP)).call(CallSpec.tiles(7, QuantLevel.INT4)).call(CallSpec.tiles(2, QuantLevel.INT8))
                .call(CallSpec.tiles(5, QuantLevel.INT6))
                .mode(SearchMode.RANDOM).seed(4).maxSchedules(300)
                .build();
    }

    /** Random schedules of the project's design at W=8: 2 blocks, 3 calls. */
    public static ExplorerConfig projectW8Random() {
        return ExplorerConfig.builder().title("project design, W=8, random")
                .worldSize(8).maxBlocks(2)
                .call(CallSpec.tiles(2, FP)).call(CallSpec.tiles(5, QuantLevel.INT4)).call(CallSpec.tiles(1, QuantLevel.INT6))
                .mode(SearchMode.RANDOM).seed(8).maxSchedules(150)
                .build();
    }

    /**
     * One call sequence that can show both bugs: two identical 1-tile calls (a replay under the graph scheme), then a
     * 2-tile call (the grid grows). Run under every layout x colour combination for the docs' matrix.
     */
    public static ExplorerConfig matrix(LayoutScheme layout, ColourScheme colours) {
        return ExplorerConfig.builder().title(layout.cliName() + " + " + colours.cliName())
                .worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(1, FP)).call(CallSpec.tiles(1, FP)).call(CallSpec.tiles(2, FP))
                .layout(layout).colours(colours)
                .build();
    }

    /**
     * Every sequence of {@code length} calls drawn from {@code shapes}, in lexicographic order: {@code shapes^length}
     * exhaustive configurations. Used to state a bound over call sequences rather than one sequence.
     */
    public static List<ExplorerConfig> sweep(int worldSize, int maxBlocks, List<CallSpec> shapes, int length,
                                             LayoutScheme layout, ColourScheme colours) {
        List<ExplorerConfig> out = new java.util.ArrayList<>();
        int total = (int) Math.pow(shapes.size(), length);
        for (int code = 0; code < total; code++) {
            ExplorerConfig.Builder b = ExplorerConfig.builder().worldSize(worldSize).maxBlocks(maxBlocks)
                    .layout(layout).colours(colours);
            int c = code;
            CallSpec[] seq = new CallSpec[length];
            for (int i = length - 1; i >= 0; i--) {
                seq[i] = shapes.get(c % shapes.size());
                c /= shapes.size();
            }
            for (CallSpec cs : seq) {
                b.call(cs);
            }
            out.add(b.title("sweep " + List.of(seq)).build());
        }
        return out;
    }

    /** Call shapes of the default sweep: grids 1, 2, 2 (with 2 blocks) and block 0 running 1, 1, 2 iterations. */
    public static List<CallSpec> sweepShapes() {
        return List.of(CallSpec.tiles(1, FP), CallSpec.tiles(2, QuantLevel.INT4), CallSpec.tiles(3, QuantLevel.INT8));
    }

    /** A named group of configurations that together state one bound. */
    public record Bound(String label, List<ExplorerConfig> configs) {
        Bound(String label, ExplorerConfig single) {
            this(label, List.of(single));
        }
    }

    /**
     * The bounds within which the project's design (fixed regions, device counters) is claimed free of violations:
     * what the tests check and the documentation lists. {@code thorough} adds the level-2 bounds.
     */
    public static List<Bound> projectBounds(boolean thorough) {
        LayoutScheme f = LayoutScheme.FIXED_REGIONS;
        ColourScheme d = ColourScheme.DEVICE_COUNTERS;
        List<CallSpec> sh = sweepShapes();
        String shapes = "over " + labels(sh);
        List<Bound> out = new java.util.ArrayList<>();
        out.add(new Bound("W=2, 2 blocks: " + labels(project().calls()), project()));
        out.add(new Bound("W=2, 1 block: every 3-call sequence " + shapes, sweep(2, 1, sh, 3, f, d)));
        out.add(new Bound("W=2, 2 blocks: every 3-call sequence " + shapes, sweep(2, 2, sh, 3, f, d)));
        out.add(new Bound("W=2, 3 blocks: every 3-call sequence " + shapes, sweep(2, 3, sh, 3, f, d)));
        out.add(new Bound("W=2, 2 blocks: every 4-call sequence " + shapes, sweep(2, 2, sh, 4, f, d)));
        out.add(new Bound("W=2, 3 blocks: every 4-call sequence " + shapes, sweep(2, 3, sh, 4, f, d)));
        out.add(new Bound("W=4, 1 block: every 2-call sequence " + shapes, sweep(4, 1, sh, 2, f, d)));
        out.add(new Bound("W=2, 2 blocks, host colours (eager, no graph): every 3-call sequence " + shapes,
                sweep(2, 2, sh, 3, f, ColourScheme.HOST_COLOUR)));
        if (thorough) {
            out.add(new Bound("W=4, 1 block: every 3-call sequence " + shapes, sweep(4, 1, sh, 3, f, d)));
            out.add(new Bound("W=2, 2 blocks: every 5-call sequence " + shapes, sweep(2, 2, sh, 5, f, d)));
            out.add(new Bound("W=2, 3 blocks: every 5-call sequence " + shapes, sweep(2, 3, sh, 5, f, d)));
            out.add(new Bound("W=4, 2 blocks: [2t:fp, 1t:int4]", ExplorerConfig.builder().worldSize(4).maxBlocks(2)
                    .call(CallSpec.tiles(2, FP)).call(CallSpec.tiles(1, QuantLevel.INT4)).maxStates(40_000_000).build()));
        }
        long scale = thorough ? 20 : 1;
        out.add(new Bound("W=4, 3 blocks: " + labels(projectW4Random().calls()), projectW4Random().toBuilder().maxSchedules(projectW4Random().maxSchedules() * scale).build()));
        out.add(new Bound("W=8, 2 blocks: " + labels(projectW8Random().calls()), projectW8Random().toBuilder().maxSchedules(projectW8Random().maxSchedules() * scale).build()));
        return out;
    }

    static String labels(List<CallSpec> calls) {
        return calls.stream().map(CallSpec::label).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    /** Name → configuration, for the command line. */
    public static Map<String, Supplier<ExplorerConfig>> named() {
        Map<String, Supplier<ExplorerConfig>> m = new LinkedHashMap<>();
        m.put("variable-size-race", Scenarios::variableSizeRace);
        m.put("graph-replay", Scenarios::graphReplay);
        m.put("project", Scenarios::project);
        m.put("project-w4", Scenarios::projectW4Random);
        m.put("project-w8", Scenarios::projectW8Random);
        return m;
    }

    public static ExplorerConfig byName(String name) {
        Supplier<ExplorerConfig> s = named().get(name.toLowerCase(java.util.Locale.ROOT));
        if (s == null) {
            throw new InvalidArgumentException("unknown scenario '" + name + "' (expected one of " + String.join(", ", named().keySet()) + ")");
        }
        return s.get();
    }

    static List<ExplorerConfig> matrixConfigs() {
        List<ExplorerConfig> out = new java.util.ArrayList<>();
        for (LayoutScheme l : LayoutScheme.values()) {
            for (ColourScheme c : ColourScheme.values()) {
                out.add(matrix(l, c));
            }
        }
        return out;
    }
}
