package dev.qrref.cpu;

import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.protocol.CallPlan;
import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.cpu.protocol.GroupAllReduce;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CallChecks;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/** All ranks of a group in the CPU model, run step by step ({@link GroupAllReduce}). */
public final class CpuGroupComms implements GroupComms {
    /** A thread that is not the caller: a segment accessible by it is accessible by the pool's threads. */
    private static final Thread OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });
    private final BufferLayout layout;
    private final NumericsProfile profile;
    private final Arena arena;
    private final CommBuffer[] buffers;
    private final ForkJoinPool pool;
    private final AtomicLong moved;
    private boolean closed;

    CpuGroupComms(int worldSize, long maxProblemBytes, CommsOptions options, ForkJoinPool pool, AtomicLong moved) {
        int maxBlocks = options.maxBlocks() == 0 ? Geometry.DEFAULT_MAX_BLOCKS : options.maxBlocks();
        this.layout = new BufferLayout(worldSize, maxBlocks, maxProblemBytes);
        this.profile = NumericsProfile.of(options.profile());
        this.pool = pool;
        this.moved = moved;
        this.arena = Arena.ofShared();
        this.buffers = new CommBuffer[worldSize];
        for (int r = 0; r < worldSize; r++) {
            buffers[r] = new CommBuffer(layout, arena);
        }
    }

    @Override
    public int worldSize() {
        return layout.worldSize();
    }

    @Override
    public Profile profile() {
        return profile.id();
    }

    @Override
    public BufferLayout layout() {
        return layout;
    }

    @Override
    public synchronized void allreduce(List<MemorySegment> inputs, List<MemorySegment> outputs, long n, DType dtype,
                                       QuantLevel quantLevel, boolean castBf16ToFp16) {
        checkOpen();
        CallChecks.groupCall(layout, inputs, outputs, n, dtype, quantLevel);
        // one plan, so one path, for all ranks of the call
        boolean vector = FastPath.forCall(moved.getAndAdd(n * (long) layout.worldSize()));
        CallPlan plan = CallPlan.of(layout, n, quantLevel, DataPath.of(dtype, castBf16ToFp16), profile, vector);
        // Segments confined to the calling thread cannot be touched by pool threads: run those calls on this thread.
        boolean shareable = inputs.stream().allMatch(s -> s.isAccessibleBy(OTHER_THREAD))
                && outputs.stream().allMatch(s -> s.isAccessibleBy(OTHER_THREAD));
        GroupAllReduce.run(plan, buffers, inputs.toArray(MemorySegment[]::new), outputs.toArray(MemorySegment[]::new),
                shareable ? pool : null);
    }

    @Override
    public void readBuffer(int rank, MemorySegment dst) {
        checkOpen();
        Geometry.checkRank(layout.worldSize(), rank);
        if (dst.byteSize() < layout.totalBytes()) {
            throw new InvalidArgumentException("destination has " + dst.byteSize() + " bytes, the buffer " + layout.totalBytes());
        }
        buffers[rank].copyTo(dst);
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateException("group communicator is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            throw new InvalidStateException("group communicator is already closed");
        }
        closed = true;
        arena.close();
    }
}
