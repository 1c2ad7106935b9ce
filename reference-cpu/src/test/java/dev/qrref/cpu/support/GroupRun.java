package dev.qrref.cpu.support;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Runs one group all-reduce on arrays and returns every rank's output (and optionally the buffers). */
public final class GroupRun {
    private GroupRun() {
    }

    public static short[][] run(GroupComms g, short[][] in, int n, QuantLevel level, DataPath path) {
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (short[] v : in) {
                ins.add(Tensors.segment(arena, v));
                outs.add(arena.allocate(2L * n));
            }
            g.allreduce(ins, outs, n, path.dtype, level, path.casts());
            short[][] out = new short[in.length][];
            for (int r = 0; r < in.length; r++) {
                out[r] = Tensors.array(outs.get(r), n);
            }
            return out;
        }
    }

    public static byte[][] buffers(GroupComms g) {
        byte[][] out = new byte[g.worldSize()][];
        for (int r = 0; r < g.worldSize(); r++) {
            MemorySegment s = MemorySegment.ofArray(new byte[(int) g.layout().totalBytes()]);
            g.readBuffer(r, s);
            out[r] = s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
        return out;
    }
}
