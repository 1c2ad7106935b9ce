package dev.qrref.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Writes {@code kernels/include/qr_spec.h}: everything the kernels and the C ABI share with the spec, so that no list,
 * number or formula is retyped in C:
 * <ul>
 *   <li>every {@link Constant} as a {@code constexpr} (the C ABI codes of every closed list included);</li>
 *   <li>each closed list as an X-macro ({@code QR_LIST_CODECS}, {@code QR_LIST_PROFILES}, ...) with its columns, its
 *       count and the "expected one of" text of error messages;</li>
 *   <li>the per-codec stride and name lookups;</li>
 *   <li>the buffer-layout arithmetic of {@link LayoutFormulas} as inline functions.</li>
 * </ul>
 * The file is committed; {@code CHeaderGeneratorTest} fails when it is stale.
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
        s.append("#if defined(__CUDACC__) || defined(__HIPCC__)\n#define QR_SPEC_FN static inline __host__ __device__\n#else\n"
                + "#define QR_SPEC_FN static inline\n#endif\n\n");
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
        lists(s);
        functions(s);
        s.append("\n#ifdef __cplusplus\n}  // namespace qr_spec\n#endif\n");
        return s.toString();
    }

    /** The closed lists as X-macros: {@code X(NAME, code, "id", columns...)}, one entry per line. */
    private static void lists(StringBuilder s) {
        s.append("\n// ---- closed lists: X-macros, counts and the texts of error messages\n");
        String worlds = Geometry.WORLD_SIZES.stream().map(String::valueOf).collect(Collectors.joining(", "));
        s.append("// world sizes: X(C, W) for each, after the caller's first argument\n#define QR_LIST_WORLD_SIZES_FOR(X, C)");
        for (int w : Geometry.WORLD_SIZES) {
            s.append(" X(C, ").append(w).append(')');
        }
        s.append("\n#define QR_WORLD_SIZE_EXPECTED \"").append(worlds).append("\"\n");
        list(s, "CODECS", "X(NAME, code, \"id\", KernelName, stride, kind (0 raw, 1 integer, 2 fp8), L)", QuantLevel.values(),
                q -> q.name() + ", " + q.code + ", \"" + q.cliName() + "\", " + q.kernelName + ", " + q.layout().stride() + ", "
                        + q.kind.code + ", " + q.levels(),
                q -> q.code + " = " + q.cliName());
        list(s, "PROFILES", "X(NAME, code, \"id\", fp16_saturates, cast_saturates, fp8_format, fp8_saturates, \"amd_arch\")",
                Profile.values(),
                p -> p.name() + ", " + p.code + ", \"" + p.id() + "\", " + bit(p.fp16OverflowSaturates()) + ", "
                        + bit(p.castSaturates()) + ", " + p.fp8Format().code + ", " + bit(p.fp8Saturates()) + ", \""
                        + p.amdArch() + "\"",
                p -> p.code + " = " + p.id());
        list(s, "DTYPES", "X(NAME, code, \"id\")", DType.values(), d -> d.name() + ", " + d.code + ", \"" + d.id() + "\"",
                d -> d.code + " = " + d.id());
        list(s, "PATHS", "X(NAME, code, \"id\")", DataPath.values(), p -> p.name() + ", " + p.code + ", \"" + p.id() + "\"",
                p -> p.code + " = " + p.id());
        list(s, "FP8_FORMATS", "X(NAME, code, \"id\", bias)", Fp8Format.values(),
                f -> f.name() + ", " + f.code + ", \"" + f.id() + "\", " + f.exponentBias, f -> f.code + " = " + f.id());
        list(s, "STATUSES", "X(NAME, code)", Status.values(), st -> st.name() + ", " + st.code, st -> st.code + " = " + st.name());
        list(s, "STATES", "X(NAME, code, \"description\")", CommsState.values(),
                st -> st.name() + ", " + st.code + ", \"" + st.description + "\"", st -> st.code + " = " + st.name().toLowerCase(Locale.ROOT));
        list(s, "LAYOUT_QUERIES", "X(NAME, code)", LayoutQuery.values(), l -> l.name() + ", " + l.code,
                l -> l.code + " = " + l.name().toLowerCase(Locale.ROOT));
        list(s, "PLACEMENTS", "X(NAME, code, \"description\")", Placement.values(),
                p -> p.name() + ", " + p.code + ", \"" + p.description + "\"", p -> p.code + " = " + p.description);
        list(s, "ARITHS", "X(NAME, code, \"id\")", ArithPolicy.values(), a -> a.name() + ", " + a.code + ", \"" + a.id() + "\"",
                a -> a.code + " = " + a.id());
        list(s, "PRIMS", "X(NAME, code, \"id\")", Primitive.values(), p -> p.name() + ", " + p.code + ", \"" + p.id() + "\"",
                p -> p.code + " = " + p.id());
    }

    private static <E> void list(StringBuilder s, String name, String shape, E[] values, Function<E, String> args,
                                 Function<E, String> expected) {
        s.append("// ").append(shape).append('\n');
        s.append("#define QR_LIST_").append(name).append("(X)");
        for (E e : values) {
            s.append(" \\\n    X(").append(args.apply(e)).append(')');
        }
        s.append('\n');
        s.append("#define QR_").append(singular(name)).append("_COUNT ").append(values.length).append('\n');
        s.append("#define QR_").append(singular(name)).append("_EXPECTED \"")
                .append(Arrays.stream(values).map(expected).collect(Collectors.joining(", "))).append("\"\n");
    }

    private static String singular(String list) {
        return switch (list) {
            case "STATUSES" -> "STATUS";
            case "LAYOUT_QUERIES" -> "LAYOUT_QUERY";
            default -> list.substring(0, list.length() - 1);
        };
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    /** Lookups by code, and the layout arithmetic. */
    private static void functions(StringBuilder s) {
        s.append("\n// ---- lookups by code: -1 or NULL for an unknown code\n");
        s.append("QR_SPEC_FN int qr_codec_stride(int code) {\n    switch (code) {\n");
        for (QuantLevel q : QuantLevel.values()) {
            s.append("        case ").append(q.code).append(": return ").append(q.layout().stride()).append(";\n");
        }
        s.append("        default: return -1;\n    }\n}\n");
        s.append("QR_SPEC_FN int qr_world_size_valid(int w) { return ");
        s.append(Geometry.WORLD_SIZES.stream().map(w -> "w == " + w).collect(Collectors.joining(" || "))).append("; }\n");
        lookup(s, "codec", QuantLevel.values(), q -> q.code, QuantLevel::cliName);
        lookup(s, "profile", Profile.values(), p -> p.code, Profile::id);
        lookup(s, "dtype", DType.values(), d -> d.code, DType::id);
        lookup(s, "state", CommsState.values(), st -> st.code, st -> st.description);

        s.append("\n// ---- buffer layout (spec LayoutFormulas); a phase is 0 or 1\n");
        s.append("QR_SPEC_FN int64_t qr_spec_min(int64_t a, int64_t b) { return a < b ? a : b; }\n");
        s.append("QR_SPEC_FN int64_t qr_spec_ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }\n");
        s.append("QR_SPEC_FN int64_t qr_spec_align_up(int64_t a, int64_t b) { return (a + b - 1) / b * b; }\n");
        for (LayoutFormulas.Formula f : LayoutFormulas.all()) {
            s.append("// ").append(f.doc).append('\n').append(f.renderC()).append('\n');
        }
    }

    private static <E> void lookup(StringBuilder s, String what, E[] values, Function<E, Integer> code, Function<E, String> name) {
        s.append("static inline const char* qr_").append(what).append("_name(int code) {\n    switch (code) {\n");
        for (E e : values) {
            s.append("        case ").append(code.apply(e)).append(": return \"").append(name.apply(e)).append("\";\n");
        }
        s.append("        default: return 0;\n    }\n}\n");
    }


    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "kernels/include/qr_spec.h");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out);
    }
}
