package dev.qrref.spec;

import java.util.List;

/**
 * The communication buffer of one rank (rules BUF-*). Peers write into it; its owner reads from it.
 *
 * <pre>
 * offset 0                       phase-1 flags   W × maxBlocks × uint32   [block][sender]
 * flagBytes                      phase-2 flags   W × maxBlocks × uint32   [block][sender]
 * 2·flagBytes                    block counters  maxBlocks × uint32       (this rank's own; never written by peers)
 * dataOffset (256-aligned)       phase-1 data    touchedBlocks × 8 × 4096 [block][sender][atom]
 * dataOffset + phaseBytes        phase-2 data    same size
 * </pre>
 *
 * <p>Both phase regions sit at fixed offsets that do not depend on the call's grid or codec: the upstream layout that
 * moved phase 2 with {@code gridDim × tileSize} let one call's phase-2 slots overlap the next call's phase-1 slots when
 * sizes changed (the "variable-size race"). Slots are indexed by the physical block ({@code blockIdx.x}), so they are
 * reused across grid-stride iterations; a region therefore only needs room for the blocks that can run:
 * {@code touchedBlocks = min(maxBlocks, ceil(maxProblemBytes / 32768))}, not upstream's 2 × 2 GiB.
 *
 * @param worldSize       W, 2, 4 or 8
 * @param maxBlocks       grid cap (1216 upstream; smaller when W ranks share one GPU)
 * @param maxProblemBytes largest tensor in bytes (multiple of 16, at most 2 GiB)
 */
public record BufferLayout(int worldSize, int maxBlocks, long maxProblemBytes) {

    /** Alignment of the data regions. */
    public static final int DATA_ALIGNMENT = 256;
    /** Largest grid cap accepted (CUDA's grid.x limit is far higher; this bounds the flag regions). */
    public static final int MAX_BLOCKS_LIMIT = 65536;

    /** The two phases; the formulas take the phase as its index (ordinal 0 or 1). */
    public enum Phase {
        /** Reduce-scatter: every rank sends each owner its quantized segment. */
        ONE,
        /** All-gather: every owner sends the re-quantized sum to every rank. */
        TWO
    }

    public BufferLayout {
        Geometry.checkWorldSize(worldSize);
        if (maxBlocks < 1 || maxBlocks > MAX_BLOCKS_LIMIT) {
            throw new InvalidArgumentException("max blocks " + maxBlocks + " is out of range (expected 1.." + MAX_BLOCKS_LIMIT + ")");
        }
        checkMaxProblemBytes(maxProblemBytes);
    }

    /** The layout upstream would use for {@code worldSize} with default grid cap and size. */
    public static BufferLayout defaults(int worldSize) {
        return new BufferLayout(worldSize, Geometry.DEFAULT_MAX_BLOCKS, Geometry.DEFAULT_MAX_PROBLEM_BYTES);
    }

    /** Throws unless {@code 16 <= bytes <= 2^31} and {@code bytes % 16 == 0}. */
    public static void checkMaxProblemBytes(long bytes) {
        if (bytes < Geometry.SIZE_MULTIPLE_BYTES || bytes > Geometry.DEFAULT_MAX_PROBLEM_BYTES
                || bytes % Geometry.SIZE_MULTIPLE_BYTES != 0) {
            throw new InvalidArgumentException("max problem size " + bytes + " bytes is invalid (expected a multiple of "
                    + Geometry.SIZE_MULTIPLE_BYTES + " between " + Geometry.SIZE_MULTIPLE_BYTES + " and "
                    + Geometry.DEFAULT_MAX_PROBLEM_BYTES + ")");
        }
    }

    /** Bytes of one phase's flag array. */
    public long flagBytes() {
        return LayoutFormulas.FLAG_BYTES.eval(worldSize, maxBlocks);
    }

    public long flagsOffset(Phase phase) {
        return LayoutFormulas.FLAGS_OFFSET.eval(worldSize, maxBlocks, phase.ordinal());
    }

    /** Offset of the flag that {@code sender} sets for {@code block} in this (the receiver's) buffer. */
    public long flagOffset(Phase phase, int block, int sender) {
        return flagsOffset(phase) + LayoutFormulas.FLAG_IN_PHASE.eval(worldSize, block, sender);
    }

    public long countersOffset() {
        return LayoutFormulas.COUNTERS_OFFSET.eval(worldSize, maxBlocks);
    }

    public long counterOffset(int block) {
        return countersOffset() + (long) block * FlagScheme.FLAG_WORD_BYTES;
    }

    public long dataOffset() {
        return LayoutFormulas.DATA_OFFSET.eval(worldSize, maxBlocks);
    }

    /** Largest element count a call may have. */
    public long maxElements() {
        return maxProblemBytes / Geometry.ELEMENT_BYTES;
    }

    /** Blocks that can ever run: {@code min(maxBlocks, tiles of the largest problem)}. */
    public int touchedBlocks() {
        return (int) LayoutFormulas.TOUCHED_BLOCKS.eval(maxBlocks, maxProblemBytes);
    }

    /** Bytes of one phase's data region, sized for the largest codec slot. */
    public long phaseBytes() {
        return LayoutFormulas.PHASE_BYTES.eval(maxBlocks, maxProblemBytes);
    }

    public long phaseOffset(Phase phase) {
        return LayoutFormulas.PHASE_OFFSET.eval(worldSize, maxBlocks, maxProblemBytes, phase.ordinal());
    }

    /** Offset of the sub-slot {@code sender} writes for {@code block} in this (the receiver's) buffer. */
    public long slotOffset(Phase phase, QuantLevel codec, int block, int sender) {
        return phaseOffset(phase) + LayoutFormulas.SLOT_IN_PHASE.eval(worldSize, codec.layout().stride(), block, sender);
    }

    /** Total bytes of the buffer. */
    public long totalBytes() {
        return LayoutFormulas.TOTAL_BYTES.eval(worldSize, maxBlocks, maxProblemBytes);
    }

    /** Checks an element count against the size rules (positive, multiple of 8, within the maximum). */
    public void checkElements(long n) {
        CallChecks.elements(this, n);
    }

    static List<Constant> constants() {
        String g = "buffer layout";
        BufferLayout w8 = defaults(8);
        return List.of(
                new Constant("DATA_ALIGNMENT", DATA_ALIGNMENT, 32, "256 bytes", "start of the phase-1 data region", g),
                new Constant("MAX_BLOCKS_LIMIT", MAX_BLOCKS_LIMIT, 32, "65536 blocks", "upper bound on the grid-cap parameter", g),
                new Constant("W8_DEFAULT_DATA_OFFSET", w8.dataOffset(), 64, w8.dataOffset() + " bytes",
                        "align256(2 x 8 x 1216 x 4 + 1216 x 4): example for W=8, default layout", g),
                new Constant("W8_DEFAULT_TOTAL_BYTES", w8.totalBytes(), 64, w8.totalBytes() + " bytes",
                        "dataOffset + 2 x 1216 x 8 x 4096: example for W=8, default layout (upstream: 77824 + 2^32)", g));
    }
}
