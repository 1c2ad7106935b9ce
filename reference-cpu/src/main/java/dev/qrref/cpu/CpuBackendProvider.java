package dev.qrref.cpu;

import dev.qrref.spec.Backend;
import dev.qrref.spec.BackendProvider;

/** Registers the CPU model as backend {@code cpu}. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Backend open() {
        return new CpuBackend();
    }
}
