package dev.qrref.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.Backends;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The same suite on the GPU backend; skipped, with the reason, where no GPU or native library is present. */
class GpuConformanceTest extends ConformanceContract {
    private Backend gpu;

    @Override
    Backend backend() {
        return gpu;
    }

    @TestFactory
    List<DynamicTest> gpu() {
        String reason = null;
        try {
            gpu = Backends.open("gpu");
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
        assumeTrue(reason == null, "GPU backend unavailable: " + reason);
        return suite();
    }
}
