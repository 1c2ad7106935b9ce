package dev.qrref.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code kernels/include/qr_spec.h}: every {@link Constant} as a {@code constexpr}, so that the kernels use the
 * spec's numbers instead of retyping them. The file is committed; {@code CHeaderGeneratorTest} fails when it is stale.
 *
 * <p>Run: {@code ./qr gen-header} (or this class's {@code main} with the output path).
 */
public final class CHeaderGenerator {
    private CHeaderGenerator() {
    }

    public static String render() {
        StringBuilder s = new StringBuilder();
        s.append("// Generated from the spec module by dev.qrref.spec.CHeaderGenerator. Do not edit: run ./qr gen-header.\n");
        s.append("#pragma once\n#include <stdint.h>\n\n");
        s.append("#ifdef __cplusplus\nnamespace qr_spec {\n#define QR_SPEC_CONST static constexpr\n#else\n#define QR_SPEC_CONST static const\n#endif\n\n");
        String group = "";
        for (Constant c : Constants.all()) {
            if (!c.group().equals(group)) {
                group = c.group();
                s.append("// ---- ").append(group).append('\n');
            }
            String type = switch (c.widthBits()) {
                case 8 -> "uint8_t";
                case 16 -> "uint16_t";
                case 32 -> "uint32_t";
                default -> "uint64_t";
            };
            s.append("QR_SPEC_CONST ").append(type).append(" QR_").append(c.name()).append(" = ").append(c.hex())
                    .append(c.widthBits() == 64 ? "ull" : "u").append(";  // ").append(c.meaning()).append(" | ")
                    .append(c.derivation()).append('\n');
        }
        s.append("\n#ifdef __cplusplus\n}  // namespace qr_spec\n#endif\n");
        return s.toString();
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "kernels/include/qr_spec.h");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }
}
