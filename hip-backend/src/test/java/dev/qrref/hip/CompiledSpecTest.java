package dev.qrref.hip;

import dev.qrref.spec.LayoutQuery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.Constant;
import dev.qrref.spec.Constants;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Needs the library, not a GPU: the constants and the buffer-layout arithmetic compiled into libqr equal the spec's.
 */
class CompiledSpecTest {

    @Test
    void everySpecConstantIsCompiledWithTheSpecValue() {
        QrNative nat = NativeTestSupport.library();
        Map<String, Long> compiled = new HashMap<>();
        for (int i = 0; i < nat.specConstantCount(); i++) {
            Map.Entry<String, Long> e = nat.specConstantAt(i);
            compiled.put(e.getKey(), e.getValue());
        }
        for (Constant c : Constants.all()) {
            assertTrue(compiled.containsKey(c.name()), "libqr lacks " + c.name() + ": rebuild after ./qr gen-header");
            assertEquals(c.value(), (long) compiled.get(c.name()), c.name() + ": libqr was compiled with a stale qr_spec.h");
            assertEquals(c.value(), nat.specConstant(c.name()), c.name());
        }
        assertEquals(Constants.all().size(), compiled.size(), "libqr has constants the spec does not: " + compiled.keySet());
    }

    @Test
    void bufferLayoutArithmeticMatchesTheSpec() {
        QrNative nat = NativeTestSupport.library();
        long[] sizes = {16, 32768, 32784, 1L << 20, 33554432, 1L << 31};
        int[] blocks = {1, 2, 66, 132, 1216, 65536};
        for (int w : Geometry.WORLD_SIZES) {
            for (int mb : blocks) {
                for (long max : sizes) {
                    BufferLayout l = new BufferLayout(w, mb, max);
                    String at = "W=" + w + " maxBlocks=" + mb + " max=" + max;
                    assertEquals(l.flagBytes(), nat.layoutQuery(w, mb, max, LayoutQuery.FLAG_BYTES), at);
                    assertEquals(l.countersOffset(), nat.layoutQuery(w, mb, max, LayoutQuery.COUNTERS_OFFSET), at);
                    assertEquals(l.dataOffset(), nat.layoutQuery(w, mb, max, LayoutQuery.DATA_OFFSET), at);
                    assertEquals(l.touchedBlocks(), nat.layoutQuery(w, mb, max, LayoutQuery.TOUCHED_BLOCKS), at);
                    assertEquals(l.phaseBytes(), nat.layoutQuery(w, mb, max, LayoutQuery.PHASE_BYTES), at);
                    assertEquals(l.phaseOffset(Phase.TWO), nat.layoutQuery(w, mb, max, LayoutQuery.PHASE2_OFFSET), at);
                    assertEquals(l.totalBytes(), nat.layoutQuery(w, mb, max, LayoutQuery.TOTAL_BYTES), at);
                    int last = l.touchedBlocks() - 1;
                    for (QuantLevel q : QuantLevel.values()) {
                        for (int s = 0; s < w; s++) {
                            assertEquals(l.slotOffset(Phase.ONE, q, last, s), nat.slotOffset(w, mb, max, 1, q.code, last, s), at);
                            assertEquals(l.slotOffset(Phase.TWO, q, 0, s), nat.slotOffset(w, mb, max, 2, q.code, 0, s), at);
                        }
                    }
                }
            }
        }
    }

    /** Every ABI code the Java binding passes is the one the library was compiled with (no ordinal crosses the ABI). */
    @Test
    void everyClosedListCodeIsCompiledWithTheSpecCode() {
        QrNative nat = NativeTestSupport.library();
        for (dev.qrref.spec.CommsState s : dev.qrref.spec.CommsState.values()) {
            assertEquals(s.code, nat.specConstant("STATE_" + s.name()), s.toString());
        }
        for (dev.qrref.spec.LayoutQuery q : dev.qrref.spec.LayoutQuery.values()) {
            assertEquals(q.code, nat.specConstant("LAYOUT_" + q.name()), q.toString());
        }
        for (dev.qrref.spec.Placement p : dev.qrref.spec.Placement.values()) {
            assertEquals(p.code, nat.specConstant("GROUP_" + p.name()), p.toString());
        }
        for (QuantLevel q : QuantLevel.values()) {
            assertEquals(q.code, nat.specConstant("QUANT_" + q.name()), q.toString());
        }
        for (Profile p : Profile.values()) {
            assertEquals(p.code, nat.specConstant("PROFILE_" + p.name()), p.toString());
        }
        for (dev.qrref.spec.ArithPolicy a : dev.qrref.spec.ArithPolicy.values()) {
            assertEquals(a.code, nat.specConstant("ARITH_" + a.name()), a.toString());
        }
        for (dev.qrref.spec.Primitive p : dev.qrref.spec.Primitive.values()) {
            assertEquals(p.code, nat.specConstant("PRIM_" + p.name()), p.toString());
        }
    }

    @Test
    void theNvidiaBuildCompilesEveryCombinationAndFollowsCudaNatively() {
        QrNative nat = NativeTestSupport.library();
        assertEquals(QrNative.ABI_VERSION, nat.abiVersion());
        if (nat.platform().equals("cuda")) {
            assertEquals(Profile.CUDA, nat.nativeProfile());
            for (Profile p : Profile.values()) {
                assertTrue(nat.profileSupported(0, p), p + " runs on NVIDIA (cdna3 emulated)");
            }
        }
        // every codec x every world size x (fp16 and cast: native + saturating; bf16: one)
        assertEquals(QuantLevel.values().length * Geometry.WORLD_SIZES.size() * 5, nat.kernelCount());
        assertTrue(nat.kernelName(0).contains("/w2/"), nat.kernelName(0));
    }
}
