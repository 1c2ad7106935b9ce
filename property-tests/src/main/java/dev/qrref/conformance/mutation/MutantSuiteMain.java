package dev.qrref.conformance.mutation;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Listener;
import dev.qrref.conformance.Suite;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteResult;
import dev.qrref.conformance.Target;
import dev.qrref.cpu.gen.Level;
import dev.qrref.hip.GpuBackend;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * One mutant (or the real library) under the level-1 conformance suite on the GPU, in a JVM of its own: the library is
 * the one {@code -Dqr.native.lib} names, bound once per JVM. Stops at the first failure (the kill) unless
 * {@code --all}; writes a {@link Properties} file that {@link MutationMain} reads.
 *
 * <pre>MutantSuiteMain RESULT_FILE [--timeout-seconds S] [--all]</pre>
 */
public final class MutantSuiteMain {
    /** Thrown out of the suite by the listener at the first failure. */
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed", null, false, false);
        }
    }

    /** Counts cases and remembers the first failure. */
    static final class KillListener implements Listener {
        final boolean stopAtFirst;
        String stage = "cases";
        int cases;
        int totalCases;
        Failure first;
        int failures;

        KillListener(boolean stopAtFirst) {
            this.stopAtFirst = stopAtFirst;
        }

        @Override
        public void phase(String name, int total) {
            if (name.startsWith("cases")) {
                totalCases = total;
            } else {
                stage = name;
            }
            System.err.println("== " + name + " (" + total + ")");
        }

        @Override
        public void progress(int done, int total, String current) {
            if (!current.isEmpty()) {
                cases = done + 1;
            }
        }

        @Override
        public void failure(Failure f) {
            failures++;
            System.err.println("FAIL " + f.line());
            if (first == null) {
                first = f;
                if (stopAtFirst) {
                    throw new Killed();
                }
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: MutantSuiteMain RESULT_FILE [--timeout-seconds S] [--all]");
            System.exit(2);
        }
        Path result = Path.of(args[0]);
        double timeout = 5;
        boolean all = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--timeout-seconds" -> timeout = Double.parseDouble(args[++i]);
                case "--all" -> all = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Properties p = new Properties();
        long t0 = System.nanoTime();
        KillListener l = new KillListener(!all);
        String error = null;
        SuiteResult r = null;
        GpuBackend gpu = GpuBackend.open();
        String mutant = gpu.nativeLibrary().mutant();
        p.setProperty("mutant", mutant);
        p.setProperty("device", gpu.describe());
        p.setProperty("library", gpu.nativeLibrary().path().toString());
        System.err.println("library " + gpu.nativeLibrary().path() + " (mutant '" + mutant + "')");
        try {
            r = Suite.run(new Target(gpu, Duration.ofMillis(Math.round(timeout * 1000))), SuiteConfig.defaults(Level.QUICK), l);
        } catch (Killed k) {
            // the first failure ended the run
        } catch (RuntimeException | Error e) {
            error = e.toString();
            e.printStackTrace();
        }
        p.setProperty("killed", Boolean.toString(l.first != null || error != null));
        p.setProperty("cases", Integer.toString(l.cases));
        p.setProperty("total_cases", Integer.toString(l.totalCases));
        p.setProperty("failures", Integer.toString(l.failures));
        p.setProperty("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        if (l.first != null) {
            p.setProperty("killer", l.first.property());
            p.setProperty("rule", l.first.rule().id);
            p.setProperty("stage", l.stage);
            p.setProperty("first_failure", l.first.line() + l.first.countLine());
        } else if (error != null) {
            p.setProperty("killer", "exception");
            p.setProperty("stage", l.stage);
            p.setProperty("first_failure", error);
        }
        if (r != null) {
            p.setProperty("suite_ok", Boolean.toString(r.ok()));
            p.setProperty("properties_run", Integer.toString(r.properties.size()));
        }
        try (Writer w = Files.newBufferedWriter(result)) {
            p.store(w, "MutantSuiteMain");
        }
        System.err.println("result: " + p);
        System.exit(0);
    }
}
