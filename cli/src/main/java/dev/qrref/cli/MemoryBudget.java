package dev.qrref.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The host memory a run will allocate, added up before it allocates anything, and compared with what the machine can
 * give: a run that cannot fit is refused at once with the figures (exit 2), instead of failing after minutes of work
 * or being killed by the kernel. The large arrays live outside the Java heap (memory segments), so the JVM's -Xmx is
 * not the limit; the physical memory is.
 *
 * <p>Available memory is {@code MemAvailable} of {@code /proc/meminfo}, lowered to the free part of the cgroup's limit
 * when the process runs in one. The system property {@value #LIMIT_PROPERTY} replaces that figure (bytes, or with a
 * suffix k, m, g, t: powers of 1024), to cap a run on a shared machine.
 */
final class MemoryBudget {
    static final String LIMIT_PROPERTY = "qr.memory.limit";
    /** Heap growth, thread stacks, code and tables of a run beyond its big arrays (the launcher's -Xmx is 1 GiB). */
    static final long WORKING_BYTES = 256L << 20;

    private final List<String> parts = new ArrayList<>();
    private long total = WORKING_BYTES;

    /** Adds {@code bytes} under a name ("outputs", "communication buffers"). */
    MemoryBudget add(String what, long bytes) {
        if (bytes > 0) {
            parts.add(what + " " + AllreduceCommand.bytes(bytes));
            total = saturatingAdd(total, bytes);
        }
        return this;
    }

    long total() {
        return total;
    }

    /** Throws a usage error naming the figures unless {@link #total} fits the available memory (unknown: no check). */
    void require(String advice) {
        OptionalLong available = available();
        if (available.isPresent() && total > available.getAsLong()) {
            throw CliException.usage("not enough memory: this run needs about " + AllreduceCommand.bytes(total) + " ("
                    + String.join(", ", parts) + (parts.isEmpty() ? "" : ", ") + "working memory "
                    + AllreduceCommand.bytes(WORKING_BYTES) + ") but " + AllreduceCommand.bytes(available.getAsLong())
                    + " is available (" + source() + "); " + advice);
        }
    }

    /** What the machine can give this process now, if it can be told. */
    static OptionalLong available() {
        String limit = System.getProperty(LIMIT_PROPERTY);
        if (limit != null && !limit.isBlank()) {
            return OptionalLong.of(parseSize(limit));
        }
        OptionalLong mem = meminfoAvailable();
        OptionalLong cgroup = cgroupFree();
        if (mem.isPresent() && cgroup.isPresent()) {
            return OptionalLong.of(Math.min(mem.getAsLong(), cgroup.getAsLong()));
        }
        return mem.isPresent() ? mem : cgroup;
    }

    private static String source() {
        String limit = System.getProperty(LIMIT_PROPERTY);
        if (limit != null && !limit.isBlank()) {
            return "-D" + LIMIT_PROPERTY + "=" + limit;
        }
        return cgroupFree().isPresent() ? "MemAvailable and the cgroup's memory limit" : "MemAvailable in /proc/meminfo";
    }

    /** {@code 8g}, {@code 512m}, {@code 1073741824}: a byte count, suffixes in powers of 1024. */
    static long parseSize(String text) {
        String v = text.strip().toLowerCase(Locale.ROOT);
        int shift = 0;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = -1;
            }
            if (shift >= 0) {
                v = v.substring(0, v.length() - 1);
            } else {
                shift = 0;
            }
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException(text);
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw CliException.usage("-D" + LIMIT_PROPERTY + "=" + text + ": expected a byte count such as 8g, 512m or 1073741824");
        }
    }

    private static OptionalLong meminfoAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    String[] f = line.substring("MemAvailable:".length()).strip().split("\\s+");
                    return OptionalLong.of(Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format: no figure
        }
        return OptionalLong.empty();
    }

    /** The cgroup's limit minus its usage (v2, else v1); empty without a limit. */
    private static OptionalLong cgroupFree() {
        OptionalLong v2 = free(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current"));
        return v2.isPresent() ? v2 : free(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
    }

    private static OptionalLong free(Path limitFile, Path usageFile) {
        try {
            String limit = Files.readString(limitFile).strip();
            if (limit.equals("max")) {
                return OptionalLong.empty();
            }
            long l = Long.parseLong(limit);
            // cgroup v1 reports "no limit" as a huge page-rounded number
            if (l >= Long.MAX_VALUE / 2) {
                return OptionalLong.empty();
            }
            long used = Long.parseLong(Files.readString(usageFile).strip());
            return OptionalLong.of(Math.max(0, l - used));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
