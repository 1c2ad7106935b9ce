package dev.qrref.cli.audit;

import java.util.List;

/**
 * The counts of one hazard under one codec and profile. Phase 1 counts (rank, group) encodes and (rank, element)
 * values; phase 2 counts groups and elements of the reduced sum. {@link #groups()} and {@link #elements()} count tensor
 * positions touched in either phase (each position once), and the error figures cover every element of the groups at
 * those positions: the damage the hazard is next to, measured on the model's real output.
 */
public final class HazardTally {
    final Hazard hazard;
    long groups1;
    long elements1;
    long spread1;
    long groups2;
    long elements2;
    long spread2;
    long positionGroups;
    long positionElements;
    /** Error of the output in the touched groups (elements whose output and reference are finite). */
    long finite;
    double sumSquaredError;
    double sumSquaredRef;
    double sumAbsError;
    double sumAbsRef;
    double maxAbsError;
    /** Outputs in the touched groups that are not finite although the exact sum is. */
    long lostFinite;
    final WorstGroup.Keeper worst;
    /** Positions touched per call: call index -> {groups, elements}; only calls with any. */
    final java.util.TreeMap<Integer, long[]> byCall = new java.util.TreeMap<>();

    HazardTally(Hazard hazard, int keep) {
        this.hazard = hazard;
        this.worst = new WorstGroup.Keeper(keep);
    }

    void add(HazardTally o) {
        groups1 += o.groups1;
        elements1 += o.elements1;
        spread1 += o.spread1;
        groups2 += o.groups2;
        elements2 += o.elements2;
        spread2 += o.spread2;
        positionGroups += o.positionGroups;
        positionElements += o.positionElements;
        finite += o.finite;
        sumSquaredError += o.sumSquaredError;
        sumSquaredRef += o.sumSquaredRef;
        sumAbsError += o.sumAbsError;
        sumAbsRef += o.sumAbsRef;
        maxAbsError = Math.max(maxAbsError, o.maxAbsError);
        lostFinite += o.lostFinite;
        worst.addAll(o.worst);
        o.byCall.forEach((call, n) -> byCall.merge(call, n.clone(), (x, y) -> new long[]{x[0] + y[0], x[1] + y[1]}));
    }

    /** Tensor groups and elements touched in each call that has any, by call index, in call order. */
    public java.util.SortedMap<Integer, long[]> byCall() {
        return java.util.Collections.unmodifiableSortedMap(byCall);
    }

    public Hazard hazard() {
        return hazard;
    }

    /** Tensor groups touched in either phase. */
    public long groups() {
        return positionGroups;
    }

    /** Tensor elements touched in either phase. */
    public long elements() {
        return positionElements;
    }

    public long groups(int phase) {
        return phase == 1 ? groups1 : groups2;
    }

    public long elements(int phase) {
        return phase == 1 ? elements1 : elements2;
    }

    /** Finite values of touched groups that the phase's encode round trip turned into NaN or +-inf. */
    public long spread(int phase) {
        return phase == 1 ? spread1 : spread2;
    }

    public boolean any() {
        return groups1 + groups2 > 0;
    }

    /** SQNR of the output over the touched groups; +inf when exact there, NaN when they hold no finite element. */
    public double sqnrDb() {
        return Accuracy.sqnrDb(sumSquaredError, sumSquaredRef, finite);
    }

    public double relativeMae() {
        return Accuracy.relativeMae(sumAbsError, sumAbsRef, finite);
    }

    /** Largest |output - exact| over the touched groups; NaN when none of their outputs and sums is finite. */
    public double maxAbsError() {
        return finite == 0 ? Double.NaN : maxAbsError;
    }

    public long lostFinite() {
        return lostFinite;
    }

    public List<WorstGroup> worst() {
        return worst.list();
    }
}
