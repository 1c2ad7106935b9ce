package dev.qrref.cpu.arith;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the result classes a case set reached (ties, overflows, subnormal results, …), judged by the slow model,
 * so a generator that silently stops reaching a class fails the test instead of weakening it.
 */
final class Coverage {
    private final String what;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    Coverage(String what) {
        this.what = what;
    }

    void hit(String cls) {
        counts.computeIfAbsent(cls, k -> new LongAdder()).increment();
    }

    /** Prints the counts of {@code classes} in that order and asserts each was reached. */
    void require(String... classes) {
        StringBuilder sb = new StringBuilder();
        for (String c : classes) {
            sb.append(sb.isEmpty() ? "" : ", ").append(c).append(' ').append(String.format("%,d", count(c)));
        }
        System.out.printf("[arith] %s coverage: %s%n", what, sb);
        for (String c : classes) {
            assertTrue(count(c) > 0, what + ": no case reached the class '" + c + "'");
        }
    }

    long count(String cls) {
        LongAdder a = counts.get(cls);
        return a == null ? 0 : a.sum();
    }
}
