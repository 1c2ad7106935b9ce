package dev.qrref.cpu;

import dev.qrref.cpu.protocol.CommBuffer;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU model's stand-in for IPC: a handle names a buffer in this JVM. Handle bytes: 8-byte magic {@code QRCPUIPC},
 * 16 random bytes identifying the JVM, an 8-byte sequence number, zero padding.
 */
final class CpuIpcRegistry {
    private static final byte[] MAGIC = "QRCPUIPC".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JVM_ID = new byte[16];
    private static final AtomicLong NEXT = new AtomicLong(1);
    private static final Map<Long, CommBuffer> BUFFERS = new ConcurrentHashMap<>();

    static {
        new SecureRandom().nextBytes(JVM_ID);
    }

    private CpuIpcRegistry() {
    }

    static IpcHandle register(CommBuffer buffer) {
        long id = NEXT.getAndIncrement();
        BUFFERS.put(id, buffer);
        ByteBuffer b = ByteBuffer.allocate(IpcHandle.BYTES);
        b.put(MAGIC).put(JVM_ID).putLong(id);
        return new IpcHandle(b.array());
    }

    static void unregister(IpcHandle handle) {
        BUFFERS.remove(id(handle));
    }

    static CommBuffer lookup(IpcHandle handle, int rank) {
        CommBuffer b = BUFFERS.get(id(handle));
        if (b == null) {
            throw new InvalidArgumentException("IPC handle of rank " + rank + " does not name a live CPU-model buffer in this JVM "
                    + "(closed, or exported by another process or backend)");
        }
        return b;
    }

    private static long id(IpcHandle handle) {
        byte[] h = handle.bytes();
        if (!Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || !Arrays.equals(h, MAGIC.length, MAGIC.length + JVM_ID.length, JVM_ID, 0, JVM_ID.length)) {
            return -1;
        }
        return ByteBuffer.wrap(h, MAGIC.length + JVM_ID.length, 8).getLong();
    }
}
