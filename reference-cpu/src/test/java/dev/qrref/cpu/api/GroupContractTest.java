package dev.qrref.cpu.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The group API case by case (rule API-3 plus the list arguments): accessors, every argument error of
 * {@code allreduce} and {@code readBuffer}, segments the pool threads cannot touch, and the backend's own
 * description.
 */
class GroupContractTest {
    private static final long MAX = 1 << 16;

    private static GroupComms group(int threads, int w, Profile p) {
        return group(threads, w, p, MAX);
    }

    private static GroupComms group(int threads, int w, Profile p, long maxBytes) {
        return new CpuBackend(threads).newGroup(w, maxBytes, CommsOptions.of(p).withMaxBlocks(3));
    }

    @Test
    void backendDescribesItself() {
        CpuBackend b = new CpuBackend(3);
        assertEquals("cpu", b.name());
        assertEquals(EnumSet.allOf(Profile.class), b.profiles());
        assertEquals(Profile.CUDA, b.defaultProfile());
        assertEquals(3, b.threads());
        assertTrue(b.describe().contains(", 3 thread(s), Java "), b.describe());
        for (int t : new int[]{1, 0, -2}) {
            assertEquals(1, new CpuBackend(t).threads(), "threads=" + t + " runs on the caller's thread");
        }
    }

    @Test
    void accessorsReportTheGroup() {
        try (GroupComms g = group(1, 4, Profile.CDNA4)) {
            assertEquals(4, g.worldSize());
            assertEquals(Profile.CDNA4, g.profile());
            assertEquals(new BufferLayout(4, 3, MAX), g.layout());
        }
    }

    @Test
    void listAndSegmentArgumentErrors() {
        try (GroupComms g = group(1, 2, Profile.CUDA); Arena arena = Arena.ofConfined()) {
            int n = 64;
            MemorySegment s = arena.allocate(2L * n);
            List<MemorySegment> two = List.of(s, s);
            InvalidArgumentException noIn = assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(null, two, n, DType.FP16, QuantLevel.F16, false));
            assertTrue(noIn.getMessage().contains("got null and 2"), noIn.getMessage());
            InvalidArgumentException noOut = assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(two, null, n, DType.FP16, QuantLevel.F16, false));
            assertTrue(noOut.getMessage().contains("got 2 and null"), noOut.getMessage());
            InvalidArgumentException oneOut = assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(two, List.of(s), n, DType.FP16, QuantLevel.F16, false));
            assertTrue(oneOut.getMessage().contains("got 2 and 1"), oneOut.getMessage());
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(two, two, n, null, QuantLevel.F16, false), "dtype");
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(two, two, n, DType.FP16, null, false), "codec");
            assertThrows(InvalidArgumentException.class, () -> g.allreduce(Arrays.asList(s, null), two, n, DType.FP16, QuantLevel.F16, false),
                    "a null input segment");
            MemorySegment tiny = arena.allocate(16);
            InvalidArgumentException count = assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(List.of(tiny, tiny), List.of(tiny, tiny), 12, DType.FP16, QuantLevel.F16, false));
            assertTrue(count.getMessage().contains("not a multiple of 8"), "the element count is checked first: " + count.getMessage());
            MemorySegment half = arena.allocate(n);
            InvalidArgumentException shortOut = assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(two, List.of(s, half), n, DType.FP16, QuantLevel.F16, false));
            assertTrue(shortOut.getMessage().contains("output[1] segment has 64 bytes, fewer than the 128 bytes of 64 elements"),
                    shortOut.getMessage());
            assertThrows(InvalidArgumentException.class,
                    () -> g.allreduce(two, List.of(s, s.asReadOnly()), n, DType.FP16, QuantLevel.F16, false), "read-only output");
        }
    }

    @Test
    void readOnlyInputsAreAccepted() {
        int n = 2048;
        short[][] in = {Tensors.gaussian(DType.FP16, n, 1, 1.0), Tensors.gaussian(DType.FP16, n, 2, 1.0)};
        try (GroupComms g = group(1, 2, Profile.CUDA); Arena arena = Arena.ofConfined()) {
            short[][] want = GroupRun.run(g, in, n, QuantLevel.INT8, DataPath.FP16);
            List<MemorySegment> ins = List.of(Tensors.segment(arena, in[0]).asReadOnly(), Tensors.segment(arena, in[1]).asReadOnly());
            List<MemorySegment> outs = List.of(arena.allocate(2L * n), arena.allocate(2L * n));
            g.allreduce(ins, outs, n, DType.FP16, QuantLevel.INT8, false);
            for (int r = 0; r < 2; r++) {
                assertArrayEquals(want[r], Tensors.array(outs.get(r), n), "rank " + r);
            }
        }
    }

    @Test
    void readBufferChecksRankSizeAndState() {
        GroupComms g = group(1, 2, Profile.CUDA);
        try (Arena arena = Arena.ofConfined()) {
            long bytes = g.layout().totalBytes();
            MemorySegment dst = arena.allocate(bytes);
            assertThrows(InvalidArgumentException.class, () -> g.readBuffer(2, dst), "rank 2 of W=2");
            assertThrows(InvalidArgumentException.class, () -> g.readBuffer(-1, dst), "rank -1");
            InvalidArgumentException small = assertThrows(InvalidArgumentException.class, () -> g.readBuffer(0, dst.asSlice(0, bytes - 4)));
            assertTrue(small.getMessage().contains(Long.toString(bytes)), small.getMessage());
            g.readBuffer(1, dst);
            g.close();
            assertThrows(InvalidStateException.class, () -> g.readBuffer(0, dst), "after close");
        }
    }

    @Test
    void segmentsConfinedToTheCallerWorkOnAMultiThreadedBackend() {
        // the pool's threads cannot touch a confined segment: such a call must run on the calling thread, same bits
        int w = 4;
        int n = 3 * 16384 + 8;
        short[][] in = new short[w][];
        for (int r = 0; r < w; r++) {
            in[r] = Tensors.withSpecials(DType.BF16, n, 40 + r);
        }
        try (GroupComms shared = group(2, w, Profile.CDNA3, 2L * n); GroupComms confined = group(2, w, Profile.CDNA3, 2L * n)) {
            short[][] want = GroupRun.run(shared, in, n, QuantLevel.INT6, DataPath.BF16_CAST);
            for (int variant = 0; variant < 2; variant++) {
                try (Arena own = Arena.ofConfined(); Arena other = Arena.ofShared()) {
                    List<MemorySegment> ins = new ArrayList<>();
                    List<MemorySegment> outs = new ArrayList<>();
                    for (int r = 0; r < w; r++) {
                        // variant 0: confined inputs; variant 1: confined outputs
                        ins.add(Tensors.segment(variant == 0 ? own : other, in[r]));
                        outs.add((variant == 1 ? own : other).allocate(2L * n));
                    }
                    confined.allreduce(ins, outs, n, DType.BF16, QuantLevel.INT6, true);
                    for (int r = 0; r < w; r++) {
                        assertArrayEquals(want[r], Tensors.array(outs.get(r), n), "variant " + variant + " rank " + r);
                    }
                }
            }
        }
    }
}
