package dev.qrref.hip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.spec.BackendUnavailableException;
import dev.qrref.spec.QrException;

/** Skips, with the reason, tests that need the native library or a GPU where they are absent. */
final class NativeTestSupport {
    private NativeTestSupport() {
    }

    static QrNative library() {
        String reason = null;
        QrNative nat = null;
        try {
            nat = QrNative.get();
        } catch (BackendUnavailableException e) {
            reason = e.getMessage();
        }
        assumeTrue(nat != null, "native library unavailable: " + reason);
        return nat;
    }

    static GpuBackend gpu() {
        library();
        String reason = null;
        GpuBackend gpu = null;
        try {
            gpu = GpuBackend.open();
        } catch (QrException e) {
            reason = e.getMessage();
        }
        assumeTrue(gpu != null, "no GPU: " + reason);
        return gpu;
    }
}
