package dev.qrref.spec;

/**
 * What {@code qr_layout_query} of the C ABI answers ({@code QR_LAYOUT_*}): the buffer-layout quantities of
 * {@link BufferLayout}, computed by the library from the same generated formulas ({@link LayoutFormulas}), so that a test
 * can compare what the kernels were compiled with.
 */
public enum LayoutQuery {
    FLAG_BYTES(0),
    COUNTERS_OFFSET(1),
    DATA_OFFSET(2),
    TOUCHED_BLOCKS(3),
    PHASE_BYTES(4),
    PHASE2_OFFSET(5),
    TOTAL_BYTES(6);

    /** The integer the C ABI uses. */
    public final int code;

    LayoutQuery(int code) {
        this.code = code;
    }

    /** The value of this quantity for {@code layout}, as the spec computes it. */
    public long of(BufferLayout layout) {
        return switch (this) {
            case FLAG_BYTES -> layout.flagBytes();
            case COUNTERS_OFFSET -> layout.countersOffset();
            case DATA_OFFSET -> layout.dataOffset();
            case TOUCHED_BLOCKS -> layout.touchedBlocks();
            case PHASE_BYTES -> layout.phaseBytes();
            case PHASE2_OFFSET -> layout.phaseOffset(BufferLayout.Phase.TWO);
            case TOTAL_BYTES -> layout.totalBytes();
        };
    }
}
