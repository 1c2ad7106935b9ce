package dev.qrref.conformance;

import dev.qrref.cpu.gen.Level;
import dev.qrref.spec.Backend;
import dev.qrref.spec.Backends;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Small real suite runs for the report and CLI tests: the CPU model, and a backend with a known defect. */
public final class SampleRuns {
    private SampleRuns() {
    }

    /** W=2, FP and INT4, fp16, cuda: four cases plus the suite properties; a few seconds on the CPU model. */
    public static SuiteConfig smallConfig() {
        return SuiteConfig.defaults(Level.QUICK).withWorldSizes(List.of(2)).withCodecs(EnumSet.of(QuantLevel.F16, QuantLevel.INT4))
                .withPaths(EnumSet.of(DataPath.FP16)).withProfiles(EnumSet.of(Profile.CUDA));
    }

    public static SuiteResult cpu() {
        return Suite.run(new Target(Backends.open("cpu"), Duration.ofSeconds(60)), smallConfig(), Listener.SILENT);
    }

    /** The same run on {@link Faulty}: every case's rank 1 output has one flipped bit. */
    public static SuiteResult faulty() {
        return Suite.run(new Target(new Faulty(Backends.open("cpu")), Duration.ofSeconds(60)), smallConfig().withProperties(
                Set.of("outputs", "ranks-identical", "buffers", "tail-untouched")), Listener.SILENT);
    }

    /** The CPU model, except that group calls flip the lowest bit of rank 1's output element {@link #ELEMENT}. */
    public static final class Faulty implements Backend {
        public static final long ELEMENT = 100;
        private final Backend cpu;

        public Faulty(Backend cpu) {
            this.cpu = cpu;
        }

        @Override
        public String name() {
            return "faulty";
        }

        @Override
        public Set<Profile> profiles() {
            return cpu.profiles();
        }

        @Override
        public Profile defaultProfile() {
            return cpu.defaultProfile();
        }

        @Override
        public String describe() {
            return "CPU model with a flipped output bit (test double)";
        }

        @Override
        public DeviceComms newComms(CommsOptions options) {
            return cpu.newComms(options);
        }

        @Override
        public GroupComms newGroup(int worldSize, long maxProblemBytes, CommsOptions options) {
            GroupComms g = cpu.newGroup(worldSize, maxProblemBytes, options);
            return new GroupComms() {
                @Override
                public int worldSize() {
                    return g.worldSize();
                }

                @Override
                public Profile profile() {
                    return g.profile();
                }

                @Override
                public BufferLayout layout() {
                    return g.layout();
                }

                @Override
                public void allreduce(List<MemorySegment> inputs, List<MemorySegment> outputs, long n, DType dtype, QuantLevel q,
                                      boolean cast) {
                    g.allreduce(inputs, outputs, n, dtype, q, cast);
                    long e = Math.min(ELEMENT, n - 1);
                    MemorySegment o = outputs.get(1);
                    o.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * e, (short) (o.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * e) ^ 1));
                }

                @Override
                public void readBuffer(int rank, MemorySegment dst) {
                    g.readBuffer(rank, dst);
                }

                @Override
                public void close() {
                    g.close();
                }
            };
        }
    }
}
