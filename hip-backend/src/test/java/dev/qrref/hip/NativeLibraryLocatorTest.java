package dev.qrref.hip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.BackendUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs everywhere: where the library is looked for, and what a missing library says. */
class NativeLibraryLocatorTest {

    @Test
    void missingLibraryNamesAllThreePlaces(@TempDir Path dir) {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraryLocator.locate(null, Map.of(), dir.resolve("module"), dir.resolve("bundle")));
        String m = e.getMessage();
        assertTrue(m.contains("qr.native.lib"), m);
        assertTrue(m.contains("QR_NATIVE_LIB"), m);
        assertTrue(m.contains("kernels/build/cuda/libqr.so"), m);
        assertTrue(m.contains("kernels/build/rocm/libqr.so"), m);
        assertTrue(m.contains("kernels/build.sh"), m);
    }

    @Test
    void propertyNamingAMissingFileIsReportedAsSuch(@TempDir Path dir) {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraryLocator.locate(dir.resolve("nope.so").toString(), Map.of(), dir, null));
        assertTrue(e.getMessage().contains("system property qr.native.lib"), e.getMessage());
        BackendUnavailableException v = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraryLocator.locate("  ", Map.of("QR_NATIVE_LIB", dir.resolve("x.so").toString()), dir, null));
        assertTrue(v.getMessage().contains("environment variable QR_NATIVE_LIB"), v.getMessage());
    }

    @Test
    void findsTheRocmBuildWhenThereIsNoNvidiaBuild(@TempDir Path dir) throws IOException {
        Path rocm = dir.resolve("kernels/build/rocm/libqr.so");
        Files.createDirectories(rocm.getParent());
        Files.writeString(rocm, "");
        assertEquals(rocm, NativeLibraryLocator.locate(null, Map.of(), dir, null));
        Path cuda = dir.resolve("kernels/build/cuda/libqr.so");
        Files.createDirectories(cuda.getParent());
        Files.writeString(cuda, "");
        assertEquals(cuda, NativeLibraryLocator.locate(null, Map.of(), dir, null));
    }

    @Test
    void findsTheDefaultBuildPathFromTheRepositoryRootOrAModuleAndTheBundle(@TempDir Path dir) throws IOException {
        Path lib = dir.resolve("kernels/build/cuda/libqr.so");
        Files.createDirectories(lib.getParent());
        Files.writeString(lib, "");
        assertEquals(lib, NativeLibraryLocator.locate("", Map.of(), dir, null));
        assertEquals(lib, NativeLibraryLocator.locate(null, Map.of(), dir.resolve("hip-backend"), null));
        Path bundled = dir.resolve("b/bundle/native/libqr.so");
        Files.createDirectories(bundled.getParent());
        Files.writeString(bundled, "");
        assertEquals(bundled, NativeLibraryLocator.locate(null, Map.of(), dir.resolve("b/cwd"), dir.resolve("b/bundle")));
        assertEquals(bundled, NativeLibraryLocator.locate(bundled.toString(), Map.of(), dir, null));
    }

    /** Run through ./qr from another folder: the installation's build is found, not one under the working directory. */
    @Test
    void theInstallationFolderWinsOverTheWorkingDirectory(@TempDir Path dir) throws IOException {
        Path home = dir.resolve("install");
        Path lib = home.resolve("kernels/build/cuda/libqr.so");
        Files.createDirectories(lib.getParent());
        Files.writeString(lib, "");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertEquals(lib, NativeLibraryLocator.locate(null, Map.of(), home, elsewhere, null));

        Path stray = elsewhere.resolve("kernels/build/cuda/libqr.so");
        Files.createDirectories(stray.getParent());
        Files.writeString(stray, "");
        Path otherHome = Files.createDirectories(dir.resolve("other-install"));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> NativeLibraryLocator.locate(null, Map.of(), otherHome, elsewhere, null));
        assertTrue(e.getMessage().contains(otherHome.resolve("kernels/build/cuda/libqr.so").toString()), e.getMessage());
    }
}
