package dev.qrref.cli.audit;

import dev.qrref.spec.Geometry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One group a hazard touched, with what makes it bad, located in the launch geometry.
 *
 * @param hazard   the hazard
 * @param phase    1 (a rank's own encode) or 2 (the reduction and the re-encode of the sum)
 * @param rank     the rank whose values were encoded (phase 1), or -1 (phase 2: the sum is the same on every rank)
 * @param call     index of the audited call (0 when there is one)
 * @param callName name of the call ("" when there is one)
 * @param element  element index (within the call) of the group's first value
 * @param trigger  element index of the value that shows the hazard (the overflowing value, the absmax, ...)
 * @param severity how bad: larger is worse (the ranking key; its meaning is given per hazard in {@link #detail})
 * @param gain     the group's round-trip gain Σx·x̂ / Σx² over its finite values (1 = not attenuated), for the
 *                 reciprocal cliff and scale underflow; NaN otherwise
 * @param detail   the numbers that show the hazard, in words
 * @param explain  a {@code qr explain} command that traces this group, or null where none applies
 */
public record WorstGroup(Hazard hazard, int phase, int rank, int call, String callName, long element, long trigger,
                         double severity, double gain, String detail, String explain) {

    /** Worse first; equal severities in tensor order, so the list does not depend on how the work was split. */
    static final Comparator<WorstGroup> ORDER = Comparator.comparingDouble((WorstGroup w) -> -w.severity)
            .thenComparingInt(WorstGroup::call).thenComparingLong(WorstGroup::element).thenComparingInt(WorstGroup::phase)
            .thenComparingInt(WorstGroup::rank);

    public Geometry.Coordinates coordinates() {
        return Geometry.coordinates(element);
    }

    /** {@code tile 5 atom 1 group 7} with the call's name in front when there are several. */
    public String location() {
        Geometry.Coordinates c = coordinates();
        return (callName.isEmpty() ? "" : callName + " ") + "tile " + c.tile() + " atom " + c.atom() + " group " + c.group()
                + " element " + trigger;
    }

    /** Who encoded: {@code rank 2} or {@code sum}. */
    public String who() {
        return phase == 1 ? "rank " + rank : "sum";
    }

    /** The {@code k} worst of a stream of candidates, kept sorted. */
    static final class Keeper {
        private final int k;
        private final List<WorstGroup> kept = new ArrayList<>();

        Keeper(int k) {
            this.k = k;
        }

        /** Whether a candidate of this severity could enter (saves building its detail text). */
        boolean wants(double severity) {
            return kept.size() < k || severity >= kept.getLast().severity;
        }

        void offer(WorstGroup w) {
            if (k == 0) {
                return;
            }
            int at = 0;
            while (at < kept.size() && ORDER.compare(kept.get(at), w) <= 0) {
                at++;
            }
            if (at < k) {
                kept.add(at, w);
                if (kept.size() > k) {
                    kept.removeLast();
                }
            }
        }

        void addAll(Keeper other) {
            for (WorstGroup w : other.kept) {
                offer(w);
            }
        }

        List<WorstGroup> list() {
            return List.copyOf(kept);
        }
    }
}
