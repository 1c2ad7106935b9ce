package dev.qrref.cli.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cli.data.RandomInputs;
import dev.qrref.cpu.gen.SpecialValues;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The trace equals the model: its bit positions re-pack the codes into exactly the codec's bytes. */
class GroupTraceTest {

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            if (q.kind != QuantLevel.Kind.INTEGER) {
                continue;
            }
            for (DataPath p : DataPath.values()) {
                for (Profile pr : Profile.values()) {
                    out.add(Arguments.of(q, p, pr));
                }
            }
        }
        return out.stream();
    }

    private static void assertTraceMatchesCodec(GroupTrace t) {
        byte[] repacked = t.repackedBlock();
        for (int[] r : t.regions()) {
            assertArrayEquals(Arrays.copyOfRange(t.codecBlock, r[0], r[1]), Arrays.copyOfRange(repacked, r[0], r[1]),
                    t.level + " " + t.path + " bytes " + r[0] + ".." + r[1]);
        }
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void gaussianGroups(QuantLevel q, DataPath p, Profile profile) {
        for (long seed = 1; seed <= 40; seed++) {
            short[] span = new RandomInputs(seed, p.dtype, false).head(0, GroupTrace.SPAN);
            assertTraceMatchesCodec(GroupTrace.of(q, p, profile, span));
        }
    }

    @ParameterizedTest
    @MethodSource("combinations")
    void groupsFullOfSpecialValues(QuantLevel q, DataPath p, Profile profile) {
        int[] table = SpecialValues.of(p.dtype.format);
        SplittableRandom rnd = new SplittableRandom(q.ordinal() * 131L + p.ordinal() * 17L + profile.ordinal());
        for (int k = 0; k < 60; k++) {
            short[] span = new short[GroupTrace.SPAN];
            double scale = Math.scalb(1.0, rnd.nextInt(-30, 20));
            for (int i = 0; i < span.length; i++) {
                span[i] = (short) (rnd.nextInt(4) == 0 ? table[rnd.nextInt(table.length)]
                        : dev.qrref.cli.data.Round16.of(p.dtype, rnd.nextGaussian() * scale));
            }
            if (k % 10 == 0) {
                Arrays.fill(span, (short) 0); // all-zero groups
            }
            assertTraceMatchesCodec(GroupTrace.of(q, p, profile, span));
        }
    }

    @Test
    void everyCodeBitHasExactlyOnePlaceAndNoTwoCodesShareOne() {
        for (QuantLevel q : QuantLevel.values()) {
            if (!q.quantized()) {
                continue;
            }
            Set<String> used = new HashSet<>();
            int bits = q.layout().codeBits();
            for (int t = 0; t < Geometry.THREADS; t++) {
                for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
                    int covered = 0;
                    for (dev.qrref.cpu.codec.CodeField f : GroupTrace.fields(q, t, j)) {
                        for (int b = 0; b < f.width(); b++) {
                            covered |= 1 << (f.codeBitLo() + b);
                            String place = f.byteOffset() + ":" + (f.bitInByte() + b);
                            assertEquals(true, used.add(place), q + " thread " + t + " j " + j + " reuses bit " + place);
                        }
                    }
                    assertEquals((1 << bits) - 1, covered, q + " thread " + t + " j " + j);
                }
            }
            // every payload bit of the atom block is used exactly once
            assertEquals(Geometry.THREADS * Geometry.VECTOR_ELEMENTS * bits, used.size());
            assertEquals(q.layout().scaleOffset() * 8, used.size());
        }
    }

    @Test
    void theDossiersWorkedExample() {
        short[] span = new short[GroupTrace.SPAN];
        double[] xs = {3.0, -2.9, 1.0, 0.5, 0.0, -1.4};
        for (int m = 0; m < xs.length; m++) {
            span[2 * m] = Float.floatToFloat16((float) xs[m]);
        }
        GroupTrace t = GroupTrace.of(QuantLevel.INT4, DataPath.FP16, Profile.CUDA, span);
        assertEquals(0x4200, t.signedAbsMax);
        assertEquals(0xB600, t.decodingScale);
        assertEquals(0xC155, t.encodingScale);
        int[] codes = {0, 15, 5, 7, 8, 12};
        int[] decoded = {0x4200, 0xC140, 0x3C80, 0x3600, 0x8000, 0xBE00};
        for (int m = 0; m < xs.length; m++) {
            assertEquals(codes[m], t.elements.get(m).code());
            assertEquals(decoded[m], t.elements.get(m).decoded());
        }
        // lane 0 holds m = 0..3 (codes 0, 15, 5, 7) in nibbles 0..3 and the odd group's zeros in nibbles 4..7: on cuda
        // that all-zero group has rcp(2^-24) = +inf, 0 * inf = NaN, which clamps to RMIN: code 0 (dossier 7.1)
        assertArrayEquals(new byte[]{(byte) 0xF0, 0x75, 0x00, 0x00}, Arrays.copyOfRange(t.codecBlock, 0, 4));
        assertEquals(0x8000B600, t.scaleWord, "odd group: d = +0 x SF = -0");
        assertEquals(DType.FP16, t.path.dtype);
    }
}
