package dev.qrref.cli.audit;

/**
 * How many groups have their largest magnitude in each binade [2^k, 2^(k+1)), plus the all-zero, infinite and all-NaN
 * groups apart: for the plot of group absmax against the codecs' cliff and the fp16 overflow threshold.
 */
public final class AbsMaxHistogram {
    /** Lowest and highest binade kept (bf16 reaches 2^-133 and 2^127); anything beyond is clamped into the end bins. */
    public static final int MIN_EXPONENT = -134;
    public static final int MAX_EXPONENT = 128;

    final long[] bins = new long[MAX_EXPONENT - MIN_EXPONENT + 1];
    long zero;
    long infinite;
    long nan;

    void add(double absMax, boolean allNaN) {
        if (allNaN) {
            nan++;
        } else if (absMax == 0) {
            zero++;
        } else if (Double.isInfinite(absMax)) {
            infinite++;
        } else {
            int k = Math.clamp(Math.getExponent(absMax), MIN_EXPONENT, MAX_EXPONENT);
            bins[k - MIN_EXPONENT]++;
        }
    }

    void add(AbsMaxHistogram o) {
        for (int i = 0; i < bins.length; i++) {
            bins[i] += o.bins[i];
        }
        zero += o.zero;
        infinite += o.infinite;
        nan += o.nan;
    }

    /** Groups whose absmax lies in [2^k, 2^(k+1)). */
    public long binade(int k) {
        return bins[k - MIN_EXPONENT];
    }

    public long zero() {
        return zero;
    }

    public long infinite() {
        return infinite;
    }

    public long nan() {
        return nan;
    }

    public long total() {
        long t = zero + infinite + nan;
        for (long b : bins) {
            t += b;
        }
        return t;
    }
}
