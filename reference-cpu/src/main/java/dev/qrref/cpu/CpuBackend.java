package dev.qrref.cpu;

import dev.qrref.spec.Backend;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bit-exact CPU model as a backend. Every profile is available. Group calls run on a fork-join pool whose size is
 * the system property {@code qr.cpu.threads} (default: all cores); the result does not depend on it.
 */
public final class CpuBackend implements Backend {
    private final ForkJoinPool pool;
    /** Elements all group calls of this backend have moved (W × n each): the vector path's warm-up budget (FastPath). */
    private final AtomicLong moved = new AtomicLong();

    public CpuBackend() {
        this(Integer.getInteger("qr.cpu.threads", Runtime.getRuntime().availableProcessors()));
    }

    public CpuBackend(int threads) {
        this.pool = threads <= 1 ? null : new ForkJoinPool(threads);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Set<Profile> profiles() {
        return EnumSet.allOf(Profile.class);
    }

    @Override
    public Profile defaultProfile() {
        return Profile.CUDA;
    }

    public int threads() {
        return pool == null ? 1 : pool.getParallelism();
    }

    @Override
    public String describe() {
        return "CPU model on " + System.getProperty("os.arch") + ", " + threads() + " thread(s), Java "
                + Runtime.version();
    }

    @Override
    public DeviceComms newComms(CommsOptions options) {
        return new CpuDeviceComms(options);
    }

    @Override
    public GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
        return new CpuGroupComms(worldSize, maxProblemBytes, options, pool, moved);
    }
}
