package dev.qrref.cpu.explore;

import java.util.List;
import java.util.Optional;

/**
 * What an exploration found.
 *
 * @param config         the configuration
 * @param verdict        no violation within the bound, a violation, or an exploration cut short by its budget
 * @param stats          counts and time
 * @param bound          a sentence stating exactly what was explored (and what was not)
 * @param counterexample the (minimised) failing schedule, when the verdict is VIOLATION
 */
public record ExplorerResult(ExplorerConfig config, Verdict verdict, Stats stats, String bound,
                             Optional<Counterexample> counterexample) {

    public enum Verdict {
        /** Every explored schedule kept every checked invariant, and the bound was explored completely. */
        NO_VIOLATION,
        /** Some schedule broke an invariant; see the counterexample. */
        VIOLATION,
        /** The state or time budget ran out before the bound was covered; no violation was seen. */
        INCOMPLETE
    }

    /**
     * @param states             exhaustive: distinct states reached; random: 0
     * @param transitions        actions executed during the search (both modes)
     * @param schedules          exhaustive: complete schedules (maximal paths) of the explored graph, counted in floating
     *                           point; 0 when stopped at a violation; random: schedules run
     * @param actionsPerRun      actions in one complete run (every schedule has this length)
     * @param millis             wall-clock time of the search, minimisation included
     * @param minimizationWork   states (BFS) or replays (delta debugging) spent minimising
     */
    public record Stats(long states, long transitions, double schedules, int actionsPerRun, long millis,
                        long minimizationWork) {
        public String schedulesText() {
            return schedules < 1e15 ? String.format("%,d", (long) schedules) : String.format("%.3e", schedules);
        }
    }

    public boolean violated() {
        return verdict == Verdict.VIOLATION;
    }

    /** One line: verdict, invariant, length, states, time. */
    public String summary() {
        String base = switch (verdict) {
            case NO_VIOLATION -> "no violation";
            case VIOLATION -> "VIOLATION of " + counterexample.orElseThrow().violation().invariant().id + " in "
                    + counterexample.orElseThrow().length() + " steps";
            case INCOMPLETE -> "incomplete (budget exhausted, no violation seen)";
        };
        String work = config.mode() == SearchMode.EXHAUSTIVE
                ? String.format("%,d states, %,d transitions", stats.states(), stats.transitions())
                : String.format("%s schedules, %,d steps", stats.schedulesText(), stats.transitions());
        return base + " — " + work + ", " + stats.millis() + " ms";
    }

    /** Full report: configuration, verdict, bound, statistics, counterexample. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        if (!config.title().isEmpty()) {
            sb.append("== ").append(config.title()).append(" ==\n");
        }
        sb.append("config:   ").append(config.describe()).append('\n');
        sb.append("layout:   ").append(config.layout().description()).append('\n');
        sb.append("colours:  ").append(config.colours().description()).append('\n');
        sb.append("verdict:  ").append(summary()).append('\n');
        sb.append("bound:    ").append(bound).append('\n');
        if (config.mode() == SearchMode.EXHAUSTIVE) {
            String sched = verdict == Verdict.VIOLATION ? "" : ", " + stats.schedulesText() + " complete schedules"
                    + (config.reduction() ? " of the reduced graph" : "");
            sb.append(String.format("stats:    %,d states, %,d transitions%s, %d actions per run, %d ms%n",
                    stats.states(), stats.transitions(), sched, stats.actionsPerRun(), stats.millis()));
        } else {
            sb.append(String.format("stats:    %s schedules, %,d steps, %d actions per run, %d ms%n",
                    stats.schedulesText(), stats.transitions(), stats.actionsPerRun(), stats.millis()));
        }
        sb.append("checked:  ");
        List<Invariant> inv = config.invariants().stream().sorted().toList();
        for (int i = 0; i < inv.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(inv.get(i).id);
        }
        sb.append('\n');
        counterexample.ifPresent(c -> sb.append('\n').append(c.render()));
        return sb.toString();
    }
}
