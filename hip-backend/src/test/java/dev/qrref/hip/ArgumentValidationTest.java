package dev.qrref.hip;

import dev.qrref.spec.LayoutQuery;

import dev.qrref.spec.Placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Needs the library, not a GPU: bad arguments and calls in the wrong state fail through FFM with the spec's typed
 * exceptions, whose messages name the function, the status and the arguments, before anything touches a GPU.
 */
class ArgumentValidationTest {

    private static GpuBackend backend(QrNative nat) {
        return new GpuBackend(nat, 0, Placement.AUTO);
    }

    @Test
    void initRejectsBadWorldSizeRankAndMaxSizeBeforeTouchingTheGpu() {
        QrNative nat = NativeTestSupport.library();
        try (DeviceComms c = backend(nat).newComms(CommsOptions.of(Profile.CUDA))) {
            InvalidArgumentException w = assertThrows(InvalidArgumentException.class, () -> c.init(3, 0, OptionalLong.empty()));
            assertTrue(w.getMessage().startsWith("qr_comms_init(comms="), w.getMessage());
            assertTrue(w.getMessage().contains("world_size=3") && w.getMessage().contains("INVALID_ARGUMENT")
                    && w.getMessage().contains("world size 3 is not supported"), w.getMessage());
            InvalidArgumentException r = assertThrows(InvalidArgumentException.class, () -> c.init(4, 4, OptionalLong.empty()));
            assertTrue(r.getMessage().contains("rank 4 is out of range for world size 4"), r.getMessage());
            assertThrows(InvalidArgumentException.class, () -> c.init(2, -1, OptionalLong.empty()));
            InvalidArgumentException m = assertThrows(InvalidArgumentException.class, () -> c.init(2, 0, OptionalLong.of(17)));
            assertTrue(m.getMessage().contains("max problem size 17 bytes"), m.getMessage());
            assertThrows(InvalidArgumentException.class, () -> c.init(2, 0, OptionalLong.of((1L << 31) + 16)));
            assertEquals(CommsState.CREATED, c.status());
        }
    }

    @Test
    void callsInTheWrongStateAreInvalidState() {
        QrNative nat = NativeTestSupport.library();
        DeviceComms c = backend(nat).newComms(CommsOptions.of(Profile.CUDA));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64);
            InvalidStateException before = assertThrows(InvalidStateException.class,
                    () -> c.allreduce(s, s, 16, DType.FP16, QuantLevel.INT4, false));
            assertTrue(before.getMessage().contains("qr_comms_allreduce") && before.getMessage().contains("INVALID_STATE"),
                    before.getMessage());
            assertThrows(InvalidStateException.class, c::handle);
            assertThrows(InvalidStateException.class, () -> c.readBuffer(s));
            c.close();
            assertEquals(CommsState.CLOSED, c.status());
            InvalidStateException after = assertThrows(InvalidStateException.class,
                    () -> c.allreduce(s, s, 16, DType.FP16, QuantLevel.INT4, false));
            assertTrue(after.getMessage().contains("not live"), after.getMessage());
            assertThrows(InvalidStateException.class, () -> c.init(2, 0, OptionalLong.empty()));
            InvalidStateException twice = assertThrows(InvalidStateException.class, c::close);
            assertTrue(twice.getMessage().contains("qr_comms_destroy"), twice.getMessage());
        }
    }

    @Test
    void elementCountsAndSegmentsAreCheckedBeforeAnyCopy() {
        QrNative nat = NativeTestSupport.library();
        try (DeviceComms c = backend(nat).newComms(CommsOptions.of(Profile.CUDA)); Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(64);
            assertThrows(InvalidArgumentException.class, () -> c.allreduce(s, s, 12, DType.FP16, QuantLevel.F16, false));
            assertThrows(InvalidArgumentException.class, () -> c.allreduce(s, s, 0, DType.FP16, QuantLevel.F16, false));
            assertThrows(InvalidArgumentException.class, () -> c.allreduce(s, s, 40, DType.FP16, QuantLevel.F16, false));
            assertThrows(InvalidArgumentException.class, () -> c.allreduce(null, s, 8, DType.FP16, QuantLevel.F16, false));
            assertThrows(InvalidArgumentException.class, () -> c.allreduce(s, s.asReadOnly(), 8, DType.FP16, QuantLevel.F16, false));
        }
    }

    @Test
    void optionsAndLayoutQueriesAreValidatedNatively() {
        QrNative nat = NativeTestSupport.library();
        QrException blocks = assertThrows(InvalidArgumentException.class, () -> nat.commsCreate(0, Profile.CUDA, 70000, 1));
        assertTrue(blocks.getMessage().contains("max blocks 70000"), blocks.getMessage());
        assertThrows(InvalidArgumentException.class, () -> nat.commsCreate(0, Profile.CUDA, 0, 0));
        assertThrows(InvalidArgumentException.class, () -> nat.commsCreate(-1, Profile.CUDA, 0, 1));
        assertThrows(InvalidArgumentException.class, () -> nat.layoutQuery(6, 1, 16, LayoutQuery.TOTAL_BYTES));
        assertThrows(InvalidArgumentException.class, () -> nat.layoutQuery(2, 0, 16, LayoutQuery.TOTAL_BYTES));
        assertThrows(InvalidArgumentException.class, () -> nat.layoutQuery(2, 1, 24, LayoutQuery.TOTAL_BYTES));
        InvalidStateException dead = assertThrows(InvalidStateException.class, () -> nat.commsDestroy(Long.MAX_VALUE));
        assertTrue(dead.getMessage().contains("not live"), dead.getMessage());
        InvalidStateException group = assertThrows(InvalidStateException.class, () -> nat.groupMaxBlocks(12345678));
        assertTrue(group.getMessage().contains("qr_group_max_blocks"), group.getMessage());
        assertThrows(InvalidArgumentException.class,
                () -> new CommsOptions(Profile.CUDA, 0, Duration.ZERO));
    }
}
