package dev.qrref.cpu.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.DeviceException;
import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Status;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-rank lifecycle of rule API-3 case by case: accessors, every argument and state error of {@code init},
 * {@code openIpcHandles}, {@code allreduce}, {@code layout}, {@code readBuffer} and {@code close}, and what a handle
 * names (a file in the shared-memory directory). Every error is checked for its type and, where the message names a
 * number, for that number.
 */
class PerRankContractTest {
    private static final long MAX = 1 << 20;
    private static final String SHM = "qr.cpu.shm";
    private static final CommsOptions OPTIONS = CommsOptions.of(Profile.CUDA).withMaxBlocks(4).withTimeout(Duration.ofMillis(300));

    private static DeviceComms rank(int w, int r, long maxBytes) {
        DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
        c.init(w, r, OptionalLong.of(maxBytes));
        return c;
    }

    /** Runs {@code body} on W initialised ranks (handles not opened), closing every rank that is still open. */
    private static void withRanks(int w, Consumer<List<DeviceComms>> body) {
        List<DeviceComms> ranks = new ArrayList<>();
        try {
            for (int r = 0; r < w; r++) {
                ranks.add(rank(w, r, MAX));
            }
            body.accept(ranks);
        } finally {
            for (DeviceComms c : ranks) {
                if (c.status() != CommsState.CLOSED) {
                    c.close();
                }
            }
        }
    }

    private static List<IpcHandle> handles(List<DeviceComms> ranks) {
        return ranks.stream().map(DeviceComms::handle).toList();
    }

    private static IpcHandle withByteFlipped(IpcHandle h, int index) {
        byte[] b = h.bytes();
        b[index] ^= 0x01;
        return new IpcHandle(b);
    }

    @Test
    void accessorsReportWhatInitWasGiven() {
        DeviceComms c = new CpuBackend(1).newComms(CommsOptions.of(Profile.CDNA3));
        try {
            assertEquals(Profile.CDNA3, c.profile(), "the profile is known before init");
            c.init(4, 3, OptionalLong.of(MAX));
            assertEquals(4, c.worldSize());
            assertEquals(3, c.rank());
            assertEquals(CommsState.INITIALISED, c.status());
            assertEquals(new BufferLayout(4, Geometry.DEFAULT_MAX_BLOCKS, MAX), c.layout(), "maxBlocks 0 = the default grid cap");
        } finally {
            c.close();
        }
    }

    @Test
    void anAbsentMaxProblemSizeMeansTheDefault() {
        // OptionalLong.empty() is the documented way; a null Optional is read the same way instead of failing
        for (OptionalLong absent : new OptionalLong[]{OptionalLong.empty(), null}) {
            DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
            try {
                c.init(2, 0, absent);
                assertEquals(Geometry.DEFAULT_MAX_PROBLEM_BYTES, c.layout().maxProblemBytes());
            } finally {
                c.close();
            }
        }
    }

    @Test
    void layoutAndReadBufferNeedInit() {
        DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(InvalidStateException.class, c::layout);
            assertThrows(InvalidStateException.class, () -> c.readBuffer(arena.allocate(1 << 16)));
        } finally {
            c.close();
        }
    }

    @Test
    void readBufferCopiesTheWholeFreshBufferAndRejectsAShortDestination() {
        DeviceComms c = rank(2, 1, MAX);
        try (Arena arena = Arena.ofConfined()) {
            BufferLayout l = c.layout();
            MemorySegment shortDst = arena.allocate(l.totalBytes() - 1);
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> c.readBuffer(shortDst));
            assertTrue(e.getMessage().contains(Long.toString(l.totalBytes())), e.getMessage());
            MemorySegment dst = arena.allocate(l.totalBytes());
            dst.fill((byte) 0x77);
            c.readBuffer(dst);
            // FLAG-1: a new buffer is all zeros except the maxBlocks block counters, which hold the first colour
            for (long off = 0; off < l.totalBytes(); off += 4) {
                boolean counter = off >= l.counterOffset(0) && off < l.counterOffset(l.maxBlocks());
                assertEquals(counter ? FlagScheme.INITIAL_COUNTER : 0, dst.get(ValueLayout.JAVA_INT_UNALIGNED, off), "word at byte " + off);
            }
        } finally {
            c.close();
        }
    }

    @Test
    void openIpcHandlesRejectsMissingWrongAndMisplacedHandles() {
        withRanks(2, ranks -> {
            DeviceComms a = ranks.get(0);
            IpcHandle own = a.handle();
            IpcHandle peer = ranks.get(1).handle();
            InvalidArgumentException none = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(null));
            assertTrue(none.getMessage().contains("expected 2 IPC handles, got null"), none.getMessage());
            InvalidArgumentException one = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(own)));
            assertTrue(one.getMessage().contains("expected 2 IPC handles, got 1"), one.getMessage());
            assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(peer, own)), "rank order: own handle at 0");
            assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(Arrays.asList(own, null)), "a null peer handle");
            assertEquals(CommsState.INITIALISED, a.status(), "a rejected open changes nothing");
            a.openIpcHandles(List.of(own, peer));
            assertEquals(CommsState.READY, a.status());
            assertThrows(InvalidStateException.class, () -> a.openIpcHandles(List.of(own, peer)), "open once");
        });
    }

    @Test
    void openIpcHandlesBeforeInitIsAStateError() {
        DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
        try {
            assertThrows(InvalidStateException.class, () -> c.openIpcHandles(List.of()));
        } finally {
            c.close();
        }
    }

    @Test
    void peersMustInitWithTheSameLayout() {
        // max problem sizes of one tile and of 32 tiles give buffers of 1 and 4 touched blocks (grid cap 4)
        DeviceComms a = rank(2, 0, MAX);
        DeviceComms b = rank(2, 1, 1 << 15);
        try {
            assertTrue(a.layout().totalBytes() != b.layout().totalBytes());
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), b.handle())));
            assertTrue(e.getMessage().contains("rank 1's buffer was made for world size 2, grid cap 4, max problem size 32768 bytes, "
                    + "this rank's for world size 2, grid cap 4, max problem size 1048576 bytes"), e.getMessage());
            assertEquals(CommsState.INITIALISED, a.status(), "a rejected open changes nothing");
        } finally {
            a.close();
            b.close();
        }
        // 1 MiB and 2 MiB both touch all 4 blocks of the grid cap: buffers of the same size, layouts that differ
        DeviceComms c = rank(2, 0, MAX);
        DeviceComms d = rank(2, 1, 2 * MAX);
        try {
            assertEquals(c.layout().totalBytes(), d.layout().totalBytes());
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> c.openIpcHandles(List.of(c.handle(), d.handle())));
            assertTrue(e.getMessage().contains("max problem size 2097152 bytes, this rank's for"), e.getMessage());
        } finally {
            c.close();
            d.close();
        }
    }

    @Test
    void aForgedHandleNamesNoBuffer() {
        // handle bytes: 8-byte magic, 16 random bytes naming the file, the layout; a change in any is refused
        withRanks(2, ranks -> {
            DeviceComms a = ranks.get(0);
            IpcHandle peer = ranks.get(1).handle();
            for (int index : new int[]{0, 7}) {
                IpcHandle forged = withByteFlipped(peer, index);
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), forged)),
                        "byte " + index + " of the peer's handle changed");
                assertTrue(e.getMessage().contains("is not a CPU-model handle"), e.getMessage());
            }
            for (int index : new int[]{8, 23}) {
                IpcHandle forged = withByteFlipped(peer, index);
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), forged)),
                        "byte " + index + " of the peer's handle changed");
                assertTrue(e.getMessage().contains("names no live CPU-model buffer"), e.getMessage());
            }
            // bytes 24..39 carry the peer's layout (world size, grid cap, max problem size)
            for (int index : new int[]{27, 39}) {
                IpcHandle forged = withByteFlipped(peer, index);
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), forged)),
                        "byte " + index + " of the peer's handle changed");
                assertTrue(e.getMessage().contains("holds no valid buffer layout"), e.getMessage());
            }
            for (int index : new int[]{31, 37}) {
                IpcHandle forged = withByteFlipped(peer, index);
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), forged)),
                        "byte " + index + " of the peer's handle changed");
                assertTrue(e.getMessage().contains("all ranks must init with the same world size, grid cap and max problem size"), e.getMessage());
            }
            a.openIpcHandles(List.of(a.handle(), peer));
            assertEquals(CommsState.READY, a.status(), "the unchanged handle still opens");
        });
    }

    @Test
    void aClosedRanksHandleNamesNoLiveBuffer() {
        withRanks(2, ranks -> {
            DeviceComms a = ranks.get(0);
            IpcHandle peer = ranks.get(1).handle();
            ranks.get(1).close();
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> a.openIpcHandles(List.of(a.handle(), peer)));
            assertTrue(e.getMessage().contains("IPC handle of rank 1 names no live CPU-model buffer"), e.getMessage());
        });
    }

    @Test
    void aBufferIsAFileInTheSharedMemoryDirectoryNamedByTheHandle(@TempDir Path dir) {
        withShmProperty(dir.toString(), () -> {
            DeviceComms c = rank(2, 0, MAX);
            Path file = dir.resolve(fileOf(c.handle()));
            try {
                assertTrue(Files.isRegularFile(file), file + " exists");
                assertEquals(c.layout().totalBytes(), file.toFile().length());
            } finally {
                c.close();
            }
            assertFalse(Files.exists(file), "close deletes " + file);
        });
    }

    @Test
    void closeUnmapsEveryBufferItMapped() throws IOException {
        // a shared-memory file's pages are freed only when its last mapping goes: after close, no mapping of this
        // rank's file or of the peer file it opened may remain in the process (Linux: /proc/self/maps)
        Path maps = Path.of("/proc/self/maps");
        assumeTrue(Files.isReadable(maps), "no /proc/self/maps here");
        List<String> files = new ArrayList<>();
        withRanks(2, ranks -> {
            List<IpcHandle> hs = handles(ranks);
            ranks.forEach(c -> c.openIpcHandles(hs));
            hs.forEach(h -> files.add(fileOf(h)));
        });
        String mapped = Files.readString(maps);
        for (String f : files) {
            assertFalse(mapped.contains(f), f + " is still mapped after close");
        }
    }

    @Test
    void withoutTheDirectoryPropertyBuffersLiveInDevShm() {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm here");
        for (String unset : new String[]{null, "  "}) {
            withShmProperty(unset, () -> {
                DeviceComms c = rank(2, 1, MAX);
                try {
                    assertTrue(Files.isRegularFile(shm.resolve(fileOf(c.handle()))), "property " + (unset == null ? "unset" : "blank"));
                } finally {
                    c.close();
                }
            });
        }
    }

    @Test
    void anUnusableDirectoryIsADeviceErrorThatNamesTheProperty(@TempDir Path dir) {
        withShmProperty(dir.resolve("missing").toString(), () -> {
            DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
            try {
                DeviceException e = assertThrows(DeviceException.class, () -> c.init(2, 0, OptionalLong.of(MAX)));
                assertEquals(Status.OUT_OF_MEMORY, e.status());
                assertTrue(e.getMessage().contains("-Dqr.cpu.shm=DIR"), e.getMessage());
            } finally {
                c.close();
            }
        });
    }

    /** The file name a CPU-model handle names: {@code qr-cpu-} and the hex of handle bytes 8..23. */
    private static String fileOf(IpcHandle h) {
        return "qr-cpu-" + HexFormat.of().formatHex(h.bytes(), 8, 24);
    }

    private static void withShmProperty(String value, Runnable body) {
        String old = System.getProperty(SHM);
        try {
            if (value == null) {
                System.clearProperty(SHM);
            } else {
                System.setProperty(SHM, value);
            }
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(SHM);
            } else {
                System.setProperty(SHM, old);
            }
        }
    }

    @Test
    void closeBeforeInitWorksOnceAndEndsEverything() {
        DeviceComms c = new CpuBackend(1).newComms(OPTIONS);
        c.close();
        assertEquals(CommsState.CLOSED, c.status());
        assertThrows(InvalidStateException.class, c::close);
        assertThrows(InvalidStateException.class, c::layout);
        assertThrows(InvalidStateException.class, () -> c.init(2, 0, OptionalLong.of(MAX)));
    }

    @Test
    void allreduceStateErrorsSayWhatIsMissing() {
        withRanks(2, ranks -> {
            DeviceComms a = ranks.get(0);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(2 * 1024);
                InvalidStateException early = assertThrows(InvalidStateException.class,
                        () -> a.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false));
                assertTrue(early.getMessage().contains("INITIALISED (open the IPC handles first)"), early.getMessage());
                a.close();
                InvalidStateException late = assertThrows(InvalidStateException.class,
                        () -> a.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false));
                assertTrue(late.getMessage().contains("CLOSED"), late.getMessage());
                assertFalse(late.getMessage().contains("open the IPC handles"), late.getMessage());
            }
        });
    }

    @Test
    void allreduceArgumentErrorsComeBeforeAnyWaiting() {
        // rank 0 alone: every rejected call must fail at once with InvalidArgumentException, leaving the rank READY
        withRanks(2, ranks -> {
            DeviceComms a = ranks.get(0);
            List<IpcHandle> hs = handles(ranks);
            a.openIpcHandles(hs);
            try (Arena arena = Arena.ofConfined()) {
                int n = 1024;
                MemorySegment in = arena.allocate(2L * n);
                MemorySegment out = arena.allocate(2L * n);
                MemorySegment tiny = arena.allocate(16);
                assertThrows(InvalidArgumentException.class, () -> a.allreduce(in, out, n, null, QuantLevel.INT4, false), "dtype");
                assertThrows(InvalidArgumentException.class, () -> a.allreduce(in, out, n, DType.FP16, null, false), "codec");
                InvalidArgumentException count = assertThrows(InvalidArgumentException.class,
                        () -> a.allreduce(tiny, tiny, 12, DType.FP16, QuantLevel.INT4, false));
                assertTrue(count.getMessage().contains("not a multiple of 8"), "the element count is checked first: " + count.getMessage());
                assertThrows(InvalidArgumentException.class, () -> a.allreduce(null, out, n, DType.FP16, QuantLevel.INT4, false), "null input");
                InvalidArgumentException shortIn = assertThrows(InvalidArgumentException.class,
                        () -> a.allreduce(in.asSlice(0, 2L * n - 2), out, n, DType.FP16, QuantLevel.INT4, false));
                assertTrue(shortIn.getMessage().contains("input segment has 2046 bytes, fewer than the 2048 bytes of 1024 elements"),
                        shortIn.getMessage());
                InvalidArgumentException shortOut = assertThrows(InvalidArgumentException.class,
                        () -> a.allreduce(in, out.asSlice(0, 2L * n - 2), n, DType.FP16, QuantLevel.INT4, false));
                assertTrue(shortOut.getMessage().startsWith("output segment"), shortOut.getMessage());
                assertThrows(InvalidArgumentException.class,
                        () -> a.allreduce(in, out.asReadOnly(), n, DType.FP16, QuantLevel.INT4, false), "read-only output");
            }
            assertEquals(CommsState.READY, a.status());
        });
    }
}
