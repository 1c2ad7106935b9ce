package dev.qrref.cpu.protocol;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.FlagScheme;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One rank's communication buffer, laid out exactly as on the GPU ({@link BufferLayout}). Flags are accessed with
 * release stores and acquire loads, as the kernel does at system scope (rule FLAG-3), so ranks running as threads see
 * slot data written before a flag they observed.
 */
public final class CommBuffer {
    private static final VarHandle WORD = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private final BufferLayout layout;
    private final MemorySegment segment;

    /** Allocates a zeroed buffer in {@code arena} and sets every block counter to its initial value. */
    public CommBuffer(BufferLayout layout, Arena arena) {
        this(layout, ZeroedMemory.allocate(arena, layout.totalBytes(), BufferLayout.DATA_ALIGNMENT));
        initCounters();
    }

    private CommBuffer(BufferLayout layout, MemorySegment segment) {
        if (segment.byteSize() < layout.totalBytes()) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is smaller than the layout's "
                    + layout.totalBytes());
        }
        this.layout = layout;
        this.segment = segment;
    }

    /**
     * A buffer over memory that is already zeroed and owned elsewhere (a shared file mapping): its owner calls
     * {@link #initCounters()} once; peers that open it do not.
     */
    public static CommBuffer wrap(BufferLayout layout, MemorySegment segment) {
        return new CommBuffer(layout, segment);
    }

    /** Sets every block counter to its initial value (FLAG-1); the owner does this once at init. */
    public void initCounters() {
        // one bulk copy and a release fence instead of a release store per block (1216 per rank by default)
        int[] initial = new int[layout.maxBlocks()];
        java.util.Arrays.fill(initial, FlagScheme.INITIAL_COUNTER);
        MemorySegment.copy(initial, 0, segment, ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN), layout.countersOffset(),
                initial.length);
        VarHandle.releaseFence();
    }

    public BufferLayout layout() {
        return layout;
    }

    public MemorySegment segment() {
        return segment;
    }

    public int flagAcquire(Phase phase, int block, int sender) {
        return (int) WORD.getAcquire(segment, layout.flagOffset(phase, block, sender));
    }

    public void flagRelease(Phase phase, int block, int sender, int colour) {
        WORD.setRelease(segment, layout.flagOffset(phase, block, sender), colour);
    }

    /** Block counters are only touched by the owning rank's block, at call start and end. */
    public int counter(int block) {
        return (int) WORD.getAcquire(segment, layout.counterOffset(block));
    }

    public void setCounter(int block, int value) {
        WORD.setRelease(segment, layout.counterOffset(block), value);
    }

    /** Copies the whole buffer into {@code dst}. */
    public void copyTo(MemorySegment dst) {
        MemorySegment.copy(segment, 0, dst, 0, layout.totalBytes());
    }
}
