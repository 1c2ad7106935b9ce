package dev.qrref.hip;

import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import java.lang.foreign.MemorySegment;

/** Device memory owned by this object; {@link #close()} frees it (a second close throws). */
public final class DeviceBuffer implements AutoCloseable {
    private final QrNative nat;
    private final int device;
    private final long bytes;
    private MemorySegment address;

    public DeviceBuffer(QrNative nat, int device, long bytes) {
        if (bytes <= 0) {
            throw new InvalidArgumentException("device buffer of " + bytes + " bytes: the size must be positive");
        }
        this.nat = nat;
        this.device = device;
        this.bytes = bytes;
        this.address = nat.alloc(device, bytes);
    }

    public int device() {
        return device;
    }

    public long bytes() {
        return bytes;
    }

    /** The device address (a zero-length segment: never dereference it on the host). */
    public MemorySegment address() {
        if (address == null) {
            throw new InvalidStateException("device buffer of " + bytes + " bytes is closed");
        }
        return address;
    }

    /** Copies {@code count} bytes from host memory into this buffer. */
    public void upload(MemorySegment host, long count) {
        checkRange(count);
        nat.h2d(device, address(), host, count);
    }

    /** Copies {@code count} bytes of this buffer into host memory. */
    public void download(MemorySegment host, long count) {
        checkRange(count);
        nat.d2h(device, host, address(), count);
    }

    private void checkRange(long count) {
        if (count < 0 || count > bytes) {
            throw new InvalidArgumentException("copy of " + count + " bytes does not fit a device buffer of " + bytes + " bytes");
        }
    }

    @Override
    public void close() {
        if (address == null) {
            throw new InvalidStateException("device buffer of " + bytes + " bytes is already closed");
        }
        MemorySegment a = address;
        address = null;
        nat.free(device, a);
    }
}
