package dev.qrref.spec;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalLong;

/**
 * One rank of a QuickReduce group, shaped like the seed's {@code quickreduce::DeviceComms}. Both backends implement it:
 * the CPU model (ranks are threads of one JVM, buffers are host memory, flags are real acquire/release words) and the
 * GPU backend (ranks are streams or processes, buffers are device memory exchanged through IPC handles).
 *
 * <h2>Lifecycle and error contract (rule API-2)</h2>
 * <ol>
 *   <li>{@link #init} once: allocates the buffer, zeroes the flags, sets the block counters to 1. Errors:
 *       {@link InvalidArgumentException} for a world size outside {2, 4, 8}, a rank outside {@code 0..W-1}, or a max
 *       problem size that is not a multiple of 16 in {@code [16, 2^31]}; {@link InvalidStateException} when called twice.</li>
 *   <li>{@link #handle()} exports this rank's buffer; {@link #openIpcHandles} takes all W handles in rank order (this
 *       rank's own included). Errors: wrong count or a foreign/unknown handle → {@link InvalidArgumentException}.</li>
 *   <li>{@link #allreduce} is collective: every rank must call it with the same {@code n}, dtype, codec and cast.
 *       Errors: {@link InvalidArgumentException} for {@code n <= 0}, {@code n % 8 != 0}, {@code 2n} above the max problem
 *       size, segments shorter than {@code 2n} bytes; {@link InvalidStateException} before the handles are opened or
 *       after close; {@link PeerTimeoutException} when a peer does not arrive within the wait timeout (the communicator
 *       is {@link CommsState#BROKEN} afterwards).</li>
 *   <li>{@link #close()} frees everything; a second close throws {@link InvalidStateException}.</li>
 * </ol>
 * Input and output are host segments of {@code n} 16-bit values, little-endian; they may be the same segment.
 */
public interface DeviceComms extends AutoCloseable {

    /** Allocates this rank's buffer; {@code maxProblemBytes} empty means the 2 GiB default. */
    void init(int worldSize, int rank, OptionalLong maxProblemBytes);

    /** This rank's buffer handle, to be sent to every peer. */
    IpcHandle handle();

    /** Opens the buffers of all ranks; {@code handles.get(r)} is rank r's handle. */
    void openIpcHandles(List<IpcHandle> handles);

    /** One collective all-reduce of {@code n} elements. */
    void allreduce(MemorySegment input, MemorySegment output, long n, DType dtype, QuantLevel quantLevel, boolean castBf16ToFp16);

    int worldSize();

    int rank();

    CommsState status();

    /** The numerics profile this communicator follows. */
    Profile profile();

    /** The layout of this rank's buffer (available after {@link #init}). */
    BufferLayout layout();

    /** Copies this rank's whole communication buffer ({@code layout().totalBytes()} bytes) into {@code dst}. */
    void readBuffer(MemorySegment dst);

    @Override
    void close();
}
