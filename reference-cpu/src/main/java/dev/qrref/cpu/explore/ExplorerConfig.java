package dev.qrref.cpu.explore;

import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What to explore.
 *
 * @param title           a short name used in reports (may be empty)
 * @param worldSize       W: 2, 4 or 8
 * @param maxBlocks       grid cap; a call runs {@code min(maxBlocks, tiles)} blocks
 * @param calls           the sequence of calls every rank issues, in order
 * @param layout          slot/flag layout
 * @param colours         colour scheme
 * @param mode            exhaustive or random
 * @param seed            random mode: seed of the schedule generator (results are deterministic given the seed)
 * @param maxStates       exhaustive mode: give up (verdict INCOMPLETE) after this many distinct states
 * @param maxSchedules    random mode: number of schedules to run
 * @param maxMillis       wall-clock cap for either mode (0: none); a run cut by time is not reproducible
 * @param invariants      the invariants checked (normally all)
 * @param faults          planted bugs (normally none)
 * @param reduction       exhaustive mode: stubborn-set partial-order reduction (sound for all checked invariants)
 * @param minimize        shrink a counterexample to a shortest schedule (BFS) or, where that is too big, a
 *                        1-minimal one (delta debugging)
 * @param maxProblemBytes FIXED_REGIONS buffer size parameter; 0 = the largest call, rounded up to a whole tile
 */
public record ExplorerConfig(String title, int worldSize, int maxBlocks, List<CallSpec> calls, LayoutScheme layout,
                             ColourScheme colours, SearchMode mode, long seed, long maxStates, long maxSchedules,
                             long maxMillis, Set<Invariant> invariants, Set<Fault> faults, boolean reduction,
                             boolean minimize, long maxProblemBytes) {

    public static final long DEFAULT_MAX_STATES = 5_000_000;
    public static final long DEFAULT_MAX_SCHEDULES = 2_000;

    public ExplorerConfig {
        title = title == null ? "" : title;
        Geometry.checkWorldSize(worldSize);
        if (maxBlocks < 1 || maxBlocks > 64) {
            throw new InvalidArgumentException("max blocks " + maxBlocks + " is out of range for the explorer (1..64)");
        }
        if (calls == null || calls.isEmpty()) {
            throw new InvalidArgumentException("at least one call is needed");
        }
        calls = List.copyOf(calls);
        if (layout == null || colours == null || mode == null) {
            throw new InvalidArgumentException("layout, colour scheme and mode must be set");
        }
        if (maxStates < 1 || maxSchedules < 1 || maxMillis < 0) {
            throw new InvalidArgumentException("budgets must be positive");
        }
        invariants = invariants == null || invariants.isEmpty() ? Set.copyOf(EnumSet.allOf(Invariant.class)) : Set.copyOf(invariants);
        faults = faults == null ? Set.of() : Set.copyOf(faults);
        if (maxProblemBytes < 0 || maxProblemBytes > Geometry.DEFAULT_MAX_PROBLEM_BYTES) {
            throw new InvalidArgumentException("max problem bytes " + maxProblemBytes + " is out of range");
        }
        if (maxProblemBytes > 0) {
            for (CallSpec c : calls) {
                if (2 * c.elements() > maxProblemBytes) {
                    throw new InvalidArgumentException("call " + c + " exceeds the max problem size of " + maxProblemBytes + " bytes");
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.title = title;
        b.worldSize = worldSize;
        b.maxBlocks = maxBlocks;
        b.calls = new ArrayList<>(calls);
        b.layout = layout;
        b.colours = colours;
        b.mode = mode;
        b.seed = seed;
        b.maxStates = maxStates;
        b.maxSchedules = maxSchedules;
        b.maxMillis = maxMillis;
        b.invariants = invariants.isEmpty() ? EnumSet.allOf(Invariant.class) : EnumSet.copyOf(invariants);
        b.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(faults);
        b.reduction = reduction;
        b.minimize = minimize;
        b.maxProblemBytes = maxProblemBytes;
        return b;
    }

    /** Buffer size used for FIXED_REGIONS: explicit, or the largest call rounded up to whole tiles. */
    public long effectiveMaxProblemBytes() {
        if (maxProblemBytes > 0) {
            return maxProblemBytes;
        }
        long maxN = calls.stream().mapToLong(CallSpec::elements).max().orElseThrow();
        return Math.min(Geometry.DEFAULT_MAX_PROBLEM_BYTES, Geometry.numTiles(maxN) * Geometry.TILE_BYTES);
    }

    /** One line: W, blocks, calls with their grids, layout, colours. */
    public String describe() {
        String cs = calls.stream()
                .map(c -> c + " (grid " + c.grid(maxBlocks) + ", " + c.numTiles() + " tile" + (c.numTiles() == 1 ? "" : "s") + ")")
                .collect(Collectors.joining(", "));
        return "W=" + worldSize + ", maxBlocks=" + maxBlocks + ", calls [" + cs + "], layout " + layout.name()
                + ", colours " + colours.name() + (faults.isEmpty() ? "" : ", planted faults " + faults);
    }

    /**
     * The argument list {@link ExplorerCommandLine#parse} turns back into this configuration, except for the title,
     * the time limit and an explicit max problem size.
     */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--world", String.valueOf(worldSize), "--blocks", String.valueOf(maxBlocks)));
        for (CallSpec c : calls) {
            a.add("--call");
            a.add(c.toString());
        }
        a.addAll(List.of("--layout", layout.cliName(), "--colours", colours.cliName(), "--mode", mode.cliName()));
        if (mode == SearchMode.RANDOM) {
            a.addAll(List.of("--seed", String.valueOf(seed), "--schedules", String.valueOf(maxSchedules)));
        }
        if (maxStates != DEFAULT_MAX_STATES) {
            a.addAll(List.of("--max-states", String.valueOf(maxStates)));
        }
        if (invariants.size() < Invariant.values().length) {
            a.addAll(List.of("--check", invariants.stream().sorted().map(i -> i.id.substring(4).toLowerCase(java.util.Locale.ROOT))
                    .collect(Collectors.joining(","))));
        }
        for (Fault f : faults.stream().sorted().toList()) {
            a.addAll(List.of("--fault", f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        if (!reduction) {
            a.add("--no-reduction");
        }
        if (!minimize) {
            a.add("--no-minimize");
        }
        return a;
    }

    public static final class Builder {
        private String title = "";
        private int worldSize = 2;
        private int maxBlocks = 1;
        private List<CallSpec> calls = new ArrayList<>();
        private LayoutScheme layout = LayoutScheme.FIXED_REGIONS;
        private ColourScheme colours = ColourScheme.DEVICE_COUNTERS;
        private SearchMode mode = SearchMode.EXHAUSTIVE;
        private long seed = 1;
        private long maxStates = DEFAULT_MAX_STATES;
        private long maxSchedules = DEFAULT_MAX_SCHEDULES;
        private long maxMillis = 0;
        private Set<Invariant> invariants = EnumSet.allOf(Invariant.class);
        private Set<Fault> faults = EnumSet.noneOf(Fault.class);
        private boolean reduction = true;
        private boolean minimize = true;
        private long maxProblemBytes = 0;

        private Builder() {
        }

        public Builder title(String t) {
            title = t;
            return this;
        }

        public Builder worldSize(int w) {
            worldSize = w;
            return this;
        }

        public Builder maxBlocks(int b) {
            maxBlocks = b;
            return this;
        }

        public Builder call(long elements, dev.qrref.spec.QuantLevel codec) {
            calls.add(new CallSpec(elements, codec));
            return this;
        }

        public Builder call(CallSpec c) {
            calls.add(c);
            return this;
        }

        public Builder calls(List<CallSpec> cs) {
            calls = new ArrayList<>(cs);
            return this;
        }

        public Builder layout(LayoutScheme l) {
            layout = l;
            return this;
        }

        public Builder colours(ColourScheme c) {
            colours = c;
            return this;
        }

        public Builder mode(SearchMode m) {
            mode = m;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public Builder maxStates(long n) {
            maxStates = n;
            return this;
        }

        public Builder maxSchedules(long n) {
            maxSchedules = n;
            return this;
        }

        public Builder maxMillis(long ms) {
            maxMillis = ms;
            return this;
        }

        public Builder invariants(Set<Invariant> inv) {
            invariants = EnumSet.copyOf(inv);
            return this;
        }

        public Builder faults(Set<Fault> f) {
            faults = f.isEmpty() ? EnumSet.noneOf(Fault.class) : EnumSet.copyOf(f);
            return this;
        }

        public Builder fault(Fault f) {
            faults.add(f);
            return this;
        }

        public Builder reduction(boolean on) {
            reduction = on;
            return this;
        }

        public Builder minimize(boolean on) {
            minimize = on;
            return this;
        }

        public Builder maxProblemBytes(long b) {
            maxProblemBytes = b;
            return this;
        }

        public ExplorerConfig build() {
            return new ExplorerConfig(title, worldSize, maxBlocks, calls, layout, colours, mode, seed, maxStates,
                    maxSchedules, maxMillis, invariants, faults, reduction, minimize, maxProblemBytes);
        }
    }
}
