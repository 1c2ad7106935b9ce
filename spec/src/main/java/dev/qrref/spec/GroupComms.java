package dev.qrref.spec;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * All W ranks of a group driven by one call from one thread: inputs per rank in, outputs per rank out. On the CPU model
 * the ranks run phase by phase (deterministic, parallel over ranks and blocks); on a GPU they run as W streams on one
 * device (every rank's grid resident at once) or on W devices.
 *
 * <p>Errors as {@link DeviceComms}; additionally {@link InvalidArgumentException} when the number of inputs or outputs is
 * not W.
 */
public interface GroupComms extends AutoCloseable {

    int worldSize();

    Profile profile();

    /** The layout of every rank's buffer (the same for all ranks). */
    BufferLayout layout();

    /** One all-reduce over all ranks: {@code outputs.get(r)} receives rank r's result. */
    void allreduce(List<MemorySegment> inputs, List<MemorySegment> outputs, long n, DType dtype, QuantLevel quantLevel,
                   boolean castBf16ToFp16);

    /** Copies rank {@code rank}'s communication buffer into {@code dst}. */
    void readBuffer(int rank, MemorySegment dst);

    @Override
    void close();
}
