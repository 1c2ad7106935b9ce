package dev.qrref.conformance;

import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The conformance suite on the CPU model (checked against the element-wise definition). Level from {@code qr.level}. */
class CpuConformanceTest extends ConformanceContract {
    @Override
    Backend backend() {
        return Backends.open("cpu");
    }

    @TestFactory
    List<DynamicTest> cpu() {
        return suite();
    }
}
