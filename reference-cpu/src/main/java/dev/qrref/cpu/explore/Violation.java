package dev.qrref.cpu.explore;

import java.util.List;

/**
 * A broken invariant.
 *
 * @param invariant which one
 * @param summary   one sentence naming the actors, the slot or flag, and what was seen
 * @param details   further lines (byte ranges, the content found, blocked blocks for a deadlock)
 */
public record Violation(Invariant invariant, String summary, List<String> details) {
    public Violation {
        details = List.copyOf(details);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(invariant.id).append(" violated: ").append(summary).append('\n');
        for (String d : details) {
            sb.append("    ").append(d).append('\n');
        }
        return sb.toString();
    }
}
