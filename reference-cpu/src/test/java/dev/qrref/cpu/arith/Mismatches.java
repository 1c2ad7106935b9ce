package dev.qrref.cpu.arith;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts checked cases and mismatches of one test, keeps the first mismatch lines (one self-contained hex line each,
 * TestFloat style), prints the verdict to stdout and fails with the first lines and the total.
 */
final class Mismatches {
    private static final int KEEP = 20;

    private final String what;
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final List<String> first = new ArrayList<>();

    Mismatches(String what) {
        this.what = what;
    }

    void checked(long n) {
        checked.addAndGet(n);
    }

    void add(String line) {
        wrong.incrementAndGet();
        synchronized (first) {
            if (first.size() < KEEP) {
                first.add(line);
            }
        }
    }

    long checked() {
        return checked.get();
    }

    /** Prints {@code [arith] what: N cases checked, M mismatches} and fails if M > 0. */
    void verdict() {
        long n = checked.get();
        long w = wrong.get();
        System.out.printf("[arith] %s: %,d cases checked, %,d mismatches%n", what, n, w);
        if (w > 0) {
            StringBuilder sb = new StringBuilder();
            sb.append(what).append(": ").append(String.format("%,d", w)).append(" mismatches in ")
                    .append(String.format("%,d", n)).append(" cases; first ").append(first.size()).append(':');
            synchronized (first) {
                for (String l : first) {
                    sb.append('\n').append(l);
                    System.out.println(l);
                }
            }
            fail(sb.toString());
        }
    }

    static String hex(long bits) {
        return String.format("0x%04X", bits & 0xFFFF);
    }

    static String hex32(int bits) {
        return String.format("0x%08X", bits);
    }
}
