package dev.qrref.cli.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Profile;
import dev.qrref.spec.ProfileIsa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's ISA rows against the kernel sources they name: a renamed function would leave a class without scope. */
class KernelSourcesTest {
    static Path kernels() {
        Path p = Path.of("..", "kernels");
        return Files.isDirectory(p) ? p : Path.of("kernels");
    }

    @Test
    void everyFunctionAClassRequiresIsDefinedInQrCompatH() throws IOException {
        SourceFunctions map = SourceFunctions.parse(Files.readString(kernels().resolve("include/qr_compat.h")));
        for (Profile p : Profile.values()) {
            for (ProfileIsa.InstructionClass c : p.isa().classes()) {
                if (c.presence() == ProfileIsa.Presence.NONE) {
                    continue;  // a class that only forbids may name functions a codec adds later
                }
                for (String f : c.functions()) {
                    assertTrue(map.defines(f), p.id() + " class '" + c.name() + "' names " + f + ", which qr_compat.h does not define");
                }
            }
        }
    }

    @Test
    void theNontemporalStoreLineBelongsToItsSlotFunction() throws IOException {
        List<String> lines = Files.readAllLines(kernels().resolve("include/qr_compat.h"));
        SourceFunctions map = SourceFunctions.parse(String.join("\n", lines));
        int found = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("__builtin_nontemporal_store(v, reinterpret_cast<uint32_t*>(p))")) {
                assertEquals("qr_slot_store4", map.at(i + 1));
                found++;
            }
        }
        assertEquals(1, found);
    }

    @Test
    void everyPolicyAClassNamesIsAnArithmeticStructOfNumericsCuh() throws IOException {
        String numerics = Files.readString(kernels().resolve("src/numerics.cuh"));
        for (Profile p : Profile.values()) {
            for (ProfileIsa.InstructionClass c : p.isa().classes()) {
                for (String policy : c.policies()) {
                    assertTrue(numerics.contains("struct " + policy + " {"), policy + " is not a struct of numerics.cuh");
                }
            }
        }
    }

    @Test
    void pathIdNumbersTheDataPathsInTheSpecOrder() throws IOException {
        // KernelName maps (qr::PathId)n to DataPath.values()[n]
        String numerics = Files.readString(kernels().resolve("src/numerics.cuh"));
        // PathId is generated from the spec's path list (QR_LIST_PATHS, each NAME = CODE), so n is the code of the path
        assertTrue(numerics.contains("QR_LIST_PATHS(QR_PATH_ENUM)"), "PathId no longer comes from QR_LIST_PATHS");
        for (dev.qrref.spec.DataPath p : dev.qrref.spec.DataPath.values()) {
            assertEquals(p.ordinal(), p.code, p + ": its ABI code is not its place in the spec's list");
        }
    }
}
