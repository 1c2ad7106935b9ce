package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;

/**
 * The 16-bit operations a QuickReduce kernel performs, in one format, as one numerics profile defines them
 * (rules NUM-1..NUM-4). Operands and results are raw 16-bit patterns in the low bits of an {@code int}.
 *
 * <p>Each operation is computed exactly or correctly rounded in binary32 and rounded once to the 16-bit format. That
 * is the correctly rounded 16-bit result: a binary32 sum, product or quotient of two fp16/bf16 values rounded again to
 * 16 bits cannot double-round wrongly because 24 ≥ 2·11 + 2 (Roux, "Innocuous double rounding of basic arithmetic
 * operations", 2014); fp16 and bf16 products are exact in binary32. The slow exact model in the tests checks this on
 * every unary input and on millions of binary inputs.
 *
 * <p>The profile-specific parts are data, not subclasses, so that every call site stays monomorphic:
 * {@code saturate} (MODE.FP16_OVFL: a finite result that overflows becomes ±max instead of ±inf; the reciprocal of ±0
 * becomes ±max too) and the max/min treatment of NaN and signed zeros (maxNum/minNum, {@code -0 < +0}), which is the
 * same in every profile defined today.
 */
public final class Arith16 {
    private final Format16 format;
    private final boolean fp16;
    private final boolean saturate;
    private final int maxFinite;

    public Arith16(Format16 format, boolean saturate) {
        this.format = format;
        this.fp16 = format == Format16.FP16;
        this.saturate = saturate;
        this.maxFinite = format.maxFinite;
    }

    public Format16 format() {
        return format;
    }

    /** Whether finite overflow saturates to ±max. */
    public boolean saturates() {
        return saturate;
    }

    /** Exact value of a pattern. */
    public float toFloat(int bits) {
        return fp16 ? Fp16.toFloat(bits) : Bf16.toFloat(bits);
    }

    /**
     * Rounds a binary32 value to this format (nearest even). Under saturation a finite {@code f} whose rounding
     * overflows becomes ±max; infinities stay infinite.
     */
    public int fromFloat(float f) {
        if (f != f) {
            // A NaN result's payload is not modelled (it would depend on which operand the JIT puts first): one pattern.
            return format.canonicalNaN;
        }
        int r = fp16 ? Fp16.fromFloatRne(f) : Bf16.fromFloatRne(f);
        if (saturate && (r & 0x7FFF) == format.positiveInfinity && !Float.isInfinite(f)) {
            return (r & format.signMask) | maxFinite;
        }
        return r;
    }

    /** {@code a + b}. */
    public int add(int a, int b) {
        return fromFloat(toFloat(a) + toFloat(b));
    }

    /** {@code a × b}. */
    public int mul(int a, int b) {
        return fromFloat(toFloat(a) * toFloat(b));
    }

    /** {@code 1 / a}, correctly rounded; under saturation {@code rcp(±0) = ±max}. */
    public int rcp(int a) {
        if (saturate && (a & 0x7FFF) == 0) {
            return (a & format.signMask) | maxFinite;
        }
        return fromFloat(1.0f / toFloat(a));
    }

    /** maxNum: a NaN operand is ignored; {@code max(-0, +0) = +0}. Two NaNs give a NaN. */
    public int max(int a, int b) {
        if (format.isNaN(a)) {
            return b;
        }
        if (format.isNaN(b)) {
            return a;
        }
        float fa = toFloat(a);
        float fb = toFloat(b);
        if (fa == fb) {
            // equal values differ only for ±0: +0 wins (its sign bit is clear)
            return (a & format.signMask) == 0 ? a : b;
        }
        return fa > fb ? a : b;
    }

    /** minNum: a NaN operand is ignored; {@code min(-0, +0) = -0}. Two NaNs give a NaN. */
    public int min(int a, int b) {
        if (format.isNaN(a)) {
            return b;
        }
        if (format.isNaN(b)) {
            return a;
        }
        float fa = toFloat(a);
        float fb = toFloat(b);
        if (fa == fb) {
            return (a & format.signMask) != 0 ? a : b;
        }
        return fa < fb ? a : b;
    }

    /** {@code |a| > |b|} as an ordered comparison: false when either is NaN. */
    public boolean absGreater(int a, int b) {
        return Math.abs(toFloat(a)) > Math.abs(toFloat(b));
    }

    /** A small integer converted exactly (the kernels' {@code float(code)} → T). */
    public int fromInt(int v) {
        return fromFloat((float) v);
    }

    @Override
    public String toString() {
        return format.id() + (saturate ? "+saturate" : "");
    }
}
