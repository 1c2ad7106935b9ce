package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.FlagScheme;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.PeerTimeoutException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The protocol's own guards, below the backend API: a call plan checks its element count, a new buffer is zero except
 * for its block counters, a wrapped one must be large enough, the group driver refuses ranks whose counters disagree,
 * and a flag wait that runs out names the flag it waited for.
 */
class ProtocolGuardsTest {
    private static final NumericsProfile CUDA = NumericsProfile.of(Profile.CUDA);

    @Test
    void callPlanChecksTheElementCount() {
        BufferLayout l = new BufferLayout(2, 4, 1 << 16);
        for (long n : new long[]{0, -8, 12, (1 << 15) + 8}) {
            assertThrows(InvalidArgumentException.class, () -> CallPlan.of(l, n, QuantLevel.INT4, DataPath.FP16, CUDA), "n=" + n);
        }
        CallPlan p = CallPlan.of(l, 1 << 15, QuantLevel.INT4, DataPath.FP16, CUDA);
        assertEquals(2, p.numTiles());
        assertEquals(2, p.grid());
    }

    @Test
    void aNewBufferIsZeroExceptItsBlockCounters() {
        for (int maxBlocks : new int[]{1, 5, 64}) {
            BufferLayout l = new BufferLayout(4, maxBlocks, 1 << 16);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = new CommBuffer(l, arena).segment();
                assertEquals(l.totalBytes(), s.byteSize());
                for (long off = 0; off < s.byteSize(); off += 4) {
                    boolean counter = off >= l.counterOffset(0) && off < l.counterOffset(maxBlocks);
                    assertEquals(counter ? FlagScheme.INITIAL_COUNTER : 0, s.get(ValueLayout.JAVA_INT_UNALIGNED, off),
                            "maxBlocks=" + maxBlocks + " word at byte " + off);
                }
            }
        }
    }

    @Test
    void wrapChecksTheSegmentSizeAndLeavesTheMemoryAsItIs() {
        BufferLayout l = new BufferLayout(2, 3, 1 << 16);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(l.totalBytes() - 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommBuffer.wrap(l, small));
            assertTrue(e.getMessage().contains(Long.toString(l.totalBytes())), e.getMessage());
            MemorySegment exact = arena.allocate(l.totalBytes());
            CommBuffer b = CommBuffer.wrap(l, exact);
            assertSame(l, b.layout());
            assertSame(exact, b.segment());
            assertEquals(0, b.counter(0), "a peer's view: wrap does not touch the counters");
            b.initCounters();
            assertEquals(FlagScheme.INITIAL_COUNTER, b.counter(2));
        }
    }

    @Test
    void theGroupDriverRefusesRanksWhoseCountersDisagree() {
        int w = 4;
        int n = 3 * 16384;
        BufferLayout l = new BufferLayout(w, 3, 2L * n);
        CallPlan plan = CallPlan.of(l, n, QuantLevel.F16, DataPath.FP16, CUDA);
        try (Arena arena = Arena.ofConfined()) {
            CommBuffer[] buffers = new CommBuffer[w];
            MemorySegment[] in = new MemorySegment[w];
            MemorySegment[] out = new MemorySegment[w];
            for (int r = 0; r < w; r++) {
                buffers[r] = new CommBuffer(l, arena);
                in[r] = arena.allocate(2L * n);
                out[r] = arena.allocate(2L * n);
            }
            buffers[2].setCounter(1, FlagScheme.INITIAL_COUNTER + 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> GroupAllReduce.run(plan, buffers, in, out, null));
            assertTrue(e.getMessage().contains("block 1 counters differ between rank 0 and rank 2"), e.getMessage());
            // with the counters agreeing again the same call runs and advances every counter by the block's iterations
            buffers[2].setCounter(1, FlagScheme.INITIAL_COUNTER);
            GroupAllReduce.run(plan, buffers, in, out, null);
            for (CommBuffer b : buffers) {
                for (int block = 0; block < 3; block++) {
                    assertEquals(FlagScheme.INITIAL_COUNTER + 1, b.counter(block), "block " + block);
                }
            }
        }
    }

    @Test
    void aWaitThatRunsOutNamesTheFlag() {
        BufferLayout l = new BufferLayout(4, 2, 1 << 16);
        SpinWaiter waiter = new SpinWaiter(Duration.ofMillis(20));
        try (Arena arena = Arena.ofConfined()) {
            CommBuffer b = new CommBuffer(l, arena);
            b.flagRelease(Phase.TWO, 1, 3, 9);
            waiter.await(b, 0, Phase.TWO, 1, 3, 9); // already set: returns
            PeerTimeoutException one = assertThrows(PeerTimeoutException.class, () -> waiter.await(b, 2, Phase.ONE, 1, 3, 9));
            assertTrue(one.getMessage().startsWith("rank 2 block 1: phase-1 flag of sender 3 still holds 0, expected colour 9 after 20 ms"),
                    one.getMessage());
            PeerTimeoutException two = assertThrows(PeerTimeoutException.class, () -> waiter.await(b, 2, Phase.TWO, 1, 3, 10));
            assertTrue(two.getMessage().startsWith("rank 2 block 1: phase-2 flag of sender 3 still holds 9, expected colour 10"),
                    two.getMessage());
        }
    }
}
