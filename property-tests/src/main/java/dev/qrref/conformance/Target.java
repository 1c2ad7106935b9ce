package dev.qrref.conformance;

import dev.qrref.spec.Backend;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import java.time.Duration;
import java.util.Set;

/**
 * The backend under test. The CPU model is checked against the element-wise model; any other backend against the CPU
 * model, bytes of the communication buffers included.
 */
public final class Target {
    private final Backend backend;
    private final Duration timeout;

    public Target(Backend backend, Duration timeout) {
        this.backend = backend;
        this.timeout = timeout;
    }

    public Backend backend() {
        return backend;
    }

    public String name() {
        return backend.name();
    }

    /** True for the CPU model itself. */
    public boolean isModel() {
        return "cpu".equals(backend.name());
    }

    public Set<Profile> profiles() {
        return backend.profiles();
    }

    public Duration timeout() {
        return timeout;
    }

    public CommsOptions options(Profile profile, int maxBlocks) {
        return new CommsOptions(profile, maxBlocks, timeout);
    }

    public GroupComms group(int worldSize, long maxProblemBytes, Profile profile, int maxBlocks) {
        return backend.newGroup(worldSize, maxProblemBytes, options(profile, maxBlocks));
    }
}
