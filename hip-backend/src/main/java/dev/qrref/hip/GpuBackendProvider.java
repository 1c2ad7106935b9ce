package dev.qrref.hip;

import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendProvider;

/** Registers the GPU backend as {@code gpu} with {@link dev.qrref.spec.Backends}. */
public final class GpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "gpu";
    }

    @Override
    public Backend open() {
        return GpuBackend.open();
    }
}
