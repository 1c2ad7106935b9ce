package dev.qrref.conformance;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.GroupComms;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One case executed on one backend: every rank's output (with {@link #PAD} sentinel elements past N, to see stray
 * stores), and optionally every rank's communication buffer.
 *
 * @param spec    the case
 * @param inputs  per-rank inputs
 * @param outputs per-rank outputs, {@code n + PAD} elements each
 * @param buffers per-rank buffer bytes, or null
 * @param layout  the buffer layout the backend used
 * @param seconds wall time of the all-reduce call
 */
public record CaseRun(CaseSpec spec, short[][] inputs, short[][] outputs, byte[][] buffers, BufferLayout layout, double seconds) {

    /** Elements past N each output carries, pre-filled with {@link #SENTINEL}. */
    public static final int PAD = 64;
    public static final short SENTINEL = 0x5A5A;

    /** Runs {@code spec} on a fresh group of {@code target}. */
    public static CaseRun execute(Target target, CaseSpec spec, short[][] inputs, boolean withBuffers) {
        long n = spec.n();
        long maxBytes = Math.max(16, (2 * n + 15) / 16 * 16);
        try (GroupComms g = target.group(spec.worldSize(), maxBytes, spec.profile(), spec.maxBlocks())) {
            return execute(g, spec, inputs, withBuffers);
        }
    }

    /** Runs {@code spec} on an existing group (its buffers keep their history). */
    public static CaseRun execute(GroupComms g, CaseSpec spec, short[][] inputs, boolean withBuffers) {
        int w = spec.worldSize();
        int n = (int) spec.n();
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                MemorySegment in = arena.allocate(2L * n, 16);
                MemorySegment.copy(inputs[r], 0, in, ValueLayout.JAVA_SHORT_UNALIGNED, 0, n);
                ins.add(in);
                MemorySegment out = arena.allocate(2L * (n + PAD), 16);
                out.fill((byte) (SENTINEL & 0xFF));
                outs.add(out);
            }
            long t0 = System.nanoTime();
            g.allreduce(ins, outs, n, spec.path().dtype, spec.level(), spec.path().casts());
            double seconds = (System.nanoTime() - t0) / 1e9;
            short[][] outputs = new short[w][n + PAD];
            for (int r = 0; r < w; r++) {
                MemorySegment.copy(outs.get(r), ValueLayout.JAVA_SHORT_UNALIGNED, 0, outputs[r], 0, n + PAD);
            }
            byte[][] buffers = withBuffers ? readBuffers(g) : null;
            return new CaseRun(spec, inputs, outputs, buffers, g.layout(), seconds);
        }
    }

    public static byte[][] readBuffers(GroupComms g) {
        int w = g.worldSize();
        byte[][] out = new byte[w][];
        long size = g.layout().totalBytes();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("buffer of " + size + " bytes is too large to compare in memory");
        }
        for (int r = 0; r < w; r++) {
            byte[] b = new byte[(int) size];
            g.readBuffer(r, MemorySegment.ofArray(b));
            out[r] = b;
        }
        return out;
    }
}
