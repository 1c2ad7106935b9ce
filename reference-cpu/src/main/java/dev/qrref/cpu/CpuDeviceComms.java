package dev.qrref.cpu;

import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.protocol.CallPlan;
import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.cpu.protocol.RankAllReduce;
import dev.qrref.cpu.protocol.SpinWaiter;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CallChecks;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.PeerTimeoutException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalLong;

/**
 * One rank of the CPU model, for callers that run each rank on its own thread. Buffers live in shared host memory;
 * flags are real release/acquire words; waits are bounded ({@link SpinWaiter}).
 */
public final class CpuDeviceComms implements DeviceComms {
    private final CommsOptions options;
    private final NumericsProfile profile;
    private CommsState state = CommsState.CREATED;
    private int worldSize;
    private int rank;
    private BufferLayout layout;
    private Arena arena;
    private CommBuffer own;
    private IpcHandle handle;
    private java.nio.file.Path file;
    private CommBuffer[] peers;
    /** Elements this rank's calls have moved, W × n each: every rank runs the same calls, so all pick the same path. */
    private long moved;

    CpuDeviceComms(CommsOptions options) {
        this.options = options;
        this.profile = NumericsProfile.of(options.profile());
    }

    @Override
    public synchronized void init(int worldSize, int rank, OptionalLong maxProblemBytes) {
        if (state != CommsState.CREATED) {
            throw new InvalidStateException("init called in state " + state + " (init may be called once)");
        }
        Geometry.checkRank(worldSize, rank);
        long max = maxProblemBytes == null ? Geometry.DEFAULT_MAX_PROBLEM_BYTES
                : maxProblemBytes.orElse(Geometry.DEFAULT_MAX_PROBLEM_BYTES);
        int maxBlocks = options.maxBlocks() == 0 ? Geometry.DEFAULT_MAX_BLOCKS : options.maxBlocks();
        this.layout = new BufferLayout(worldSize, maxBlocks, max);
        this.worldSize = worldSize;
        this.rank = rank;
        this.arena = Arena.ofShared();
        CpuIpcRegistry.Shared shared = CpuIpcRegistry.create(layout, arena);
        this.own = shared.buffer();
        this.handle = shared.handle();
        this.file = shared.file();
        this.state = CommsState.INITIALISED;
    }

    @Override
    public synchronized IpcHandle handle() {
        requireAtLeast(CommsState.INITIALISED, "handle");
        return handle;
    }

    @Override
    public synchronized void openIpcHandles(List<IpcHandle> handles) {
        if (state != CommsState.INITIALISED) {
            throw new InvalidStateException("openIpcHandles called in state " + state + " (expected INITIALISED, once)");
        }
        if (handles == null || handles.size() != worldSize) {
            throw new InvalidArgumentException("expected " + worldSize + " IPC handles, got " + (handles == null ? "null" : handles.size()));
        }
        if (!handle.equals(handles.get(rank))) {
            throw new InvalidArgumentException("handle " + rank + " is not this rank's own handle");
        }
        CommBuffer[] found = new CommBuffer[worldSize];
        for (int r = 0; r < worldSize; r++) {
            if (handles.get(r) == null) {
                throw new InvalidArgumentException("IPC handle of rank " + r + " is null");
            }
            found[r] = r == rank ? own : CpuIpcRegistry.open(handles.get(r), r, layout, arena);
        }
        this.peers = found;
        this.state = CommsState.READY;
    }

    @Override
    public void allreduce(MemorySegment input, MemorySegment output, long n, DType dtype, QuantLevel quantLevel, boolean castBf16ToFp16) {
        CallPlan plan;
        synchronized (this) {
            if (state != CommsState.READY) {
                throw new InvalidStateException("allreduce called in state " + state
                        + (state == CommsState.INITIALISED ? " (open the IPC handles first)" : ""));
            }
            CallChecks.rankCall(layout, input, output, n, dtype, quantLevel);
            plan = CallPlan.of(layout, n, quantLevel, DataPath.of(dtype, castBf16ToFp16), profile, FastPath.forCall(moved));
            moved += n * worldSize;
        }
        try {
            RankAllReduce.run(plan, rank, peers, input, output, new SpinWaiter(options.waitTimeout()));
        } catch (PeerTimeoutException e) {
            synchronized (this) {
                state = CommsState.BROKEN;
            }
            throw e;
        }
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public synchronized CommsState status() {
        return state;
    }

    @Override
    public Profile profile() {
        return profile.id();
    }

    @Override
    public synchronized BufferLayout layout() {
        requireAtLeast(CommsState.INITIALISED, "layout");
        return layout;
    }

    @Override
    public synchronized void readBuffer(MemorySegment dst) {
        requireAtLeast(CommsState.INITIALISED, "readBuffer");
        if (dst.byteSize() < layout.totalBytes()) {
            throw new InvalidArgumentException("destination has " + dst.byteSize() + " bytes, the buffer " + layout.totalBytes());
        }
        own.copyTo(dst);
    }

    @Override
    public synchronized void close() {
        if (state == CommsState.CLOSED) {
            throw new InvalidStateException("close called twice");
        }
        if (arena != null) {
            arena.close();
        }
        if (file != null) {
            CpuIpcRegistry.delete(file);
        }
        state = CommsState.CLOSED;
    }

    private void requireAtLeast(CommsState needed, String call) {
        if (state == CommsState.CREATED || state == CommsState.CLOSED) {
            throw new InvalidStateException(call + " called in state " + state + " (needs " + needed + ")");
        }
    }
}
