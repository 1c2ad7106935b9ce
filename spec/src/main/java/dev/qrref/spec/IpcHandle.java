package dev.qrref.spec;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An opaque handle to one rank's communication buffer, exchanged between ranks before {@link DeviceComms#openIpcHandles}.
 * On a GPU it holds a {@code cudaIpcMemHandle_t}/{@code hipIpcMemHandle_t}; the CPU model uses it to name a buffer
 * inside one JVM.
 */
public record IpcHandle(byte[] bytes) {
    /** Size of {@code cudaIpcMemHandle_t} and {@code hipIpcMemHandle_t}. */
    public static final int BYTES = 64;

    public IpcHandle {
        if (bytes == null || bytes.length != BYTES) {
            throw new InvalidArgumentException("an IPC handle has " + BYTES + " bytes, got " + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpcHandle h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "IpcHandle[" + HexFormat.of().formatHex(bytes, 0, 16) + "…]";
    }
}
