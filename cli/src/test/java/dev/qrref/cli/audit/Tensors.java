package dev.qrref.cli.audit;

import dev.qrref.cli.data.Parallel;
import dev.qrref.conformance.Listener;
import dev.qrref.cpu.CpuBackend;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Hand-built rank tensors for the audit tests, and a way to audit them in-process. */
final class Tensors {
    static final ValueLayout.OfShort LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Tensors() {
    }

    /** Element index of member {@code m} of the even group of 64-element span {@code span} (tile 0, atom 0). */
    static int even(int span, int m) {
        return 64 * span + 2 * m;
    }

    static short[][] filled(int w, int n, int bits) {
        short[][] t = new short[w][n];
        for (short[] r : t) {
            java.util.Arrays.fill(r, (short) bits);
        }
        return t;
    }

    static AuditReport audit(short[][] ranks, DType dtype, boolean cast, List<QuantLevel> codecs, List<Profile> profiles) {
        return audit(ranks, dtype, cast, codecs, profiles, 5, 1, 32);
    }

    static AuditReport audit(short[][] ranks, DType dtype, boolean cast, List<QuantLevel> codecs, List<Profile> profiles, int keep,
                             int threads, int chunkTiles) {
        try (Arena arena = Arena.ofShared(); Parallel p = new Parallel(threads)) {
            List<MemorySegment> segs = new ArrayList<>();
            for (short[] r : ranks) {
                MemorySegment s = arena.allocate(2L * r.length, 16);
                MemorySegment.copy(r, 0, s, LE, 0, r.length);
                segs.add(s);
            }
            AuditInput in = new AuditInput(ranks.length, dtype, List.of(new AuditInput.Call("", segs, ranks[0].length)), "test tensors");
            Auditor.Options o = new Auditor.Options(codecs, profiles, DataPath.of(dtype, cast), 20, keep, chunkTiles);
            return Auditor.run(in, o, Listener.SILENT, p, new CpuBackend(threads));
        }
    }

    /** {phase-1 groups, phase-1 elements, phase-1 spread, phase-2 groups, phase-2 elements, phase-2 spread, groups, elements}. */
    static long[] counts(HazardTally t) {
        return new long[]{t.groups(1), t.elements(1), t.spread(1), t.groups(2), t.elements(2), t.spread(2), t.groups(), t.elements()};
    }
}
