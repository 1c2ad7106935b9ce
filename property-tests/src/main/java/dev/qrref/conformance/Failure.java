package dev.qrref.conformance;

import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One failed check, printed as one self-contained line (then the count of wrong elements):
 * <pre>
 * rule=GRP-3 property=outputs case=w4.int4… rank=2 tile=5 atom=1 group=7 lane=odd element=… in=[0x3C01,…] got=0x3C00 want=0x3C02 seed=0x… repro: ./qr conformance --backend gpu --case w4.int4… --isolate 90231
 * </pre>
 *
 * @param rule      the rule the check stands for
 * @param property  the property's name
 * @param caseId    the case id, or "-" for non-case properties
 * @param rank      the rank, or -1
 * @param element   the element index, or -1
 * @param inputs    the inputs of every rank at that element
 * @param got       observed bits, or -1
 * @param want      expected bits, or -1
 * @param wrong     number of wrong elements (or bytes) in total
 * @param detail    free text for non-element failures, or extra context
 * @param repro     the command that reruns the case
 * @param seed      the case seed
 */
public record Failure(Rule rule, String property, String caseId, int rank, long element, int[] inputs, int got, int want,
                      long wrong, String detail, String repro, long seed) {

    public static Failure message(Rule rule, String property, String caseId, String detail, String repro) {
        return new Failure(rule, property, caseId, -1, -1, null, -1, -1, 1, detail, repro, 0);
    }

    /** The same failure with another repro command. */
    public Failure withRepro(String newRepro) {
        return new Failure(rule, property, caseId, rank, element, inputs, got, want, wrong, detail, newRepro, seed);
    }

    /** The one-line report. */
    public String line() {
        StringBuilder s = new StringBuilder();
        s.append("rule=").append(rule.id).append(" property=").append(property).append(" case=").append(caseId);
        if (element >= 0) {
            Geometry.Coordinates c = Geometry.coordinates(element);
            s.append(" rank=").append(rank).append(" tile=").append(c.tile()).append(" atom=").append(c.atom())
                    .append(" group=").append(c.group()).append(" lane=").append(c.odd() ? "odd" : "even")
                    .append(" thread=").append(c.thread()).append(" element=").append(element);
            if (inputs != null) {
                s.append(" in=[").append(List.of(box(inputs)).stream().map(Format16::hex).collect(Collectors.joining(","))).append(']');
            }
            s.append(" got=").append(Format16.hex(got)).append(" want=").append(Format16.hex(want));
        }
        if (detail != null && !detail.isEmpty()) {
            s.append(" ").append(detail);
        }
        if (seed != 0) {
            s.append(" seed=").append(Seeds.hex(seed));
        }
        if (repro != null) {
            s.append(" repro: ").append(repro);
        }
        return s.toString();
    }

    /** The line after it: how much was wrong. */
    public String countLine() {
        return "  " + wrong + (element >= 0 ? " wrong element(s)" : " problem(s)") + (seed != 0 ? ", seed " + Seeds.hex(seed) : "");
    }

    private static Integer[] box(int[] a) {
        Integer[] b = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
