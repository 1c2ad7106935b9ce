package dev.qrref.hip;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CallChecks;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalLong;

/**
 * One rank on a GPU ({@code qr_comms_*}). Host segments are staged through device memory. After {@link #close()} every
 * call still goes to the library, which answers INVALID_STATE for the destroyed communicator.
 */
public final class GpuDeviceComms implements DeviceComms {
    private final QrNative nat;
    private final long id;
    private final int device;
    private final Staging staging;
    private boolean closed;

    GpuDeviceComms(QrNative nat, int device, CommsOptions options) {
        this.nat = nat;
        this.device = device;
        this.id = nat.commsCreate(device, options.profile(), options.maxBlocks(), options.waitTimeout().toNanos());
        this.staging = new Staging(nat, device);
    }

    /** The library's id of this communicator. */
    public long id() {
        return id;
    }

    @Override
    public synchronized void init(int worldSize, int rank, OptionalLong maxProblemBytes) {
        nat.commsInit(id, worldSize, rank, maxProblemBytes == null ? -1 : maxProblemBytes.orElse(-1));
    }

    @Override
    public synchronized IpcHandle handle() {
        return new IpcHandle(nat.commsGetHandle(id));
    }

    @Override
    public synchronized void openIpcHandles(List<IpcHandle> handles) {
        if (handles == null) {
            throw new InvalidArgumentException("openIpcHandles: the handle list is null");
        }
        byte[] all = new byte[handles.size() * IpcHandle.BYTES];
        for (int r = 0; r < handles.size(); r++) {
            if (handles.get(r) == null) {
                throw new InvalidArgumentException("openIpcHandles: handle " + r + " is null");
            }
            System.arraycopy(handles.get(r).bytes(), 0, all, r * IpcHandle.BYTES, IpcHandle.BYTES);
        }
        nat.commsOpenHandles(id, all, handles.size());
    }

    @Override
    public synchronized void allreduce(MemorySegment input, MemorySegment output, long n, DType dtype, QuantLevel quantLevel,
                                       boolean castBf16ToFp16) {
        // the max problem size is the library's to check: before init this communicator has no layout
        CallChecks.rankCall(null, input, output, n, dtype, quantLevel);
        if (closed || nat.commsState(id) != CommsState.READY.code) {
            // Before staging anything: the library checks the state first and says what is wrong (not ready, broken,
            // or a dead id).
            nat.commsAllreduce(id, MemorySegment.NULL, MemorySegment.NULL, n, dtype.code, quantLevel.code, castBf16ToFp16);
        }
        staging.upload(input, 2 * n);
        nat.commsAllreduce(id, staging.input(), staging.output(), n, dtype.code, quantLevel.code, castBf16ToFp16);
        staging.download(output, 2 * n);
    }

    @Override
    public synchronized int worldSize() {
        return nat.commsWorldSize(id);
    }

    @Override
    public synchronized int rank() {
        return nat.commsRank(id);
    }

    @Override
    public synchronized CommsState status() {
        return closed ? CommsState.CLOSED : CommsState.fromCode(nat.commsState(id));
    }

    @Override
    public synchronized Profile profile() {
        return nat.commsProfile(id);
    }

    @Override
    public synchronized BufferLayout layout() {
        return new BufferLayout(nat.commsWorldSize(id), nat.commsMaxBlocks(id), nat.commsMaxProblemBytes(id));
    }

    @Override
    public synchronized void readBuffer(MemorySegment dst) {
        long total = nat.commsTotalBytes(id);
        if (dst == null || dst.byteSize() < total) {
            throw new InvalidArgumentException("readBuffer: destination has " + (dst == null ? "no" : dst.byteSize())
                    + " bytes, the buffer " + total);
        }
        if (dst.isNative()) {
            nat.commsReadBuffer(id, dst, dst.byteSize());
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tmp = a.allocate(total);
                nat.commsReadBuffer(id, tmp, total);
                MemorySegment.copy(tmp, 0, dst, 0, total);
            }
        }
    }

    /** Device of this rank. */
    public int device() {
        return device;
    }

    @Override
    public synchronized void close() {
        boolean first = !closed;
        closed = true;
        try {
            nat.commsDestroy(id);  // a second close: INVALID_STATE from the library
        } finally {
            if (first) {
                staging.close();
            }
        }
    }
}
