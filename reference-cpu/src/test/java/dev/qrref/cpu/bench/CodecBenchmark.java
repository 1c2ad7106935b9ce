package dev.qrref.cpu.bench;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Codec throughput on one core: encode 64 atom rows (131,072 elements) into their wire blocks and decode them back.
 * Scores are operations per microsecond with one operation = one element encoded and decoded, i.e. millions of
 * elements per second. Target: ≥ 400 M elements/s (issue 17). The codecs take the Vector API path when the JVM has
 * {@code jdk.incubator.vector} (the fork adds it); {@code -jvmArgsAppend -Dqr.cpu.vector=false} measures the scalar path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
public class CodecBenchmark {
    static final int ATOMS = 64;
    static final int ELEMENTS = ATOMS * Geometry.ATOM_ELEMENTS;

    @Param({"int4", "int6", "int8", "fp"})
    public String codec;

    @Param({"fp16", "bf16"})
    public String path;

    @Param({"cuda"})
    public String profile;

    private Codec c;
    private int stride;
    private short[] values;
    private short[] decoded;
    private Arena arena;
    private MemorySegment wire;

    @Setup(Level.Trial)
    public void setUp() {
        DataPath p = DataPath.fromName(path);
        c = Codec.of(QuantLevel.fromName(codec), NumericsProfile.of(Profile.fromName(profile)), p.compute);
        stride = c.layout().stride();
        values = new short[ELEMENTS];
        decoded = new short[ELEMENTS];
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < ELEMENTS; i++) {
            float x = (float) r.nextGaussian();
            values[i] = (short) (p.compute == dev.qrref.spec.Format16.FP16 ? Float.floatToFloat16(x)
                    : dev.qrref.cpu.arith.Bf16.fromFloatRne(x));
        }
        arena = Arena.ofConfined();
        wire = arena.allocate((long) ATOMS * stride, 16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public short encodeDecode() {
        for (int k = 0; k < ATOMS; k++) {
            c.encodeAtom(values, k * Geometry.ATOM_ELEMENTS, wire, (long) k * stride);
        }
        for (int k = 0; k < ATOMS; k++) {
            c.decodeAtom(wire, (long) k * stride, decoded, k * Geometry.ATOM_ELEMENTS);
        }
        return decoded[ELEMENTS - 1];
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public int encode() {
        for (int k = 0; k < ATOMS; k++) {
            c.encodeAtom(values, k * Geometry.ATOM_ELEMENTS, wire, (long) k * stride);
        }
        return wire.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    @Benchmark
    @OperationsPerInvocation(ELEMENTS)
    public short decode() {
        for (int k = 0; k < ATOMS; k++) {
            c.decodeAtom(wire, (long) k * stride, decoded, k * Geometry.ATOM_ELEMENTS);
        }
        return decoded[ELEMENTS - 1];
    }
}
