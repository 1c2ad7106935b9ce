package dev.qrref.cpu.explore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A schedule that breaks an invariant: the steps in order, the violation committed by the last step (or, for a
 * deadlock or an unclean end, by the state after it), and how minimal the schedule is.
 *
 * @param config     the configuration explored
 * @param steps      the executed actions, in order
 * @param violation  what broke
 * @param minimality e.g. "shortest over all interleavings (breadth-first, no reduction)"
 */
public record Counterexample(ExplorerConfig config, List<Step> steps, Violation violation, String minimality) {

    public Counterexample {
        steps = List.copyOf(steps);
    }

    public int length() {
        return steps.size();
    }

    /** Process choices of the schedule: {@code "r1b0"} per step, to replay or compare schedules. */
    public List<String> schedule() {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            out.add("r" + s.action().rank() + "b" + s.action().block());
        }
        return out;
    }

    /** Numbered trace plus the violation. Calls are numbered from 1; ranks, blocks and iterations from 0. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("Counterexample: ").append(steps.size()).append(" steps, ").append(minimality).append('\n');
        sb.append("  ").append(config.describe()).append('\n');
        sb.append("  (calls numbered from 1; ranks, blocks, iterations from 0; byte offsets inside the receiving rank's buffer)\n");
        int width = String.valueOf(steps.size()).length();
        boolean lastIsCulprit = violation.invariant() != Invariant.NO_DEADLOCK && violation.invariant() != Invariant.EVERY_CALL_ENDS;
        for (Step s : steps) {
            sb.append(String.format("%" + (width + 2) + "d. ", s.index())).append(s.describe());
            if (lastIsCulprit && s.index() == steps.size()) {
                sb.append("   <== VIOLATION");
            }
            sb.append('\n');
        }
        if (!lastIsCulprit) {
            sb.append(" ".repeat(width + 4)).append("(after the last step)\n");
        }
        sb.append(violation.render());
        return sb.toString();
    }

    /** A PlantUML sequence diagram: block programs and rank buffers as participants, one arrow per step. */
    public String toPlantUml() {
        StringBuilder sb = new StringBuilder("@startuml\n");
        sb.append("title ").append(config.title().isEmpty() ? "counterexample" : config.title()).append(": ")
                .append(violation.invariant().id).append(" after ").append(steps.size()).append(" steps\n");
        sb.append("skinparam sequenceMessageAlign left\nautonumber\n");
        Set<String> procs = new LinkedHashSet<>();
        Set<Integer> bufs = new java.util.TreeSet<>();
        for (Step s : steps) {
            procs.add("r" + s.action().rank() + "b" + s.action().block());
            if (s.action().kind() != Action.Kind.UPDATE_COUNTER) {
                bufs.add(s.action().bufferRank());
            }
        }
        List<String> sorted = new ArrayList<>(procs);
        sorted.sort(null);
        for (String p : sorted) {
            sb.append("participant \"rank").append(p.charAt(1)).append(" block").append(p.substring(3)).append("\" as ")
                    .append(p).append('\n');
        }
        for (int b : bufs) {
            sb.append("database \"rank").append(b).append(" buffer\" as M").append(b).append('\n');
        }
        for (Step s : steps) {
            Action a = s.action();
            String p = "r" + a.rank() + "b" + a.block();
            String m = "M" + a.bufferRank();
            if (a.firstOfCall()) {
                sb.append("note over ").append(p).append(" : call").append(a.call() + 1).append(" starts\n");
            }
            String label = s.label() + "\\n" + a.where();
            switch (a.kind()) {
                case WRITE_SLOT, STORE_FLAG -> sb.append(p).append(" -> ").append(m).append(" : ").append(label).append('\n');
                case WAIT_FLAG, READ_SLOT -> sb.append(m).append(" --> ").append(p).append(" : ").append(label).append('\n');
                case UPDATE_COUNTER -> sb.append(p).append(" -> ").append(p).append(" : ").append(label).append('\n');
            }
        }
        String who = steps.isEmpty() ? "M0" : "r" + steps.getLast().action().rank() + "b" + steps.getLast().action().block();
        sb.append("note over ").append(who).append(" #FFAAAA\n").append(violation.invariant().id).append(": ")
                .append(wrap(violation.summary(), 60)).append("\nend note\n");
        sb.append("@enduml\n");
        return sb.toString();
    }

    /** The trace as a Markdown section with a fenced text block. */
    public String toMarkdown() {
        return "```text\n" + render() + "```\n";
    }

    private static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (String w : text.split(" ")) {
            if (col > 0 && col + w.length() > width) {
                out.append('\n');
                col = 0;
            } else if (col > 0) {
                out.append(' ');
                col++;
            }
            out.append(w);
            col += w.length();
        }
        return out.toString();
    }
}
