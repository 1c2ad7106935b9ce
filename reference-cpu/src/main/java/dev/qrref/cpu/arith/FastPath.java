package dev.qrref.cpu.arith;

/**
 * Whether the Vector API fast paths run. They need the incubator module {@code jdk.incubator.vector} in the boot layer
 * ({@code --add-modules jdk.incubator.vector}, which the {@code qr} launcher, the build and the GPU bundle pass); a JVM
 * started without it runs the scalar reference path, which gives the same bits. This class names no incubator type, so
 * it loads on any JVM.
 *
 * <p>The system property {@code qr.cpu.vector} chooses: {@code true} always the vector path, {@code false} never, unset
 * or {@code auto}: codecs built on their own take the vector path, and an all-reduce takes it when it moves at least
 * {@link #AUTO_MIN_ELEMENTS} elements over all ranks. Below that the JIT's work on the vector code costs more than it
 * saves in a fresh JVM (docs/benchmarks/cpu-perf-notes.md has the measurements). The choice depends only on the call,
 * so every rank of a call takes the same path.
 */
public final class FastPath {
    private FastPath() {
    }

    /** The system property that turns the fast paths off ({@code false}); anything else leaves them on. */
    public static final String PROPERTY = "qr.cpu.vector";

    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** All-reduce calls of at least this many elements (all ranks together) take the vector path under {@code auto}. */
    public static final long AUTO_MIN_ELEMENTS = 1L << 25;

    /** True when codecs take the vector path by default. */
    public static boolean enabled() {
        return MODULE && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** True when an all-reduce of {@code elements} elements over all ranks takes the vector path. */
    public static boolean forCall(long elements) {
        if (!enabled()) {
            return false;
        }
        return "true".equalsIgnoreCase(System.getProperty(PROPERTY)) || elements >= AUTO_MIN_ELEMENTS;
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
