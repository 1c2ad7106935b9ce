package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import java.math.BigInteger;

/**
 * The slow, independent model of the 16-bit arithmetic: exact values in {@link BigInteger}s, exact results of
 * {@code +}, {@code ×} and {@code 1/x}, and rounding to nearest, ties to even, written from the IEEE 754 definition
 * (round the exact value with unbounded exponent range, then overflow if the result's exponent is too large).
 * It shares nothing with the code under test: no {@code Float.floatToFloat16}, no binary32 arithmetic, no
 * {@link Format16} masks; formats are described here by their field widths alone.
 *
 * <p>Profile rules are applied here too, from the brief's definitions: {@link Rules#saturate} turns an overflow from
 * finite operands into ±max (and {@code 1/±0} into ±max); infinite operands stay infinite.
 */
final class ExactModel {
    private ExactModel() {
    }

    /** A binary interchange-style format given by its field widths. */
    record Fmt(String name, int expBits, int fracBits) {
        int bias() {
            return (1 << (expBits - 1)) - 1;
        }

        /** Exponent of the smallest normal. */
        int emin() {
            return 1 - bias();
        }

        /** Significand bits including the hidden one. */
        int precision() {
            return fracBits + 1;
        }

        int maxField() {
            return (1 << expBits) - 1;
        }

        long signBit() {
            return 1L << (expBits + fracBits);
        }

        long maxFinite() {
            return ((long) (maxField() - 1) << fracBits) | ((1L << fracBits) - 1);
        }

        long infinity() {
            return (long) maxField() << fracBits;
        }
    }

    static final Fmt FP16 = new Fmt("fp16", 5, 10);
    static final Fmt BF16 = new Fmt("bf16", 8, 7);
    static final Fmt F32 = new Fmt("binary32", 8, 23);

    static Fmt of(Format16 f) {
        return switch (f) {
            case FP16 -> FP16;
            case BF16 -> BF16;
        };
    }

    /** The overflow rule of a profile in a format: whether finite overflow gives ±max instead of ±inf. */
    record Rules(String profile, boolean saturate) {
    }

    enum Kind { ZERO, FINITE, INF, NAN }

    /** A decoded value; for FINITE, the magnitude is exactly {@code sig × 2^exp} with {@code sig > 0}. */
    record Value(Kind kind, boolean negative, BigInteger sig, int exp) {
        boolean isNaN() {
            return kind == Kind.NAN;
        }
    }

    /** Decodes a pattern of {@code f} from its fields. */
    static Value decode(Fmt f, long bits) {
        bits &= (f.signBit() << 1) - 1; // a binary32 pattern may arrive sign-extended from an int
        boolean neg = (bits & f.signBit()) != 0;
        int field = (int) ((bits >>> f.fracBits()) & f.maxField());
        long frac = bits & ((1L << f.fracBits()) - 1);
        if (field == f.maxField()) {
            return new Value(frac == 0 ? Kind.INF : Kind.NAN, neg, null, 0);
        }
        if (field == 0 && frac == 0) {
            return new Value(Kind.ZERO, neg, null, 0);
        }
        long sig = field == 0 ? frac : frac | (1L << f.fracBits());
        int exp = (field == 0 ? f.emin() : field - f.bias()) - f.fracBits();
        return new Value(Kind.FINITE, neg, BigInteger.valueOf(sig), exp);
    }

    /**
     * A rounded result: the IEEE pattern (overflow to ±inf) and whether it overflowed from finite operands, so a
     * profile's saturation can be applied without rounding again; {@code inexact} and {@code tie} (the exact value was
     * halfway between two neighbours) let tests count which rounding cases their inputs reached.
     */
    record Result(Fmt fmt, long ieeeBits, boolean finiteOverflow, boolean inexact, boolean tie) {
        Result(Fmt fmt, long ieeeBits, boolean finiteOverflow) {
            this(fmt, ieeeBits, finiteOverflow, false, false);
        }

        long bits(Rules rules) {
            if (finiteOverflow && rules.saturate()) {
                return (ieeeBits & fmt.signBit()) | fmt.maxFinite();
            }
            return ieeeBits;
        }

        boolean isNaN() {
            return decode(fmt, ieeeBits).isNaN();
        }
    }

    private static Result nan(Fmt f) {
        return new Result(f, f.infinity() | 1L << (f.fracBits() - 1), false);
    }

    private static Result inf(Fmt f, boolean neg) {
        return new Result(f, (neg ? f.signBit() : 0) | f.infinity(), false);
    }

    private static Result zero(Fmt f, boolean neg) {
        return new Result(f, neg ? f.signBit() : 0, false);
    }

    /**
     * Rounds {@code ±num/den × 2^exp2} (num, den > 0) to nearest, ties to even. The exact value is first rounded to
     * {@code precision} significant bits, or to the subnormal grid 2^(emin - fracBits) when it is below 2^emin; a
     * result of 2^(emax+1) or more overflows.
     */
    static Result round(Fmt f, boolean neg, BigInteger num, BigInteger den, int exp2) {
        // e = floor(log2(num/den)): the estimate from bit lengths is exact or one too large
        int e = num.bitLength() - den.bitLength();
        if (compareScaled(num, den, e) < 0) {
            e--;
        }
        e += exp2;
        int quantum = Math.max(e, f.emin()) - f.fracBits(); // exponent of the last place kept
        int shift = exp2 - quantum; // value / 2^quantum = num × 2^shift / den
        BigInteger n = shift >= 0 ? num.shiftLeft(shift) : num;
        BigInteger d = shift >= 0 ? den : den.shiftLeft(-shift);
        BigInteger[] qr = n.divideAndRemainder(d);
        BigInteger m = qr[0];
        boolean inexact = qr[1].signum() != 0;
        int half = qr[1].shiftLeft(1).compareTo(d); // remainder against half a unit
        if (half > 0 || (half == 0 && m.testBit(0))) {
            m = m.add(BigInteger.ONE);
        }
        if (m.signum() == 0) {
            return new Result(f, neg ? f.signBit() : 0, false, true, half == 0); // underflow to zero keeps the sign
        }
        long sig = m.longValueExact();
        if (sig == 1L << f.precision()) { // rounding carried into a new binade
            sig >>= 1;
            quantum++;
        }
        int field = sig < 1L << f.fracBits() ? 0 : quantum + f.fracBits() + f.bias();
        if (field >= f.maxField()) {
            return new Result(f, (neg ? f.signBit() : 0) | f.infinity(), true, true, half == 0);
        }
        long bits = (neg ? f.signBit() : 0) | (long) field << f.fracBits() | (sig & ((1L << f.fracBits()) - 1));
        return new Result(f, bits, false, inexact, half == 0);
    }

    /** Sign of {@code num - den × 2^e}. */
    private static int compareScaled(BigInteger num, BigInteger den, int e) {
        return e >= 0 ? num.compareTo(den.shiftLeft(e)) : num.shiftLeft(-e).compareTo(den);
    }

    /** A pattern of {@code from} converted to {@code to}. */
    static Result convert(Fmt from, long bits, Fmt to) {
        Value v = decode(from, bits);
        return switch (v.kind()) {
            case NAN -> nan(to);
            case INF -> inf(to, v.negative());
            case ZERO -> zero(to, v.negative());
            case FINITE -> round(to, v.negative(), v.sig(), BigInteger.ONE, v.exp());
        };
    }

    static Result add(Fmt f, long a, long b) {
        Value x = decode(f, a);
        Value y = decode(f, b);
        if (x.isNaN() || y.isNaN()) {
            return nan(f);
        }
        if (x.kind() == Kind.INF || y.kind() == Kind.INF) {
            if (x.kind() == Kind.INF && y.kind() == Kind.INF && x.negative() != y.negative()) {
                return nan(f); // inf - inf
            }
            return inf(f, x.kind() == Kind.INF ? x.negative() : y.negative());
        }
        if (x.kind() == Kind.ZERO && y.kind() == Kind.ZERO) {
            return zero(f, x.negative() && y.negative()); // (+0) + (-0) = +0 in round to nearest
        }
        BigInteger sx = signed(x);
        BigInteger sy = signed(y);
        int ex = x.kind() == Kind.ZERO ? y.exp() : x.exp();
        int ey = y.kind() == Kind.ZERO ? x.exp() : y.exp();
        int e = Math.min(ex, ey);
        BigInteger sum = sx.shiftLeft(ex - e).add(sy.shiftLeft(ey - e));
        if (sum.signum() == 0) {
            return zero(f, false); // an exact zero sum of non-zero operands is +0 in round to nearest
        }
        return round(f, sum.signum() < 0, sum.abs(), BigInteger.ONE, e);
    }

    static Result mul(Fmt f, long a, long b) {
        Value x = decode(f, a);
        Value y = decode(f, b);
        boolean neg = x.negative() != y.negative();
        if (x.isNaN() || y.isNaN()) {
            return nan(f);
        }
        if (x.kind() == Kind.INF || y.kind() == Kind.INF) {
            return x.kind() == Kind.ZERO || y.kind() == Kind.ZERO ? nan(f) : inf(f, neg); // 0 × inf is invalid
        }
        if (x.kind() == Kind.ZERO || y.kind() == Kind.ZERO) {
            return zero(f, neg);
        }
        return round(f, neg, x.sig().multiply(y.sig()), BigInteger.ONE, x.exp() + y.exp());
    }

    /** {@code 1/a}; {@code 1/±0} is a division by zero (±inf), which a saturating profile also clamps to ±max. */
    static Result rcp(Fmt f, long a) {
        Value x = decode(f, a);
        return switch (x.kind()) {
            case NAN -> nan(f);
            case INF -> zero(f, x.negative());
            case ZERO -> new Result(f, (x.negative() ? f.signBit() : 0) | f.infinity(), true);
            case FINITE -> round(f, x.negative(), BigInteger.ONE, x.sig(), -x.exp());
        };
    }

    /** Compares two non-NaN values exactly (-0 and +0 compare equal). */
    static int compare(Value x, Value y) {
        int sx = sign(x);
        int sy = sign(y);
        if (sx != sy) {
            return Integer.compare(sx, sy);
        }
        int m = compareMagnitude(x, y);
        return sx < 0 ? -m : m;
    }

    /** Compares the magnitudes of two non-NaN values. */
    static int compareMagnitude(Value x, Value y) {
        int rx = rank(x.kind());
        int ry = rank(y.kind());
        if (rx != ry || x.kind() != Kind.FINITE) {
            return Integer.compare(rx, ry);
        }
        int e = Math.min(x.exp(), y.exp());
        return x.sig().shiftLeft(x.exp() - e).compareTo(y.sig().shiftLeft(y.exp() - e));
    }

    /** Two decoded values are the same number (for non-NaN values; signed zeros are distinguished). */
    static boolean sameValue(Value x, Value y) {
        if (x.isNaN() || y.isNaN()) {
            return x.isNaN() && y.isNaN();
        }
        return x.kind() == y.kind() && x.negative() == y.negative() && compareMagnitude(x, y) == 0;
    }

    /** maxNum: a NaN operand yields the other; +0 is above -0. */
    static long max(Fmt f, long a, long b) {
        return pick(f, a, b, true);
    }

    /** minNum: a NaN operand yields the other; -0 is below +0. */
    static long min(Fmt f, long a, long b) {
        return pick(f, a, b, false);
    }

    private static long pick(Fmt f, long a, long b, boolean max) {
        Value x = decode(f, a);
        Value y = decode(f, b);
        if (x.isNaN()) {
            return b;
        }
        if (y.isNaN()) {
            return a;
        }
        int c = compare(x, y);
        if (c == 0 && x.kind() == Kind.ZERO) {
            c = Boolean.compare(y.negative(), x.negative()); // order -0 below +0
        }
        return (c >= 0) == max ? a : b;
    }

    /** {@code |a| > |b|}, an ordered comparison: false when either is NaN. */
    static boolean absGreater(Fmt f, long a, long b) {
        Value x = decode(f, a);
        Value y = decode(f, b);
        return !x.isNaN() && !y.isNaN() && compareMagnitude(x, y) > 0;
    }

    /** {@code +1023×2^-24}, {@code -0}, {@code +inf}, {@code NaN}: a value as failure lines print it. */
    static String describe(Value v) {
        String sign = v.negative() ? "-" : "+";
        return switch (v.kind()) {
            case NAN -> "NaN";
            case INF -> sign + "inf";
            case ZERO -> sign + "0";
            case FINITE -> sign + v.sig() + "×2^" + v.exp();
        };
    }

    private static int rank(Kind k) {
        return switch (k) {
            case ZERO -> 0;
            case FINITE -> 1;
            case INF -> 2;
            case NAN -> throw new IllegalArgumentException("NaN has no order");
        };
    }

    private static int sign(Value v) {
        return v.kind() == Kind.ZERO ? 0 : v.negative() ? -1 : 1;
    }

    private static BigInteger signed(Value v) {
        if (v.kind() == Kind.ZERO) {
            return BigInteger.ZERO;
        }
        return v.negative() ? v.sig().negate() : v.sig();
    }
}
