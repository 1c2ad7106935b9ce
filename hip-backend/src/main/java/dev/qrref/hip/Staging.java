package dev.qrref.hip;

import dev.qrref.spec.InvalidArgumentException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves host segments of a call through device memory: one input and one output buffer, grown on demand. Host segments
 * that are not native (heap arrays) go through a native bounce segment, since the runtime copies from addresses.
 */
final class Staging implements AutoCloseable {
    private final QrNative nat;
    private final int device;
    private DeviceBuffer in;
    private DeviceBuffer out;
    private Arena bounceArena;
    private MemorySegment bounce;

    Staging(QrNative nat, int device) {
        this.nat = nat;
        this.device = device;
    }

    MemorySegment input() {
        return in.address();
    }

    MemorySegment output() {
        return out.address();
    }

    /** Makes room for {@code bytes} and uploads {@code host}. */
    void upload(MemorySegment host, long bytes) {
        if (in == null || in.bytes() < bytes) {
            if (in != null) {
                in.close();
                out.close();
            }
            in = new DeviceBuffer(nat, device, bytes);
            out = new DeviceBuffer(nat, device, bytes);
        }
        in.upload(nativeView(host, bytes, true), bytes);
    }

    void download(MemorySegment host, long bytes) {
        if (host.isNative()) {
            out.download(host, bytes);
        } else {
            MemorySegment b = bounce(bytes);
            out.download(b, bytes);
            MemorySegment.copy(b, 0, host, 0, bytes);
        }
    }

    private MemorySegment nativeView(MemorySegment host, long bytes, boolean copyIn) {
        if (host.isNative()) {
            return host;
        }
        MemorySegment b = bounce(bytes);
        if (copyIn) {
            MemorySegment.copy(host, 0, b, 0, bytes);
        }
        return b;
    }

    private MemorySegment bounce(long bytes) {
        if (bounce == null || bounce.byteSize() < bytes) {
            if (bounceArena != null) {
                bounceArena.close();
            }
            bounceArena = Arena.ofShared();
            bounce = bounceArena.allocate(bytes, ValueLayout.JAVA_LONG.byteAlignment());
        }
        return bounce;
    }

    @Override
    public void close() {
        if (in != null) {
            in.close();
            out.close();
            in = null;
            out = null;
        }
        if (bounceArena != null) {
            bounceArena.close();
            bounceArena = null;
            bounce = null;
        }
    }
}
