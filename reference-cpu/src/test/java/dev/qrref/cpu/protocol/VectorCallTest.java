package dev.qrref.cpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.support.GroupRun;
import dev.qrref.cpu.support.Tensors;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whole calls on the Vector API path against the scalar path and against other thread counts: every codec, data path,
 * profile and world size, a few grid-stride iterations and a tail tile, inputs with special values; every rank's output
 * and communication buffer must be the same bytes. Also the path choice itself ({@link FastPath#forCall}).
 */
class VectorCallTest {
    /** Three tiles and a tail of 13 vectors, over a grid of 2 blocks: two grid-stride iterations. */
    private static final int N = 3 * Geometry.TILE_ELEMENTS + 13 * Geometry.VECTOR_ELEMENTS;
    private static final int MAX_BLOCKS = 2;

    @BeforeAll
    static void vectorApi() {
        assumeTrue(FastPath.available(), "jdk.incubator.vector is not loaded (--add-modules jdk.incubator.vector)");
    }

    /** Runs one call with the path forced through {@code qr.cpu.vector}, on {@code threads} threads. */
    private static Result call(String vector, int threads, int w, QuantLevel q, DataPath path, Profile profile, short[][] in) {
        String old = System.getProperty(FastPath.PROPERTY);
        System.setProperty(FastPath.PROPERTY, vector);
        try (GroupComms g = new CpuBackend(threads).newGroup(w, 2L * N, CommsOptions.of(profile).withMaxBlocks(MAX_BLOCKS))) {
            short[][] out = GroupRun.run(g, in, N, q, path);
            return new Result(out, GroupRun.buffers(g));
        } finally {
            if (old == null) {
                System.clearProperty(FastPath.PROPERTY);
            } else {
                System.setProperty(FastPath.PROPERTY, old);
            }
        }
    }

    private record Result(short[][] outputs, byte[][] buffers) {
    }

    @Test
    void vectorCallsGiveTheScalarBitsForEveryThreadCount() {
        long seed = Seeds.of("VectorCallTest");
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (int w : Geometry.WORLD_SIZES) {
            for (DataPath path : DataPath.values()) {
                short[][] in = new short[w][];
                for (int r = 0; r < w; r++) {
                    in[r] = Tensors.withSpecials(path.dtype, N, seed + 31L * w + r);
                }
                for (QuantLevel q : QuantLevel.values()) {
                    for (Profile p : Profile.values()) {
                        Result scalar = call("false", 1, w, q, path, p, in);
                        Result vector1 = call("true", 1, w, q, path, p, in);
                        Result vector3 = call("true", 3, w, q, path, p, in);
                        String name = "W=" + w + " " + q.cliName() + " " + path.id() + " " + p.id();
                        compare(wrong, name + " vector/1 thread vs scalar", vector1, scalar);
                        compare(wrong, name + " vector/3 threads vs vector/1 thread", vector3, vector1);
                        cases++;
                    }
                }
            }
        }
        System.out.printf("[protocol] vector vs scalar calls: %d configurations x 3 calls, %d differences (seed %s)%n", cases,
                wrong.size(), Seeds.hex(seed));
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " differences; first: " + String.join("\n", wrong.subList(0, Math.min(10, wrong.size())))
                    + "\nseed=" + Seeds.hex(seed) + " repro: ./mvnw -pl reference-cpu -am test -Dtest=VectorCallTest "
                    + "-Dsurefire.failIfNoSpecifiedTests=false -Dqr.seed=" + Seeds.hex(Seeds.base()));
        }
    }

    private static void compare(List<String> wrong, String name, Result got, Result want) {
        for (int r = 0; r < got.outputs.length; r++) {
            int e = Arrays.mismatch(got.outputs[r], want.outputs[r]);
            if (e >= 0) {
                wrong.add(name + ": rank " + r + " output element " + e + " got " + Format16.hex(got.outputs[r][e] & 0xFFFF) + " want "
                        + Format16.hex(want.outputs[r][e] & 0xFFFF));
            }
            int b = Arrays.mismatch(got.buffers[r], want.buffers[r]);
            if (b >= 0) {
                wrong.add(name + ": rank " + r + " buffer byte " + b);
            }
        }
    }

    @Test
    void autoTakesTheVectorPathOnceEnoughElementsMoved() {
        String old = System.getProperty(FastPath.PROPERTY);
        try {
            System.clearProperty(FastPath.PROPERTY);
            assertFalse(FastPath.forCall(0), "a first call");
            assertFalse(FastPath.forCall(FastPath.AUTO_AFTER_ELEMENTS - 1));
            assertTrue(FastPath.forCall(FastPath.AUTO_AFTER_ELEMENTS));
            BufferLayout layout = new BufferLayout(8, Geometry.DEFAULT_MAX_BLOCKS, Geometry.DEFAULT_MAX_PROBLEM_BYTES);
            NumericsProfile cuda = NumericsProfile.of(Profile.CUDA);
            assertFalse(CallPlan.of(layout, 1 << 20, QuantLevel.INT4, DataPath.FP16, cuda).vector(), "a plan of its own is a first call");
            assertTrue(CallPlan.of(layout, 1 << 20, QuantLevel.INT4, DataPath.FP16, cuda, true).vector());
            System.setProperty(FastPath.PROPERTY, "false");
            assertFalse(FastPath.forCall(Long.MAX_VALUE));
            System.setProperty(FastPath.PROPERTY, "true");
            assertTrue(FastPath.forCall(0));
            assertEquals(List.of("--add-modules", "jdk.incubator.vector"), FastPath.jvmOptions());
        } finally {
            if (old == null) {
                System.clearProperty(FastPath.PROPERTY);
            } else {
                System.setProperty(FastPath.PROPERTY, old);
            }
        }
    }
}
