package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void fpCodecSumsSmallIntegersExactly() {
        int w = 4;
        long n = 40000;
        try (Arena arena = Arena.ofConfined(); GroupComms g = new CpuBackend(2).newGroup(w, 1 << 20, CommsOptions.of(Profile.CUDA))) {
            List<MemorySegment> in = new ArrayList<>();
            List<MemorySegment> out = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                MemorySegment s = arena.allocate(2 * n);
                for (long i = 0; i < n; i++) {
                    s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) Fp16.fromFloatRne((float) ((i * 7 + r * 3) % 11 - 5)));
                }
                in.add(s);
                out.add(arena.allocate(2 * n));
            }
            g.allreduce(in, out, n, DType.FP16, QuantLevel.F16, false);
            for (int r = 0; r < w; r++) {
                for (long i = 0; i < n; i++) {
                    float want = 0;
                    for (int s = 0; s < w; s++) {
                        want += (float) ((i * 7 + s * 3) % 11 - 5);
                    }
                    assertEquals(want, Fp16.toFloat(out.get(r).getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i)), "rank " + r + " element " + i);
                }
            }
        }
    }
}
