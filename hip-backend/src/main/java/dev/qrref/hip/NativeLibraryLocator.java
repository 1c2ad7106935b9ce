package dev.qrref.hip;

import dev.qrref.spec.BackendUnavailableException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds {@code libqr.so}, in this order:
 * <ol>
 *   <li>the system property {@value #PROPERTY} (a path to the file);</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>the default build paths {@value #DEFAULT_PATH} (NVIDIA), then {@value #ROCM_PATH} (the ROCm build of
 *       {@code kernels/build.sh --rocm}), of the installation: under the folder the system property
 *       {@value #HOME_PROPERTY} names (the {@code ./qr} launcher sets it to its own folder, so the command works from
 *       any working directory); without that property (tests run by Maven), under the working directory or its parent
 *       (the repository root or a module directory);</li>
 *   <li>the GPU bundle layout: {@code native/libqr.so} beside the {@code lib/} folder that holds this jar.</li>
 * </ol>
 * A property or variable that names a missing file is an error of its own, not a reason to look further.
 */
public final class NativeLibraryLocator {
    public static final String PROPERTY = "qr.native.lib";
    public static final String ENV = "QR_NATIVE_LIB";
    /** The installation folder, set by the {@code ./qr} launcher. */
    public static final String HOME_PROPERTY = "qr.home";
    public static final String DEFAULT_PATH = "kernels/build/cuda/libqr.so";
    public static final String ROCM_PATH = "kernels/build/rocm/libqr.so";
    public static final String BUNDLE_PATH = "native/libqr.so";

    private NativeLibraryLocator() {
    }

    /** The library's path, or a {@link BackendUnavailableException} naming every place that was tried. */
    public static Path locate() {
        String home = System.getProperty(HOME_PROPERTY);
        return locate(System.getProperty(PROPERTY), System.getenv(), home == null || home.isBlank() ? null : Path.of(home),
                Path.of("").toAbsolutePath(), bundleRoot());
    }

    static Path locate(String property, Map<String, String> env, Path cwd, Path bundleRoot) {
        return locate(property, env, null, cwd, bundleRoot);
    }

    /** {@code home} is the installation folder, or null to look under the working directory {@code cwd} instead. */
    static Path locate(String property, Map<String, String> env, Path home, Path cwd, Path bundleRoot) {
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
            throw new BackendUnavailableException("the GPU backend's native library is not at " + p.toAbsolutePath()
                    + ", where the system property " + PROPERTY + " points");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath();
            }
            throw new BackendUnavailableException("the GPU backend's native library is not at " + p.toAbsolutePath()
                    + ", where the environment variable " + ENV + " points");
        }
        List<Path> tried = new ArrayList<>();
        for (String build : List.of(DEFAULT_PATH, ROCM_PATH)) {
            if (home != null) {
                tried.add(home.toAbsolutePath().resolve(build));
            } else {
                tried.add(cwd.resolve(build));
                if (cwd.getParent() != null) {
                    tried.add(cwd.getParent().resolve(build));
                }
            }
        }
        if (bundleRoot != null) {
            tried.add(bundleRoot.resolve(BUNDLE_PATH));
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        StringBuilder where = new StringBuilder();
        for (Path p : tried) {
            where.append(where.isEmpty() ? "" : ", ").append(p.normalize());
        }
        throw new BackendUnavailableException("the GPU backend's native library libqr.so was not found. Looked at: (1) the "
                + "system property " + PROPERTY + " (not set), (2) the environment variable " + ENV + " (not set), (3) the "
                + "default build paths " + DEFAULT_PATH + ", " + ROCM_PATH + " and the bundle layout: " + where
                + ". Build it with kernels/build.sh (needs nvcc) or kernels/build.sh --rocm (needs ROCm), or set " + PROPERTY + " or " + ENV + " to its path.");
    }

    /** The bundle folder when this class runs from {@code <bundle>/lib/*.jar}, else null. */
    private static Path bundleRoot() {
        try {
            var source = NativeLibraryLocator.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = jar.getParent();
            return lib == null ? null : lib.getParent();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }
}
