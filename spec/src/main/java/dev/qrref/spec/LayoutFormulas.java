package dev.qrref.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The buffer-layout arithmetic, written once (rules BUF-1, BUF-2, GEO-3). Each formula is an integer expression over its
 * parameters, the spec's constants and the formulas before it. {@link BufferLayout} evaluates them; the C header
 * generator renders each as a {@code static inline} function {@code qr_layout_<name>} that the kernels, the host code and
 * {@code qr_layout_query} call. Nothing else computes an offset.
 *
 * <p>Expressions use {@code + - * /} (integer division of non-negative values), parentheses, the builtins
 * {@code min(a, b)}, {@code ceil_div(a, b)} and {@code align_up(a, b)}, parameter names in lower case and constant names
 * in upper case. A phase is an index: 0 for phase 1, 1 for phase 2.
 */
public final class LayoutFormulas {
    private LayoutFormulas() {
    }

    /** One formula: {@code name(params) = expression}. */
    public static final class Formula {
        public final String name;
        public final List<String> params;
        public final String expression;
        public final String doc;
        private final Expr body;

        Formula(String name, List<String> params, String expression, String doc, Map<String, Formula> defined) {
            this.name = name;
            this.params = params;
            this.expression = expression;
            this.doc = doc;
            this.body = new Parser(expression, params, defined).parseAll();
        }

        /** The value for the given arguments (in {@link #params} order). */
        public long eval(long... args) {
            if (args.length != params.size()) {
                throw new IllegalArgumentException(name + " takes " + params.size() + " arguments, got " + args.length);
            }
            return body.eval(args);
        }

        /** The C function: {@code QR_SPEC_FN int64_t qr_layout_NAME(int64_t a, ...) { return ...; }}. */
        public String renderC() {
            StringBuilder s = new StringBuilder("QR_SPEC_FN int64_t qr_layout_").append(name).append('(');
            for (int i = 0; i < params.size(); i++) {
                s.append(i == 0 ? "" : ", ").append("int64_t ").append(params.get(i));
            }
            return s.append(") { return ").append(body.c()).append("; }").toString();
        }

        /** {@code name(a, b) = expression}, for the documentation. */
        public String signature() {
            return name + "(" + String.join(", ", params) + ") = " + expression;
        }
    }

    private static final Map<String, Long> SYMBOLS = symbols();
    private static final Map<String, Formula> FORMULAS = new LinkedHashMap<>();

    public static final Formula FLAG_BYTES = def("flag_bytes", "world_size, max_blocks",
            "world_size * max_blocks * FLAG_WORD_BYTES", "bytes of one phase's flag array: [block][sender]");
    public static final Formula FLAGS_OFFSET = def("flags_offset", "world_size, max_blocks, phase",
            "phase * flag_bytes(world_size, max_blocks)", "start of a phase's flags (phase 0 or 1)");
    public static final Formula FLAG_IN_PHASE = def("flag_in_phase", "world_size, block, sender",
            "(block * world_size + sender) * FLAG_WORD_BYTES", "the flag sender sets for block, from its phase's start");
    public static final Formula COUNTERS_OFFSET = def("counters_offset", "world_size, max_blocks",
            "2 * flag_bytes(world_size, max_blocks)", "the block counters (this rank's own), after both flag arrays");
    public static final Formula DATA_OFFSET = def("data_offset", "world_size, max_blocks",
            "align_up(counters_offset(world_size, max_blocks) + max_blocks * FLAG_WORD_BYTES, DATA_ALIGNMENT)",
            "start of the phase-1 data region");
    public static final Formula NUM_TILES = def("num_tiles", "n", "ceil_div(n, TILE_ELEMENTS)", "tiles covering n elements");
    public static final Formula GRID = def("grid", "n, max_blocks", "min(num_tiles(n), max_blocks)",
            "blocks a call of n elements launches");
    public static final Formula TOUCHED_BLOCKS = def("touched_blocks", "max_blocks, max_problem_bytes",
            "grid(max_problem_bytes / ELEMENT_BYTES, max_blocks)", "blocks that can ever run, so slots that can be touched");
    public static final Formula PHASE_BYTES = def("phase_bytes", "max_blocks, max_problem_bytes",
            "touched_blocks(max_blocks, max_problem_bytes) * ATOMS * MAX_STRIDE",
            "bytes of one phase's data region, sized for the largest codec");
    public static final Formula PHASE_OFFSET = def("phase_offset", "world_size, max_blocks, max_problem_bytes, phase",
            "data_offset(world_size, max_blocks) + phase * phase_bytes(max_blocks, max_problem_bytes)",
            "start of a phase's data region (phase 0 or 1)");
    public static final Formula TOTAL_BYTES = def("total_bytes", "world_size, max_blocks, max_problem_bytes",
            "data_offset(world_size, max_blocks) + 2 * phase_bytes(max_blocks, max_problem_bytes)", "bytes of the buffer");
    public static final Formula SLOT_IN_PHASE = def("slot_in_phase", "world_size, stride, block, sender",
            "block * ATOMS * stride + sender * (ATOMS / world_size) * stride",
            "the sub-slot sender fills for block, from its phase's start (stride: the codec's atom block)");

    /** Every formula in definition order. */
    public static List<Formula> all() {
        return List.copyOf(FORMULAS.values());
    }

    private static Formula def(String name, String params, String expression, String doc) {
        List<String> ps = List.of(params.split(",\\s*"));
        Formula f = new Formula(name, ps, expression, doc, FORMULAS);
        FORMULAS.put(name, f);
        return f;
    }

    /** The constants a formula may name: geometry, flags, the data alignment and the largest stride. */
    private static Map<String, Long> symbols() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Constant c : Geometry.constants()) {
            m.put(c.name(), c.value());
        }
        for (Constant c : FlagScheme.constants()) {
            m.put(c.name(), c.value());
        }
        // the layout's own two constants (BufferLayout.constants() also holds examples computed from these formulas)
        m.put("DATA_ALIGNMENT", (long) BufferLayout.DATA_ALIGNMENT);
        for (Constant c : CodecLayout.constants()) {
            m.put(c.name(), c.value());
        }
        return m;
    }

    // ---- expressions --------------------------------------------------------------------------------------------------

    private interface Expr {
        long eval(long[] args);

        String c();
    }

    private static final class Parser {
        private final String src;
        private final List<String> params;
        private final Map<String, Formula> defined;
        private int pos;

        Parser(String src, List<String> params, Map<String, Formula> defined) {
            this.src = src;
            this.params = params;
            this.defined = defined;
        }

        Expr parseAll() {
            Expr e = sum();
            skip();
            if (pos != src.length()) {
                throw error("unexpected '" + src.charAt(pos) + "'");
            }
            return e;
        }

        private Expr sum() {
            Expr left = product();
            while (true) {
                skip();
                if (peek('+') || peek('-')) {
                    char op = src.charAt(pos++);
                    Expr l = left;
                    Expr r = product();
                    left = op == '+' ? binary(l, r, "+", Math::addExact) : binary(l, r, "-", Math::subtractExact);
                } else {
                    return left;
                }
            }
        }

        private Expr product() {
            Expr left = factor();
            while (true) {
                skip();
                if (peek('*') || peek('/')) {
                    char op = src.charAt(pos++);
                    Expr l = left;
                    Expr r = factor();
                    left = op == '*' ? binary(l, r, "*", Math::multiplyExact) : binary(l, r, "/", (a, b) -> a / b);
                } else {
                    return left;
                }
            }
        }

        private Expr factor() {
            skip();
            if (peek('(')) {
                pos++;
                Expr e = sum();
                expect(')');
                return new Expr() {
                    public long eval(long[] a) {
                        return e.eval(a);
                    }

                    public String c() {
                        return "(" + e.c() + ")";
                    }
                };
            }
            int start = pos;
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
                long v = Long.parseLong(src.substring(start, pos));
                return new Expr() {
                    public long eval(long[] a) {
                        return v;
                    }

                    public String c() {
                        return Long.toString(v);
                    }
                };
            }
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            String name = src.substring(start, pos);
            if (name.isEmpty()) {
                throw error("expected a number, a name or '('");
            }
            skip();
            if (peek('(')) {
                pos++;
                List<Expr> args = new ArrayList<>();
                skip();
                while (!peek(')')) {
                    args.add(sum());
                    skip();
                    if (peek(',')) {
                        pos++;
                    } else if (!peek(')')) {
                        throw error("expected ',' or ')'");
                    }
                }
                expect(')');
                return call(name, args);
            }
            if (Character.isUpperCase(name.charAt(0))) {
                Long v = SYMBOLS.get(name);
                if (v == null) {
                    throw error("unknown constant " + name);
                }
                long value = v;
                return new Expr() {
                    public long eval(long[] a) {
                        return value;
                    }

                    public String c() {
                        return "((int64_t)QR_" + name + ")";
                    }
                };
            }
            int index = params.indexOf(name);
            if (index < 0) {
                throw error("unknown parameter " + name);
            }
            return new Expr() {
                public long eval(long[] a) {
                    return a[index];
                }

                public String c() {
                    return name;
                }
            };
        }

        private Expr call(String name, List<Expr> args) {
            switch (name) {
                case "min" -> {
                    return builtin(name, args, 2, v -> Math.min(v[0], v[1]));
                }
                case "ceil_div" -> {
                    return builtin(name, args, 2, v -> (v[0] + v[1] - 1) / v[1]);
                }
                case "align_up" -> {
                    return builtin(name, args, 2, v -> (v[0] + v[1] - 1) / v[1] * v[1]);
                }
                default -> {
                    Formula f = defined.get(name);
                    if (f == null) {
                        throw error("unknown formula " + name + " (formulas may only call earlier ones)");
                    }
                    if (f.params.size() != args.size()) {
                        throw error(name + " takes " + f.params.size() + " arguments");
                    }
                    return new Expr() {
                        public long eval(long[] a) {
                            long[] v = new long[args.size()];
                            for (int i = 0; i < v.length; i++) {
                                v[i] = args.get(i).eval(a);
                            }
                            return f.body.eval(v);
                        }

                        public String c() {
                            return "qr_layout_" + name + "(" + joinC(args) + ")";
                        }
                    };
                }
            }
        }

        private Expr builtin(String name, List<Expr> args, int arity, java.util.function.ToLongFunction<long[]> op) {
            if (args.size() != arity) {
                throw error(name + " takes " + arity + " arguments");
            }
            return new Expr() {
                public long eval(long[] a) {
                    long[] v = new long[args.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = args.get(i).eval(a);
                    }
                    return op.applyAsLong(v);
                }

                public String c() {
                    return "qr_spec_" + name + "(" + joinC(args) + ")";
                }
            };
        }

        private static String joinC(List<Expr> args) {
            StringBuilder s = new StringBuilder();
            for (Expr e : args) {
                s.append(s.isEmpty() ? "" : ", ").append(e.c());
            }
            return s.toString();
        }

        private static Expr binary(Expr l, Expr r, String op, java.util.function.LongBinaryOperator f) {
            return new Expr() {
                public long eval(long[] a) {
                    return f.applyAsLong(l.eval(a), r.eval(a));
                }

                public String c() {
                    return l.c() + " " + op + " " + r.c();
                }
            };
        }

        private void skip() {
            while (pos < src.length() && src.charAt(pos) == ' ') {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < src.length() && src.charAt(pos) == c;
        }

        private void expect(char c) {
            skip();
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private IllegalStateException error(String what) {
            return new IllegalStateException("layout formula '" + src + "' at " + pos + ": " + what);
        }
    }
}
