package dev.qrref.conformance.properties;

import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.hip.GpuBackend;

/** The GPU backend behind a target, or a skip reason: for the properties that exercise what only a device has. */
final class GpuOnly {
    private GpuOnly() {
    }

    static GpuBackend of(Target t, SuiteProperty.Sink sink, String why) {
        if (t.backend() instanceof GpuBackend gpu) {
            return gpu;
        }
        sink.skip("needs the GPU backend: " + why);
        return null;
    }
}
