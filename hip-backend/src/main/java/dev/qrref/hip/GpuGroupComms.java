package dev.qrref.hip;

import dev.qrref.spec.Placement;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CallChecks;
import dev.qrref.spec.DType;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * All W ranks in this process ({@code qr_group_*}): W streams on one GPU with every rank's grid resident at once, or W
 * GPUs with peer access. Besides the host-segment {@link #allreduce}, it runs on device buffers directly
 * ({@link #allreduceDevice}, {@link #time}), which soak tests and benchmarks use to keep host copies out of the loop.
 */
public final class GpuGroupComms implements GroupComms {
    private final QrNative nat;
    private final long id;
    private final int worldSize;
    private final Profile profile;
    private final BufferLayout layout;
    private final List<Staging> staging = new ArrayList<>();
    private boolean closed;

    GpuGroupComms(QrNative nat, int worldSize, long maxProblemBytes, int device, Profile profile, int maxBlocks, long timeoutNs,
                  Placement placement) {
        this.nat = nat;
        this.id = nat.groupCreate(worldSize, maxProblemBytes, device, profile, maxBlocks, timeoutNs, placement);
        this.worldSize = worldSize;
        this.profile = profile;
        this.layout = new BufferLayout(worldSize, nat.groupMaxBlocks(id), maxProblemBytes == -1 ? 1L << 31 : maxProblemBytes);
        for (int r = 0; r < worldSize; r++) {
            staging.add(new Staging(nat, nat.groupDevice(id, r)));
        }
    }

    public long id() {
        return id;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public Profile profile() {
        return profile;
    }

    @Override
    public BufferLayout layout() {
        return layout;
    }

    /** The device rank {@code rank}'s data lives on. */
    public int device(int rank) {
        return nat.groupDevice(id, rank);
    }

    /** A device buffer on rank {@code rank}'s device. */
    public DeviceBuffer allocate(int rank, long bytes) {
        return new DeviceBuffer(nat, device(rank), bytes);
    }

    public QrNative nativeLibrary() {
        return nat;
    }

    @Override
    public synchronized void allreduce(List<MemorySegment> inputs, List<MemorySegment> outputs, long n, DType dtype,
                                       QuantLevel quantLevel, boolean castBf16ToFp16) {
        checkOpen();
        CallChecks.groupCall(layout, inputs, outputs, n, dtype, quantLevel);
        for (int r = 0; r < worldSize; r++) {
            staging.get(r).upload(inputs.get(r), 2 * n);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(ADDRESS, worldSize);
            MemorySegment out = a.allocate(ADDRESS, worldSize);
            for (int r = 0; r < worldSize; r++) {
                in.setAtIndex(ADDRESS, r, staging.get(r).input());
                out.setAtIndex(ADDRESS, r, staging.get(r).output());
            }
            nat.groupAllreduce(id, in, out, n, dtype.code, quantLevel.code, castBf16ToFp16);
        }
        for (int r = 0; r < worldSize; r++) {
            staging.get(r).download(outputs.get(r), 2 * n);
        }
    }

    /** One all-reduce of device buffers (rank r's on rank r's device). */
    public synchronized void allreduceDevice(List<DeviceBuffer> inputs, List<DeviceBuffer> outputs, long n, DType dtype,
                                             QuantLevel quantLevel, boolean castBf16ToFp16) {
        checkOpen();
        CallChecks.lists(worldSize, inputs, outputs);
        try (Arena a = Arena.ofConfined()) {
            nat.groupAllreduce(id, addresses(a, inputs), addresses(a, outputs), n, dtype.code, quantLevel.code, castBf16ToFp16);
        }
    }

    /** Per-call times in microseconds of {@code iters} calls after {@code warmup} untimed ones (device events). */
    public synchronized float[] time(List<DeviceBuffer> inputs, List<DeviceBuffer> outputs, long n, DType dtype,
                                     QuantLevel quantLevel, boolean castBf16ToFp16, int warmup, int iters) {
        checkOpen();
        CallChecks.lists(worldSize, inputs, outputs);
        try (Arena a = Arena.ofConfined()) {
            return nat.groupTime(id, addresses(a, inputs), addresses(a, outputs), n, dtype.code, quantLevel.code, castBf16ToFp16,
                    warmup, iters);
        }
    }

    /**
     * {@link #time}, rotating over several input sets (call i, warm-up included, reads set i % sets), so that inputs
     * that would fit the L2 cache are not timed out of it.
     */
    public synchronized float[] timeRotating(List<List<DeviceBuffer>> inputSets, List<DeviceBuffer> outputs, long n, DType dtype,
                                             QuantLevel quantLevel, boolean castBf16ToFp16, int warmup, int iters) {
        checkOpen();
        if (inputSets == null || inputSets.isEmpty()) {
            throw new InvalidArgumentException("at least one input set is needed");
        }
        for (List<DeviceBuffer> set : inputSets) {
            CallChecks.lists(worldSize, set, outputs);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sets = a.allocate(ADDRESS, (long) worldSize * inputSets.size());
            for (int k = 0; k < inputSets.size(); k++) {
                for (int r = 0; r < worldSize; r++) {
                    sets.setAtIndex(ADDRESS, (long) k * worldSize + r, inputSets.get(k).get(r).address());
                }
            }
            return nat.groupTimeSets(id, sets, inputSets.size(), addresses(a, outputs), n, dtype.code, quantLevel.code, castBf16ToFp16,
                    warmup, iters);
        }
    }

    /** Captures {@code calls} all-reduces into one graph (a one-GPU group only). Close the graph before the group. */
    public synchronized GpuGraph graph(List<GpuGraph.Call> calls) {
        checkOpen();
        return new GpuGraph(nat, id, worldSize, calls);
    }

    /**
     * Per-call times in microseconds of W concurrent device-to-device copies of each rank's input to its output
     * (rotating over the input sets as {@link #timeRotating} does): the data movement alone.
     */
    public synchronized float[] timeCopies(List<List<DeviceBuffer>> inputSets, List<DeviceBuffer> outputs, long n, int warmup, int iters) {
        checkOpen();
        if (inputSets == null || inputSets.isEmpty()) {
            throw new InvalidArgumentException("at least one input set is needed");
        }
        for (List<DeviceBuffer> set : inputSets) {
            CallChecks.lists(worldSize, set, outputs);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sets = a.allocate(ADDRESS, (long) worldSize * inputSets.size());
            for (int k = 0; k < inputSets.size(); k++) {
                for (int r = 0; r < worldSize; r++) {
                    sets.setAtIndex(ADDRESS, (long) k * worldSize + r, inputSets.get(k).get(r).address());
                }
            }
            return nat.groupTimeCopies(id, sets, inputSets.size(), addresses(a, outputs), n, warmup, iters);
        }
    }

    private MemorySegment addresses(Arena a, List<DeviceBuffer> buffers) {
        MemorySegment s = a.allocate(ADDRESS, worldSize);
        for (int r = 0; r < worldSize; r++) {
            s.setAtIndex(ADDRESS, r, buffers.get(r).address());
        }
        return s;
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateException("GPU group " + id + " is closed");
        }
    }

    @Override
    public synchronized void readBuffer(int rank, MemorySegment dst) {
        checkOpen();
        long total = layout.totalBytes();
        if (rank < 0 || rank >= worldSize) {
            throw new InvalidArgumentException("rank " + rank + " is out of range for world size " + worldSize);
        }
        if (dst == null || dst.byteSize() < total) {
            throw new InvalidArgumentException("readBuffer: destination has " + (dst == null ? "no" : dst.byteSize())
                    + " bytes, the buffer " + total);
        }
        if (dst.isNative()) {
            nat.groupReadBuffer(id, rank, dst, dst.byteSize());
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(total);
                nat.groupReadBuffer(id, rank, tmp, total);
                MemorySegment.copy(tmp, 0, dst, 0, total);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            throw new InvalidStateException("GPU group " + id + " is already closed");
        }
        closed = true;
        try {
            for (Staging s : staging) {
                s.close();
            }
        } finally {
            nat.groupDestroy(id);
        }
    }
}
