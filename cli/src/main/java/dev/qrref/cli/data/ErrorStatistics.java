package dev.qrref.cli.data;

import dev.qrref.spec.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Error of one all-reduce output against the float64 sum of the rank inputs. For fp16 inputs that sum is exact (W ≤ 8
 * values that are multiples of 2^-24 below 2^16 need at most 43 bits); for bf16 it is summed with Neumaier's
 * compensation and rounded once, which is exact unless the inputs span more than ~2^42 in magnitude.
 *
 * <p>Elements where the output or the reference is not finite are counted, not measured: the error figures cover the
 * elements where both are finite. Work is split into fixed chunks whose partial sums are combined in chunk order, so
 * the figures are identical for any number of threads.
 *
 * @param elements          elements compared
 * @param finite            elements where output and reference are both finite (the ones the figures below cover)
 * @param maxAbsError       largest |output - reference|
 * @param maxAbsErrorAt     the first element where it occurs (-1 if none)
 * @param maxErrorOutput    the output value there
 * @param maxErrorReference the reference value there
 * @param sumSquaredError   Σ (output - reference)²
 * @param sumSquaredRef     Σ reference²
 * @param sumAbsError       Σ |output - reference|
 * @param sumAbsRef         Σ |reference|
 * @param outputNaN         NaN outputs
 * @param outputPosInf      +inf outputs
 * @param outputNegInf      -inf outputs
 * @param referenceNonFinite elements whose reference is ±inf or NaN (an input was)
 * @param lostFinite        non-finite outputs where the reference is finite (overflow, or a group poisoned by an inf)
 */
public record ErrorStatistics(long elements, long finite, double maxAbsError, long maxAbsErrorAt, double maxErrorOutput,
                              double maxErrorReference, double sumSquaredError, double sumSquaredRef, double sumAbsError,
                              double sumAbsRef, long outputNaN, long outputPosInf, long outputNegInf,
                              long referenceNonFinite, long lostFinite) {

    /** Elements per chunk of work. */
    static final int CHUNK = 1 << 14;
    private static final ValueLayout.OfShort ELEMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** ‖out − ref‖₂ / ‖ref‖₂. */
    public double relativeL2() {
        return Math.sqrt(sumSquaredError / sumSquaredRef);
    }

    /** Signal-to-quantization-noise ratio, 10·log10(Σref² / Σerr²); +inf when the output is exact. */
    public double sqnrDb() {
        return 10 * Math.log10(sumSquaredRef / sumSquaredError);
    }

    /** Σ|err| / Σ|ref| (the "relative MAE" the upstream accuracy reports quote). */
    public double relativeMae() {
        return sumAbsError / sumAbsRef;
    }

    public long outputNonFinite() {
        return outputNaN + outputPosInf + outputNegInf;
    }

    /** Compares {@code output} with the sum of {@code inputs}, all {@code n} elements of {@code dtype}. */
    public static ErrorStatistics of(List<MemorySegment> inputs, MemorySegment output, long n, DType dtype, Parallel parallel) {
        MemorySegment[] in = inputs.toArray(MemorySegment[]::new);
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        ErrorStatistics[] parts = new ErrorStatistics[chunks];
        parallel.forEach(chunks, c -> {
            long first = (long) c * CHUNK;
            parts[c] = chunk(in, output, first, (int) Math.min(CHUNK, n - first), dtype);
        });
        ErrorStatistics total = empty();
        for (ErrorStatistics p : parts) {
            total = total.plus(p);
        }
        return total;
    }

    /** No elements: the start of a sum of chunks. */
    public static ErrorStatistics empty() {
        return new ErrorStatistics(0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** This followed by {@code o}: sums add, the first largest error wins. */
    public ErrorStatistics plus(ErrorStatistics o) {
        boolean later = o.maxAbsError > maxAbsError;
        return new ErrorStatistics(elements + o.elements, finite + o.finite, later ? o.maxAbsError : maxAbsError,
                later ? o.maxAbsErrorAt : maxAbsErrorAt, later ? o.maxErrorOutput : maxErrorOutput,
                later ? o.maxErrorReference : maxErrorReference, sumSquaredError + o.sumSquaredError,
                sumSquaredRef + o.sumSquaredRef, sumAbsError + o.sumAbsError, sumAbsRef + o.sumAbsRef,
                outputNaN + o.outputNaN, outputPosInf + o.outputPosInf, outputNegInf + o.outputNegInf,
                referenceNonFinite + o.referenceNonFinite, lostFinite + o.lostFinite);
    }

    private record Scratch(short[] bits, double[] ref, double[] comp) {
    }

    private static final ThreadLocal<Scratch> SCRATCH =
            ThreadLocal.withInitial(() -> new Scratch(new short[CHUNK], new double[CHUNK], new double[CHUNK]));

    private static ErrorStatistics chunk(MemorySegment[] in, MemorySegment out, long first, int count, DType dtype) {
        Scratch sc = SCRATCH.get();
        reference(in, first, count, dtype, sc.ref);
        MemorySegment.copy(out, ELEMENT, 2 * first, sc.bits, 0, count);
        return compare(sc.ref, sc.bits, first, count, dtype);
    }

    /**
     * The float64 sum of elements {@code first .. first+count-1} of every input, into {@code ref[0 .. count)}: exact for
     * fp16, compensated and rounded once for bf16 (see the class comment). {@code count} is at most {@link #CHUNK}.
     */
    public static void reference(MemorySegment[] in, long first, int count, DType dtype, double[] ref) {
        // blocked: each rank's block is bulk-copied and summed into ref[] in a tight loop; the buffers are per thread,
        // so the pass allocates nothing per chunk
        Scratch sc = SCRATCH.get();
        short[] bits = sc.bits;
        java.util.Arrays.fill(ref, 0, count, 0.0);
        if (dtype == DType.FP16) {
            for (MemorySegment s : in) {
                MemorySegment.copy(s, ELEMENT, 2 * first, bits, 0, count);
                for (int i = 0; i < count; i++) {
                    ref[i] += Float.float16ToFloat(bits[i]);
                }
            }
        } else {
            double[] comp = sc.comp;
            java.util.Arrays.fill(comp, 0, count, 0.0);
            for (MemorySegment s : in) {
                MemorySegment.copy(s, ELEMENT, 2 * first, bits, 0, count);
                for (int i = 0; i < count; i++) {
                    double x = Float.intBitsToFloat(bits[i] << 16);
                    double sum = ref[i];
                    double t = sum + x;
                    comp[i] += Math.abs(sum) >= Math.abs(x) ? (sum - t) + x : (x - t) + sum;
                    ref[i] = t;
                }
            }
            for (int i = 0; i < count; i++) {
                // inf - inf in the correction would turn an infinite sum into NaN
                ref[i] = Double.isFinite(ref[i]) ? ref[i] + comp[i] : ref[i];
            }
        }
    }

    /**
     * Compares {@code count} output elements ({@code outBits}, raw patterns of {@code dtype}) with their references;
     * {@code first} is the index of element 0, for {@link #maxAbsErrorAt}.
     */
    public static ErrorStatistics compare(double[] ref, short[] outBits, long first, int count, DType dtype) {
        boolean fp16 = dtype == DType.FP16;
        double sse = 0;
        double ssr = 0;
        double sae = 0;
        double sar = 0;
        double maxErr = 0;
        long maxAt = -1;
        double maxOut = 0;
        double maxRef = 0;
        long finite = 0;
        long nan = 0;
        long posInf = 0;
        long negInf = 0;
        long refNonFinite = 0;
        long lost = 0;
        for (int i = 0; i < count; i++) {
            double r = ref[i];
            double o = fp16 ? Float.float16ToFloat(outBits[i]) : Float.intBitsToFloat(outBits[i] << 16);
            boolean refFinite = Double.isFinite(r);
            if (!Double.isFinite(o)) {
                if (o != o) {
                    nan++;
                } else if (o > 0) {
                    posInf++;
                } else {
                    negInf++;
                }
                if (refFinite) {
                    lost++;
                }
            }
            if (!refFinite) {
                refNonFinite++;
                continue;
            }
            if (!Double.isFinite(o)) {
                continue;
            }
            finite++;
            double err = Math.abs(o - r);
            sse += err * err;
            ssr += r * r;
            sae += err;
            sar += Math.abs(r);
            if (err > maxErr) {
                maxErr = err;
                maxAt = first + i;
                maxOut = o;
                maxRef = r;
            }
        }
        return new ErrorStatistics(count, finite, maxErr, maxAt, maxOut, maxRef, sse, ssr, sae, sar, nan, posInf, negInf,
                refNonFinite, lost);
    }
}
