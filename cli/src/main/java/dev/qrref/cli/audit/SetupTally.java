package dev.qrref.cli.audit;

import dev.qrref.cli.data.ErrorStatistics;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything the audit measured for one codec under one profile: the accuracy of the model's output against the exact
 * sum, and the tally of every hazard. Partial tallies (one per tile) are added in tensor order, so the sums are the same
 * bits for any number of threads.
 */
public final class SetupTally {
    final QuantLevel codec;
    final Profile profile;
    ErrorStatistics accuracy = ErrorStatistics.empty();
    final Map<Hazard, HazardTally> hazards = new EnumMap<>(Hazard.class);

    SetupTally(QuantLevel codec, Profile profile, int keep) {
        this.codec = codec;
        this.profile = profile;
        for (Hazard h : Hazard.values()) {
            hazards.put(h, new HazardTally(h, keep));
        }
    }

    void add(SetupTally o) {
        accuracy = accuracy.plus(o.accuracy);
        for (Hazard h : Hazard.values()) {
            hazards.get(h).add(o.hazards.get(h));
        }
    }

    public QuantLevel codec() {
        return codec;
    }

    public Profile profile() {
        return profile;
    }

    public ErrorStatistics accuracy() {
        return accuracy;
    }

    public HazardTally hazard(Hazard h) {
        return hazards.get(h);
    }

    /** SQNR of the whole output (+inf when exact, NaN when no element has a finite output and reference). */
    public double sqnrDb() {
        return Accuracy.sqnrDb(accuracy.sumSquaredError(), accuracy.sumSquaredRef(), accuracy.finite());
    }

    public double relativeMae() {
        return Accuracy.relativeMae(accuracy.sumAbsError(), accuracy.sumAbsRef(), accuracy.finite());
    }

    /** Outputs that are NaN or +-inf although the exact sum of the inputs is finite. */
    public long nonFiniteFromFinite() {
        return accuracy.lostFinite();
    }
}
