package dev.qrref.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qrref.cpu.gen.Level;
import dev.qrref.spec.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;

/**
 * The suite as JUnit tests: one dynamic test per property and check, one for coverage. Subclasses only say which
 * backend runs; every backend gets the same bodies.
 */
abstract class ConformanceContract {

    /** The backend, or the reason it cannot run here (then every test is skipped with that reason). */
    abstract Backend backend();

    List<DynamicTest> suite() {
        Backend backend = backend();
        SuiteResult result = Suite.run(new Target(backend, Duration.ofSeconds(60)), SuiteConfig.defaults(Level.current()), Listener.SILENT);
        List<DynamicTest> tests = new ArrayList<>();
        for (SuiteResult.PropertyResult p : result.properties.values()) {
            tests.add(DynamicTest.dynamicTest(p.name + " [" + p.rules.stream().map(r -> r.id).collect(Collectors.joining(",")) + "]", () -> {
                System.out.println(backend.name() + " " + p.name + ": " + p.passed + " passed, " + p.failures.size() + " failed, "
                        + p.skipped.size() + " skipped, " + String.format("%.1f s", p.seconds));
                if (!p.failures.isEmpty()) {
                    fail(p.failures.stream().limit(5).map(f -> f.line() + "\n" + f.countLine()).collect(Collectors.joining("\n"))
                            + (p.failures.size() > 5 ? "\n… " + (p.failures.size() - 5) + " more" : ""));
                }
                assertTrue(p.passed > 0 || !p.skipped.isEmpty(), p.name + " checked nothing");
            }));
        }
        tests.add(DynamicTest.dynamicTest("coverage classes", () -> {
            System.out.println(backend.name() + ": " + result.cases.size() + " cases, coverage " + result.coverage);
            assertTrue(result.missingCoverage().isEmpty(), "coverage classes not hit: " + result.missingCoverage());
        }));
        return tests;
    }
}
