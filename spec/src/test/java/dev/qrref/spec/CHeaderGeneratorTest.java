package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed header must be exactly what the spec generates today. */
class CHeaderGeneratorTest {

    @Test
    void committedHeaderIsCurrent() throws IOException {
        Path header = Path.of("..", "kernels", "include", "qr_spec.h");
        assertTrue(Files.exists(header), "kernels/include/qr_spec.h is missing: run ./qr gen-header");
        String committed = Files.readString(header, StandardCharsets.UTF_8);
        assertEquals(CHeaderGenerator.render(), committed,
                "kernels/include/qr_spec.h is stale: run ./qr gen-header and commit the result");
    }

    @Test
    void headerHasEveryConstant() {
        String h = CHeaderGenerator.render();
        for (Constant c : Constants.all()) {
            assertTrue(h.contains(" QR_" + c.name() + " = " + c.hex()), c.name());
        }
    }
}
