package dev.qrref.hip;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.qrref.spec.DType;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A CUDA/HIP graph of several all-reduces of one GPU group ({@code qr_group_graph_create}): captured once, replayed any
 * number of times. Replays read whatever the captured input buffers hold, so a test writes new inputs between replays.
 */
public final class GpuGraph implements AutoCloseable {
    /** One captured call: rank r reads {@code inputs.get(r)} and writes {@code outputs.get(r)}. */
    public record Call(List<DeviceBuffer> inputs, List<DeviceBuffer> outputs, long n, DType dtype, QuantLevel codec, boolean cast) {
    }

    private final QrNative nat;
    private final long id;
    private boolean closed;

    GpuGraph(QrNative nat, long group, int worldSize, List<Call> calls) {
        if (calls == null || calls.isEmpty()) {
            throw new InvalidArgumentException("a graph needs at least one call");
        }
        this.nat = nat;
        try (Arena a = Arena.ofConfined()) {
            int k = calls.size();
            MemorySegment in = a.allocate(ADDRESS, (long) k * worldSize);
            MemorySegment out = a.allocate(ADDRESS, (long) k * worldSize);
            MemorySegment n = a.allocate(JAVA_LONG, k);
            MemorySegment dtype = a.allocate(JAVA_INT, k);
            MemorySegment quant = a.allocate(JAVA_INT, k);
            MemorySegment cast = a.allocate(JAVA_INT, k);
            for (int c = 0; c < k; c++) {
                Call call = calls.get(c);
                if (call.inputs().size() != worldSize || call.outputs().size() != worldSize) {
                    throw new InvalidArgumentException("call " + c + ": expected " + worldSize + " inputs and outputs");
                }
                for (int r = 0; r < worldSize; r++) {
                    in.setAtIndex(ADDRESS, (long) c * worldSize + r, call.inputs().get(r).address());
                    out.setAtIndex(ADDRESS, (long) c * worldSize + r, call.outputs().get(r).address());
                }
                n.setAtIndex(JAVA_LONG, c, call.n());
                dtype.setAtIndex(JAVA_INT, c, call.dtype().code);
                quant.setAtIndex(JAVA_INT, c, call.codec().code);
                cast.setAtIndex(JAVA_INT, c, call.cast() ? 1 : 0);
            }
            this.id = nat.graphCreate(group, k, in, out, n, dtype, quant, cast);
        }
    }

    /** Launches the graph {@code times} times and waits. */
    public void replay(int times) {
        checkOpen();
        nat.graphReplay(id, times);
    }

    /** Per-replay times in microseconds after {@code warmup} untimed replays. */
    public float[] time(int warmup, int iters) {
        checkOpen();
        return nat.graphTime(id, warmup, iters);
    }

    private void checkOpen() {
        if (closed) {
            throw new InvalidStateException("graph " + id + " is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            nat.graphDestroy(id);
        }
    }
}
