package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The protocol model (buffers, slots, flags, packing, tree) against the element-wise definition, on every world size,
 * codec, data path and profile, on Gaussian data with special values and on tail sizes. Every rank must also be
 * identical (RED-5).
 */
class ModelVsElementwiseTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[] sizes = {8, 2040, 16384, 16392, 40000};
        int i = 0;
        for (int w : new int[]{2, 4, 8}) {
            for (QuantLevel q : QuantLevel.values()) {
                for (DataPath p : DataPath.values()) {
                    for (Profile prof : Profile.values()) {
                        out.add(Arguments.of(w, q, p, prof, sizes[i++ % sizes.length]));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "W={0} {1} {2} {3} N={4}")
    @MethodSource("cases")
    void modelEqualsElementwiseDefinition(int w, QuantLevel level, DataPath path, Profile profile, int n) {
        long seed = 1000L * w + 100L * level.code + 10L * path.ordinal() + profile.ordinal() + n;
        short[][] in = new short[w][];
        for (int r = 0; r < w; r++) {
            in[r] = Tensors.withSpecials(path.dtype, n, seed * 31 + r);
        }
        short[] want = ElementwiseModel.allreduce(in, n, level, path, NumericsProfile.of(profile));
        // small grid cap so that blocks run several grid-stride iterations and reuse their slots
        CommsOptions options = CommsOptions.of(profile).withMaxBlocks(2);
        try (Arena arena = Arena.ofShared(); GroupComms g = new CpuBackend(2).newGroup(w, 2L * n + 1024, options)) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                ins.add(Tensors.segment(arena, in[r]));
                outs.add(arena.allocate(2L * n));
            }
            g.allreduce(ins, outs, n, path.dtype, level, path.casts());
            Format16 f = path.dtype.format;
            for (int r = 0; r < w; r++) {
                short[] got = Tensors.array(outs.get(r), n);
                int wrong = 0;
                String first = null;
                for (int e = 0; e < n; e++) {
                    int a = got[e] & 0xFFFF;
                    int b = want[e] & 0xFFFF;
                    boolean same = a == b || (f.isNaN(a) && f.isNaN(b));
                    if (!same) {
                        if (first == null) {
                            first = "rank=" + r + " element=" + e + " " + dev.qrref.spec.Geometry.coordinates(e) + " got="
                                    + Format16.hex(a) + " want=" + Format16.hex(b) + " seed=" + seed;
                        }
                        wrong++;
                    }
                }
                if (wrong > 0) {
                    fail(first + " (" + wrong + " wrong elements)");
                }
            }
        }
    }

    @ParameterizedTest(name = "level {0}")
    @MethodSource("levels")
    void sanityOfTheCaseList(QuantLevel level) {
        assertEquals(level, QuantLevel.fromCode(level.code));
    }

    static Stream<QuantLevel> levels() {
        return Stream.of(QuantLevel.values());
    }
}
