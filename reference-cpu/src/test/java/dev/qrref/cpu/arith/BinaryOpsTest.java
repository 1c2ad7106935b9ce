package dev.qrref.cpu.arith;

import static dev.qrref.cpu.arith.Mismatches.hex;

import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.PairCases;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.gen.StructuredPairs;
import dev.qrref.spec.Format16;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * add, mul, max, min and absGreater in both formats under every profile against the slow model: every special value
 * against every special value, uniformly random patterns, random values with nearby exponents, and structured pairs
 * whose results sit on rounding boundaries. The model's result is computed once per pair; each profile's rule is then
 * applied to it. NaN results are compared as a class, everything else bit for bit.
 */
class BinaryOpsTest {
    private static final Level LEVEL = Level.current();
    /** Uniform pairs and exponent-spread pairs, each; together at least 1,048,576 random pairs per op and format. */
    private static final int RANDOM_EACH = LEVEL.pick(1 << 19, 1 << 23);
    private static final int STRUCTURED = LEVEL.pick(1 << 18, 1 << 22);
    private static final int CHUNK = 1 << 14;

    enum Op {
        ADD("add"), MUL("mul"), MAX("max"), MIN("min"), ABS_GREATER("absGreater");

        final String id;

        Op(String id) {
            this.id = id;
        }
    }

    /** A named case set with the seed it was drawn from (0 for the special table). */
    record CaseSet(String name, long seed, int[] pairs) {
        String seedText() {
            return name.equals("specials") ? "set=specials" : "set=" + name + " seed=" + Seeds.hex(seed);
        }
    }

    static Stream<Arguments> opsAndFormats() {
        return Stream.of(Op.values()).flatMap(op -> Stream.of(Format16.values()).map(f -> Arguments.of(op, f)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("opsAndFormats")
    void againstTheSlowModel(Op op, Format16 f) {
        String label = op.id + "-" + f.id();
        long su = Seeds.of(label + "-uniform");
        long ss = Seeds.of(label + "-spread");
        long st = Seeds.of(label + "-structured");
        CaseSet[] sets = {
            new CaseSet("specials", 0, PairCases.specials(f)),
            new CaseSet("uniform", su, PairCases.uniform(su, RANDOM_EACH)),
            // operands within fractionBits + 3 binades of each other: every alignment, carry and cancellation
            new CaseSet("spread", ss, PairCases.exponentSpread(f, ss, RANDOM_EACH, f.fractionBits + 3)),
            new CaseSet("structured", st, switch (op) {
                case ADD -> StructuredPairs.sums(f, st, STRUCTURED);
                case MUL -> StructuredPairs.products(f, st, STRUCTURED);
                default -> StructuredPairs.orderings(f, st, STRUCTURED);
            }),
        };
        long pairs = 0;
        StringBuilder sizes = new StringBuilder();
        for (CaseSet s : sets) {
            pairs += s.pairs().length;
            sizes.append(sizes.isEmpty() ? "" : " + ").append(String.format("%,d %s", s.pairs().length, s.name()));
        }
        Coverage cov = new Coverage(op.id + " " + f.id());
        Mismatches m = new Mismatches(String.format("%s %s (%s = %,d pairs) x %d profiles, %s", op.id, f.id(), sizes, pairs,
                ProfileRules.ALL.size(), LEVEL));
        for (CaseSet s : sets) {
            int[] p = s.pairs();
            // two cores: chunks in parallel; each pair is independent
            IntStream.range(0, (p.length + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
                for (int i = c * CHUNK, end = Math.min(p.length, i + CHUNK); i < end; i++) {
                    check(m, cov, op, f, s, PairCases.a(p[i]), PairCases.b(p[i]));
                }
            });
            m.checked((long) p.length * ProfileRules.ALL.size());
        }
        m.verdict();
        switch (op) {
            case ADD -> cov.require("exact", "inexact", "tie", "overflow", "subnormal", "exact cancellation", "inf", "NaN");
            case MUL -> cov.require("exact", "inexact", "tie", "overflow", "subnormal", "underflow to zero", "inf", "NaN");
            default -> cov.require("a", "b", "NaN operand", "two NaNs", "signed zeros", "equal magnitudes");
        }
    }

    private static void check(Mismatches m, Coverage cov, Op op, Format16 f, CaseSet set, int a, int b) {
        ExactModel.Fmt fmt = ExactModel.of(f);
        switch (op) {
            case ADD, MUL -> {
                ExactModel.Result want = op == Op.ADD ? ExactModel.add(fmt, a, b) : ExactModel.mul(fmt, a, b);
                classify(cov, op, f, a, b, want);
                for (ProfileRules p : ProfileRules.ALL) {
                    Arith16 x = p.arith(f);
                    int got = op == Op.ADD ? x.add(a, b) : x.mul(a, b);
                    compare(m, op, f, p, set, a, b, got, want.bits(p.rules(f)));
                }
            }
            case MAX, MIN -> {
                long want = op == Op.MAX ? ExactModel.max(fmt, a, b) : ExactModel.min(fmt, a, b);
                classifyOrder(cov, f, a, b, want == a);
                for (ProfileRules p : ProfileRules.ALL) {
                    Arith16 x = p.arith(f);
                    compare(m, op, f, p, set, a, b, op == Op.MAX ? x.max(a, b) : x.min(a, b), want);
                }
            }
            case ABS_GREATER -> {
                boolean want = ExactModel.absGreater(fmt, a, b);
                classifyOrder(cov, f, a, b, want);
                for (ProfileRules p : ProfileRules.ALL) {
                    boolean got = p.arith(f).absGreater(a, b);
                    if (got != want) {
                        m.add(line(op, f, p, a, b) + " => got " + got + " want " + want + " " + set.seedText());
                    }
                }
            }
        }
    }

    private static void classify(Coverage cov, Op op, Format16 f, int a, int b, ExactModel.Result r) {
        int bits = (int) r.ieeeBits();
        if (f.isNaN(bits)) {
            cov.hit("NaN");
            return;
        }
        cov.hit(r.finiteOverflow() ? "overflow"
                : f.isInfinite(bits) ? "inf"
                : r.tie() ? "tie"
                : r.inexact() ? "inexact" : "exact");
        if (f.isSubnormal(bits)) {
            cov.hit("subnormal");
        }
        if (f.isZero(bits) && !f.isZero(a) && !f.isZero(b)) {
            cov.hit(op == Op.ADD ? "exact cancellation" : "underflow to zero");
        }
    }

    private static void classifyOrder(Coverage cov, Format16 f, int a, int b, boolean first) {
        cov.hit(f.isNaN(a) && f.isNaN(b) ? "two NaNs" : f.isNaN(a) || f.isNaN(b) ? "NaN operand" : first ? "a" : "b");
        if (f.isZero(a) && f.isZero(b) && a != b) {
            cov.hit("signed zeros");
        }
        if (!f.isNaN(a) && f.abs(a) == f.abs(b)) {
            cov.hit("equal magnitudes");
        }
    }

    private static void compare(Mismatches m, Op op, Format16 f, ProfileRules p, CaseSet set, int a, int b, int got,
                                long want) {
        boolean ok = f.isNaN((int) want) ? f.isNaN(got) : got == want;
        if (!ok) {
            m.add(line(op, f, p, a, b) + " => got " + hex(got) + " want " + hex(want) + " " + set.seedText());
        }
    }

    private static String line(Op op, Format16 f, ProfileRules p, int a, int b) {
        return "op=" + op.id + " fmt=" + f.id() + " profile=" + p.name() + " a=" + hex(a) + " b=" + hex(b);
    }
}
