package dev.qrref.cpu.bench;

import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.arith.FastPath;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One group all-reduce of the CPU model: W ranks of N fp16 elements, time per call. {@code threads} is the model's
 * fork-join parallelism (results are the same bits for any value; see CpuContractTest); {@code vector} sets
 * {@code qr.cpu.vector}: true the Vector API path, false the scalar reference path (the bits are the same).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class GroupAllReduceBenchmark {
    @Param({"8"})
    public int worldSize;

    @Param({"4194304"})
    public long n;

    @Param({"int4", "fp"})
    public String codec;

    @Param({"1", "2"})
    public int threads;

    @Param({"true", "false"})
    public String vector;

    private Arena arena;
    private GroupComms group;
    private final List<MemorySegment> inputs = new ArrayList<>();
    private final List<MemorySegment> outputs = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        System.setProperty(FastPath.PROPERTY, vector);
        arena = Arena.ofShared();
        for (int r = 0; r < worldSize; r++) {
            MemorySegment s = arena.allocate(2 * n, 16);
            SplittableRandom rnd = new SplittableRandom(r);
            for (long i = 0; i < n; i++) {
                s.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16((float) rnd.nextGaussian()));
            }
            inputs.add(s);
            outputs.add(arena.allocate(2 * n, 16));
        }
        group = new CpuBackend(threads).newGroup(worldSize, 2 * n, CommsOptions.of(Profile.CUDA));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        group.close();
        arena.close();
    }

    @Benchmark
    public MemorySegment allreduce() {
        group.allreduce(inputs, outputs, n, DType.FP16, QuantLevel.fromName(codec), false);
        return outputs.get(0);
    }
}
