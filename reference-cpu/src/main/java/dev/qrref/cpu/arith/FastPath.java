package dev.qrref.cpu.arith;

/**
 * Whether the Vector API fast paths run. They need the incubator module {@code jdk.incubator.vector} in the boot layer
 * ({@code --add-modules jdk.incubator.vector}, which the {@code qr} launcher, the build and the GPU bundle pass); a JVM
 * started without it, or with {@code -Dqr.cpu.vector=false}, runs the scalar reference path, which gives the same bits.
 * This class names no incubator type, so it loads on any JVM.
 */
public final class FastPath {
    private FastPath() {
    }

    /** The system property that turns the fast paths off ({@code false}); anything else leaves them on. */
    public static final String PROPERTY = "qr.cpu.vector";

    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** True when the fast paths are used by default. */
    public static boolean enabled() {
        return MODULE && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** True when the Vector API can be used at all (the tests compare both paths in one JVM). */
    public static boolean available() {
        return MODULE;
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
