package dev.qrref.cpu.arith;

/**
 * Whether the Vector API fast paths run. They need the incubator module {@code jdk.incubator.vector} in the boot layer
 * ({@code --add-modules jdk.incubator.vector}, which the {@code qr} launcher, the build and the GPU bundle pass); a JVM
 * started without it runs the scalar reference path, which gives the same bits. This class names no incubator type, so
 * it loads on any JVM.
 *
 * <p>The system property {@code qr.cpu.vector} chooses: {@code true} always the vector path, {@code false} never, unset
 * or {@code auto}: codecs built on their own take the vector path, and an all-reduce takes it once the backend (group
 * calls) or the rank's communicator (per-rank calls) has already moved {@link #AUTO_AFTER_ELEMENTS} elements. In a fresh
 * JVM the JIT spends about 3 CPU-seconds on the vector code before it runs fast (measured on the 2-core build machine:
 * docs/benchmarks/cpu-perf-notes.md), which a single call of up to 64 Mi elements does not win back; a long run does.
 * The choice depends only on the sequence of calls, which every rank runs alike, so the ranks of a call take the same
 * path.
 */
public final class FastPath {
    private FastPath() {
    }

    /** The system property that turns the fast paths off ({@code false}); anything else leaves them on. */
    public static final String PROPERTY = "qr.cpu.vector";

    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Under {@code auto}, calls take the vector path after this many elements (all ranks together) moved before them. */
    public static final long AUTO_AFTER_ELEMENTS = 1L << 28;

    /** True when codecs take the vector path by default. */
    public static boolean enabled() {
        return MODULE && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** True when an all-reduce takes the vector path after {@code movedBefore} elements went through the same backend. */
    public static boolean forCall(long movedBefore) {
        if (!enabled()) {
            return false;
        }
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY)) || movedBefore >= AUTO_AFTER_ELEMENTS;
    }

    /** True when the Vector API can be used at all (the tests compare both paths in one JVM). */
    public static boolean available() {
        return MODULE;
    }

    /** The JVM options that give a child JVM the same fast path as this one: the module, when this JVM has it. */
    public static java.util.List<String> jvmOptions() {
        return MODULE ? java.util.List.of("--add-modules", "jdk.incubator.vector") : java.util.List.of();
    }

    /** One line for reports: which path runs and, for the fast one, the vector width. */
    public static String describe() {
        if (!MODULE) {
            return "scalar (jdk.incubator.vector not loaded)";
        }
        if (!enabled()) {
            return "scalar (" + PROPERTY + "=false)";
        }
        return "vector (" + Vector16.bits() + "-bit)";
    }
}
