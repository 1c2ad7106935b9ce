package dev.qrref.hip;

import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Leak check on a GPU: {@code cycles} per-rank create/init/handle/close cycles and {@code cycles/10} group
 * create/all-reduce/close cycles, after a warm-up; compares host RSS and the device's free memory before and after.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.qrref.hip.LeakCheck [cycles]</pre>
 * Prints one result line; exits 1 when host RSS grew by more than 64 MiB or device memory by more than 16 MiB.
 */
public final class LeakCheck {
    private LeakCheck() {
    }

    public record Result(int cycles, long rssBefore, long rssAfter, long deviceFreeBefore, long deviceFreeAfter, double seconds) {
        public long rssGrowth() {
            return rssAfter - rssBefore;
        }

        public long deviceGrowth() {
            return deviceFreeBefore - deviceFreeAfter;
        }

        public boolean ok() {
            return rssGrowth() < 64L << 20 && deviceGrowth() < 16L << 20;
        }

        public String line() {
            return String.format("leak check: %d comms cycles + %d group cycles in %.1f s; host RSS %+.1f MiB (%.1f -> %.1f), "
                            + "device memory in use %+.1f MiB: %s", cycles, cycles / 10, seconds, rssGrowth() / 1048576.0,
                    rssBefore / 1048576.0, rssAfter / 1048576.0, deviceGrowth() / 1048576.0, ok() ? "OK" : "LEAK");
        }
    }

    public static Result run(GpuBackend gpu, int cycles) {
        QrNative nat = gpu.nativeLibrary();
        CommsOptions options = CommsOptions.of(Profile.CUDA);
        cycle(gpu, options, 50, 5);  // runtime and allocator warm-up
        System.gc();
        long rss0 = rss();
        long free0 = nat.memInfo(gpu.device())[0];
        long t0 = System.nanoTime();
        cycle(gpu, options, cycles, cycles / 10);
        System.gc();
        long rss1 = rss();
        long free1 = nat.memInfo(gpu.device())[0];
        return new Result(cycles, rss0, rss1, free0, free1, (System.nanoTime() - t0) / 1e9);
    }

    private static void cycle(GpuBackend gpu, CommsOptions options, int comms, int groups) {
        for (int i = 0; i < comms; i++) {
            try (DeviceComms c = gpu.newComms(options)) {
                c.init(2, i % 2, OptionalLong.of(16L << 20));
                c.handle();
            }
        }
        for (int i = 0; i < groups; i++) {
            try (GpuGroupComms g = gpu.newGpuGroup(2, 1L << 20, options)) {
                List<DeviceBuffer> in = new ArrayList<>();
                List<DeviceBuffer> out = new ArrayList<>();
                try {
                    for (int r = 0; r < 2; r++) {
                        in.add(g.allocate(r, 1L << 16));
                        out.add(g.allocate(r, 1L << 16));
                        gpu.nativeLibrary().fillRandom(g.device(r), in.get(r).address(), 1L << 15, 0, i * 2L + r);
                    }
                    g.allreduceDevice(in, out, 1L << 15, DType.FP16, QuantLevel.INT4, false);
                } finally {
                    in.forEach(DeviceBuffer::close);
                    out.forEach(DeviceBuffer::close);
                }
            }
        }
    }

    /** Resident set size of this process in bytes (Linux), or -1. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    public static void main(String[] args) {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Result r = run(GpuBackend.open(), cycles);
        System.out.println(r.line());
        System.exit(r.ok() ? 0 : 1);
    }
}
