package dev.qrref.conformance;

import dev.qrref.spec.Format16;

/**
 * Compares outputs bit for bit, NaN compared as a class (the model does not promise NaN payloads).
 *
 * @param rank    first rank with a wrong element, or -1
 * @param element first wrong element of that rank
 * @param got     observed bits there
 * @param want    expected bits there
 * @param wrong   wrong elements over all ranks
 */
public record OutputDiff(int rank, long element, int got, int want, long wrong) {

    public boolean ok() {
        return wrong == 0;
    }

    public static boolean same(Format16 f, int a, int b) {
        return a == b || (f.isNaN(a) && f.isNaN(b));
    }

    public static OutputDiff compare(Format16 f, short[][] got, short[][] want, long n) {
        int firstRank = -1;
        long firstElement = -1;
        int g = -1;
        int w = -1;
        long wrong = 0;
        for (int r = 0; r < got.length; r++) {
            for (int e = 0; e < n; e++) {
                int a = got[r][e] & 0xFFFF;
                int b = want[r][e] & 0xFFFF;
                if (!same(f, a, b)) {
                    if (firstRank < 0) {
                        firstRank = r;
                        firstElement = e;
                        g = a;
                        w = b;
                    }
                    wrong++;
                }
            }
        }
        return new OutputDiff(firstRank, firstElement, g, w, wrong);
    }
}
