package dev.qrref.conformance;

import dev.qrref.spec.Format16;

/** Accumulates the distribution of |output - exact sum| / rms(exact sum) per codec over Gaussian cases. */
final class ErrorHistogram {
    private ErrorHistogram() {
    }

    static void add(SuiteResult result, CaseSpec spec, short[][] inputs, short[] output) {
        Format16 f = spec.path().dtype.format;
        int n = (int) spec.n();
        double[] exact = new double[n];
        double sumSq = 0;
        for (int e = 0; e < n; e++) {
            double s = 0;
            for (short[] v : inputs) {
                s += f.toDouble(v[e] & 0xFFFF);
            }
            exact[e] = s;
            sumSq += s * s;
        }
        double rms = Math.sqrt(sumSq / n);
        if (!(rms > 0)) {
            return;
        }
        long[] h = result.errorHistograms.computeIfAbsent(spec.level().cliName(), k -> new long[SuiteResult.HISTOGRAM_BINS.length + 1]);
        for (int e = 0; e < n; e++) {
            double err = Math.abs(f.toDouble(output[e] & 0xFFFF) - exact[e]) / rms;
            int bin = 0;
            while (bin < SuiteResult.HISTOGRAM_BINS.length && !(err <= SuiteResult.HISTOGRAM_BINS[bin])) {
                bin++;
            }
            h[bin]++;
        }
    }
}
