package dev.qrref.conformance;

import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.gen.SpecialValues;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Generates a case's per-rank tensors (16-bit patterns of the case's dtype), deterministically from its seed. */
public final class Inputs {
    private Inputs() {
    }

    public static short[][] generate(CaseSpec c) {
        if (c.n() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("case too large for array inputs: " + c.n());
        }
        int n = (int) c.n();
        short[][] out = new short[c.worldSize()][];
        IntStream.range(0, c.worldSize()).parallel().forEach(r -> out[r] = rank(c, n, r));
        return out;
    }

    private static short[] rank(CaseSpec c, int n, int rank) {
        Format16 f = c.path().dtype.format;
        SplittableRandom rnd = new SplittableRandom(c.seed() * 0x9E3779B97F4A7C15L + rank * 0xC2B2AE3D27D4EB4FL + 1);
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            v[i] = (short) encode(f, (float) rnd.nextGaussian());
        }
        int spans = Math.max(1, n / Geometry.GROUP_SPAN);
        switch (c.kind()) {
            case GAUSSIAN -> { }
            case SPECIALS -> {
                int[] specials = SpecialValues.of(f);
                for (int i = 0; i < n / 64 + 1; i++) {
                    v[rnd.nextInt(n)] = (short) specials[rnd.nextInt(specials.length)];
                }
                zeroSpan(v, n, rnd.nextInt(spans), rnd.nextBoolean());
                // and one span zero on every rank (the same span for all: it depends on the case seed only)
                zeroSpan(v, n, (int) Long.remainderUnsigned(c.seed(), spans), rnd.nextBoolean());
            }
            case ZERO_GROUPS -> {
                for (int s = rank % 3; s < spans; s += 3) {
                    zeroSpan(v, n, s, (s / 3) % 2 == 1);
                }
                // spans zero on every rank, +0 on some ranks and -0 on others: the reduction must start from +0 (RED-1);
                // the last span always, so that a one-span case has one too
                for (int s = 2; s < spans; s += 5) {
                    zeroSpan(v, n, s, (s / 5 + rank) % 2 == 1);
                }
                zeroSpan(v, n, spans - 1, rank % 2 == 1);
                // one group of a span zero, the other Gaussian
                for (int i = Geometry.GROUP_SPAN + 1; i < Math.min(n, 2 * Geometry.GROUP_SPAN); i += 2) {
                    v[i] = 0;
                }
            }
            case LOW_AMPLITUDE -> {
                for (int s = 0; s < spans; s++) {
                    double scale = Math.pow(10, -3 - 3 * rnd.nextDouble()); // 1e-3 .. 1e-6
                    for (int i = s * Geometry.GROUP_SPAN; i < Math.min(n, (s + 1) * Geometry.GROUP_SPAN); i++) {
                        v[i] = (short) encode(f, (float) (rnd.nextGaussian() * scale));
                    }
                }
            }
            case SATURATING -> {
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(4) == 0) {
                        double mag = 40000 + rnd.nextDouble() * (f == Format16.BF16 ? 40000 : 25504);
                        v[i] = (short) encode(f, (float) (rnd.nextBoolean() ? mag : -mag));
                    }
                }
            }
            case ALL_EQUAL -> {
                for (int s = rank % 2; s < spans; s += 2) {
                    int base = s * Geometry.GROUP_SPAN;
                    int value = encode(f, (float) (rnd.nextGaussian() * 4));
                    for (int i = base; i < Math.min(n, base + Geometry.GROUP_SPAN); i++) {
                        v[i] = (short) value;
                    }
                    if (s % 4 == 1 && base + 2 < n) {
                        v[base + 2] = (short) (value ^ f.signMask); // +v and -v: the tie rule
                    }
                }
            }
            case SMALL_INTEGERS -> {
                for (int i = 0; i < n; i++) {
                    v[i] = (short) encode(f, rnd.nextInt(17) - 8);
                }
            }
            case CAST_RANGE -> {
                int[] edges = f == Format16.BF16 ? SpecialValues.castBoundaries() : SpecialValues.of(f);
                for (int i = 0; i < n; i++) {
                    int pick = rnd.nextInt(8);
                    if (pick == 0) {
                        v[i] = (short) (edges[rnd.nextInt(edges.length)] | (rnd.nextBoolean() ? f.signMask : 0));
                    } else if (pick == 1) {
                        double mag = Math.scalb(1.0 + rnd.nextDouble(), 14 + rnd.nextInt(f == Format16.BF16 ? 4 : 2));
                        v[i] = (short) encode(f, (float) (rnd.nextBoolean() ? mag : -mag));
                    } else if (pick == 2) {
                        v[i] = (short) encode(f, (float) Math.scalb(rnd.nextGaussian(), -20 - rnd.nextInt(8)));
                    }
                }
            }
        }
        return v;
    }

    /**
     * The minimiser's transformation: keeps every rank's inputs in the 64-element span of {@code element} (both of its
     * groups) and sets everything else to +0.
     */
    public static short[][] isolate(short[][] inputs, long element) {
        int span = (int) (element / Geometry.GROUP_SPAN * Geometry.GROUP_SPAN);
        short[][] out = new short[inputs.length][];
        for (int r = 0; r < inputs.length; r++) {
            out[r] = new short[inputs[r].length];
            int end = Math.min(inputs[r].length, span + Geometry.GROUP_SPAN);
            System.arraycopy(inputs[r], span, out[r], span, end - span);
        }
        return out;
    }

    private static void zeroSpan(short[] v, int n, int span, boolean negative) {
        int base = span * Geometry.GROUP_SPAN;
        for (int i = base; i < Math.min(n, base + Geometry.GROUP_SPAN); i++) {
            v[i] = (short) (negative ? 0x8000 : 0);
        }
    }

    static int encode(Format16 f, float x) {
        return f == Format16.FP16 ? Fp16.fromFloatRne(x) : Bf16.fromFloatRne(x);
    }
}
