package dev.qrref.cli.audit;

/** The error figures every part of the audit reports, defined once. */
final class Accuracy {
    private Accuracy() {
    }

    /**
     * 10·log10(Σref² / Σerr²) over {@code finite} elements: +inf when the error is zero (the output is exact there), NaN
     * when no element was measured.
     */
    static double sqnrDb(double sumSquaredError, double sumSquaredRef, long finite) {
        if (finite == 0) {
            return Double.NaN;
        }
        if (sumSquaredError == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(sumSquaredRef / sumSquaredError);
    }

    /** Σ|err| / Σ|ref|: 0 when the error is zero, NaN when no element was measured. */
    static double relativeMae(double sumAbsError, double sumAbsRef, long finite) {
        if (finite == 0) {
            return Double.NaN;
        }
        return sumAbsError == 0 ? 0 : sumAbsError / sumAbsRef;
    }

    /** Whether an SQNR meets a bound; an exact output (+inf) always does, an unmeasured one (NaN) never. */
    static boolean meets(double sqnrDb, double minDb) {
        return sqnrDb >= minDb;
    }
}
