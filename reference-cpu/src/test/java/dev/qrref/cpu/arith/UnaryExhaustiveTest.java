package dev.qrref.cpu.arith;

import static dev.qrref.cpu.arith.Mismatches.hex;
import dev.qrref.cpu.gen.Level;
import dev.qrref.spec.Format16;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every one of the 65,536 patterns of each format against the slow model: exact decoding, round trips through binary32,
 * the reciprocal and the casts under each profile, and the classifiers; plus {@code fromInt} on a range of integers.
 */
class UnaryExhaustiveTest {
    private static final int PATTERNS = 1 << 16;
    private static final Level LEVEL = Level.current();

    @ParameterizedTest
    @EnumSource(Format16.class)
    void toFloatIsExact(Format16 f) {
        ExactModel.Fmt fmt = ExactModel.of(f);
        Mismatches m = new Mismatches("toFloat " + f.id() + " (all patterns, every profile)");
        for (ProfileRules p : ProfileRules.ALL) {
            Arith16 a = p.arith(f);
            for (int b = 0; b < PATTERNS; b++) {
                ExactModel.Value want = ExactModel.decode(fmt, b);
                int got = Float.floatToRawIntBits(a.toFloat(b));
                if (!ExactModel.sameValue(want, ExactModel.decode(ExactModel.F32, got))) {
                    m.add("op=toFloat fmt=" + f.id() + " profile=" + p.name() + " a=" + hex(b) + " => got "
                            + Mismatches.hex32(got) + " want " + ExactModel.describe(want));
                }
            }
            m.checked(PATTERNS);
        }
        m.verdict();
    }

    @ParameterizedTest
    @EnumSource(Format16.class)
    void roundTripThroughBinary32(Format16 f) {
        Mismatches m = new Mismatches("round trip " + f.id() + " -> binary32 -> " + f.id()
                + " (all patterns, every profile + IEEE conversion)");
        for (int b = 0; b < PATTERNS; b++) {
            float v = f == Format16.FP16 ? Fp16.toFloat(b) : Bf16.toFloat(b);
            int back = f == Format16.FP16 ? Fp16.fromFloatRne(v) : Bf16.fromFloatRne(v);
            check(m, f, "ieee", b, back);
            for (ProfileRules p : ProfileRules.ALL) {
                Arith16 a = p.arith(f);
                check(m, f, p.name(), b, a.fromFloat(a.toFloat(b)));
            }
        }
        m.checked(4L * PATTERNS);
        m.verdict();
    }

    private static void check(Mismatches m, Format16 f, String profile, int b, int back) {
        boolean ok = f.isNaN(b) ? f.isNaN(back) : back == b;
        if (!ok) {
            m.add("op=roundtrip fmt=" + f.id() + " profile=" + profile + " a=" + hex(b) + " => got " + hex(back) + " want "
                    + hex(b));
        }
    }

    @ParameterizedTest
    @EnumSource(Format16.class)
    void reciprocal(Format16 f) {
        ExactModel.Fmt fmt = ExactModel.of(f);
        Mismatches m = new Mismatches("rcp " + f.id() + " (all patterns x 3 profiles)");
        for (int b = 0; b < PATTERNS; b++) {
            ExactModel.Result want = ExactModel.rcp(fmt, b);
            for (ProfileRules p : ProfileRules.ALL) {
                compare(m, "rcp", f, p, b, p.arith(f).rcp(b), want.bits(p.rules(f)));
            }
        }
        m.checked(3L * PATTERNS);
        m.verdict();
    }

    @ParameterizedTest
    @EnumSource(Format16.class)
    void classifiersAgreeWithTheSlowModel(Format16 f) {
        ExactModel.Fmt fmt = ExactModel.of(f);
        Mismatches m = new Mismatches("classifiers " + f.id() + " (all patterns x 8 predicates)");
        BigInteger minNormalUnits = BigInteger.ONE.shiftLeft(fmt.fracBits()); // smallest normal, in subnormal units
        for (int b = 0; b < PATTERNS; b++) {
            ExactModel.Value v = ExactModel.decode(fmt, b);
            boolean nan = v.kind() == ExactModel.Kind.NAN;
            boolean inf = v.kind() == ExactModel.Kind.INF;
            boolean zero = v.kind() == ExactModel.Kind.ZERO;
            boolean sub = v.kind() == ExactModel.Kind.FINITE
                    && v.sig().shiftLeft(v.exp() - (fmt.emin() - fmt.fracBits())).compareTo(minNormalUnits) < 0;
            float asFloat = f == Format16.FP16 ? Fp16.toFloat(b) : Bf16.toFloat(b);
            String[] names = {"isNaN", "isInfinite", "isFinite", "isZero", "isSubnormal", "isNegative", "toFloat.isNaN"};
            boolean[] got = {f.isNaN(b), f.isInfinite(b), f.isFinite(b), f.isZero(b), f.isSubnormal(b), f.isNegative(b),
                Float.isNaN(asFloat)};
            boolean[] want = {nan, inf, !nan && !inf, zero, sub, v.negative(), nan};
            for (int i = 0; i < names.length; i++) {
                if (got[i] != want[i]) {
                    m.add("op=" + names[i] + " fmt=" + f.id() + " a=" + hex(b) + " => got " + got[i] + " want " + want[i]);
                }
            }
            if (f.abs(b) != (b & 0x7FFF)) {
                m.add("op=abs fmt=" + f.id() + " a=" + hex(b) + " => got " + hex(f.abs(b)) + " want " + hex(b & 0x7FFF));
            }
        }
        m.checked(8L * PATTERNS);
        m.verdict();
    }

    @Test
    void castBf16ToFp16() {
        Mismatches m = new Mismatches("cast bf16->fp16 (all bf16 patterns x 3 profiles)");
        for (int b = 0; b < PATTERNS; b++) {
            ExactModel.Result want = ExactModel.convert(ExactModel.BF16, b, ExactModel.FP16);
            for (ProfileRules p : ProfileRules.ALL) {
                long w = want.bits(p.rules(Format16.FP16));
                compare(m, "castBf16ToFp16", Format16.FP16, p, b, p.profile().castBf16ToFp16(b), w);
            }
        }
        m.checked(3L * PATTERNS);
        m.verdict();
    }

    @Test
    void castFp16ToBf16() {
        Mismatches m = new Mismatches("cast fp16->bf16 (all fp16 patterns x 3 profiles)");
        for (int b = 0; b < PATTERNS; b++) {
            ExactModel.Result want = ExactModel.convert(ExactModel.FP16, b, ExactModel.BF16);
            for (ProfileRules p : ProfileRules.ALL) {
                long w = want.bits(p.rules(Format16.BF16));
                compare(m, "castFp16ToBf16", Format16.BF16, p, b, p.profile().castFp16ToBf16(b), w);
            }
        }
        m.checked(3L * PATTERNS);
        m.verdict();
    }

    /**
     * {@code fromInt} on every integer in {@code [-R, R]}: R = 2^17 at level 1 (past the fp16 overflow at 65520),
     * 2^24 at level 2. Beyond 2^24 the model converts like the kernels' {@code float(code)} → T, which rounds twice,
     * so it is deliberately not compared with a single rounding there (codes are at most 255).
     */
    @ParameterizedTest
    @EnumSource(Format16.class)
    void fromIntSmallIntegers(Format16 f) {
        ExactModel.Fmt fmt = ExactModel.of(f);
        int range = LEVEL.pick(1 << 17, 1 << 24);
        Mismatches m = new Mismatches("fromInt " + f.id() + " [-" + range + ", " + range + "] x 3 profiles");
        for (int v = -range; v <= range; v++) {
            ExactModel.Result want = v == 0 ? ExactModel.convert(fmt, 0, fmt)
                    : ExactModel.round(fmt, v < 0, BigInteger.valueOf(Math.abs((long) v)), BigInteger.ONE, 0);
            for (ProfileRules p : ProfileRules.ALL) {
                long w = want.bits(p.rules(f));
                int got = p.arith(f).fromInt(v);
                if (got != w) {
                    m.add("op=fromInt fmt=" + f.id() + " profile=" + p.name() + " a=" + v + " => got " + hex(got) + " want "
                            + hex(w));
                }
            }
        }
        m.checked(3L * (2L * range + 1));
        m.verdict();
    }

    /** Bit-exact comparison, NaN as a class. */
    static void compare(Mismatches m, String op, Format16 f, ProfileRules p, int a, int got, long want) {
        boolean ok = f.isNaN((int) want) ? f.isNaN(got) : got == want;
        if (!ok) {
            m.add("op=" + op + " fmt=" + f.id() + " profile=" + p.name() + " a=" + hex(a) + " => got " + hex(got) + " want "
                    + hex(want));
        }
    }
}
