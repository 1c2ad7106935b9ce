package dev.qrref.cli.data;

import dev.qrref.cpu.gen.SpecialValues;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The inputs of {@code qr allreduce --random N}: per rank, N draws of N(0, 1) rounded to the dtype (once, correctly),
 * written straight into an off-heap segment. Element {@code e} of rank {@code r} depends only on the seed, r and e:
 * the stream restarts every {@link #CHUNK} elements from a seed derived from (seed, r, chunk), so the inputs are the
 * same for any number of threads, and ranks differ.
 *
 * <p>With {@code specials}, some 64-element spans (one pair of quantization groups) are rewritten. Span-wide kinds are
 * chosen per span, the same for every rank, so that the sum sees them too:
 * <ul>
 *   <li>zero: every element ±0 (the sign per rank), so the groups are all-zero;</li>
 *   <li>tiny: the Gaussian scaled into the subnormal range (2^-20 for fp16; 2^-20 or 2^-130 for bf16);</li>
 *   <li>large: the Gaussian scaled by 2^13 and two elements at ±max finite, so the sum overflows fp16;</li>
 *   <li>ties: every element ±1.5, so |max| = |min| and the tie rule picks the minimum;</li>
 *   <li>beyond fp16 (bf16 only): the Gaussian scaled by 2^17, out of fp16 range for the bf16→fp16 cast.</li>
 * </ul>
 * Independently, in some spans of each rank 1 to 4 elements take values from the special-value table of the format
 * ({@link SpecialValues}: zeros, subnormals, ±max, ±inf, NaNs, codec constants, cast boundaries).
 */
public final class RandomInputs {
    /** Elements per independent stream; a multiple of the 64-element span. */
    public static final int CHUNK = 1 << 16;
    private static final ValueLayout.OfShort ELEMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int SPAN = Geometry.GROUP_SPAN;
    private static final long SPAN_SALT = 0x5350414E5F4B494EL;
    private static final long ELEMENT_SALT = 0x454C454D454E5453L;

    enum SpanKind { NONE, ZERO, TINY, LARGE, TIES, BEYOND_FP16 }

    private final long seed;
    private final DType dtype;
    private final boolean specials;
    private final int[] table;

    public RandomInputs(long seed, DType dtype, boolean specials) {
        this.seed = seed;
        this.dtype = dtype;
        this.specials = specials;
        this.table = SpecialValues.of(dtype.format);
    }

    public long seed() {
        return seed;
    }

    public DType dtype() {
        return dtype;
    }

    public boolean specials() {
        return specials;
    }

    /** Fills {@code dst} with the first {@code n} elements of rank {@code rank}. */
    public void fill(MemorySegment dst, int rank, long n, Parallel parallel) {
        int chunks = (int) ((n + CHUNK - 1) / CHUNK);
        parallel.forEach(chunks, c -> fillChunk(dst, rank, (long) c * CHUNK, (int) Math.min(CHUNK, n - (long) c * CHUNK)));
    }

    /** The first {@code count} elements of rank {@code rank} as an array (for small uses such as {@code qr explain}). */
    public short[] head(int rank, int count) {
        MemorySegment s = MemorySegment.ofArray(new short[count]);
        fillChunk(s, rank, 0, count);
        return s.toArray(ValueLayout.JAVA_SHORT);
    }

    private void fillChunk(MemorySegment dst, int rank, long first, int count) {
        Gaussian g = new Gaussian(Gaussian.streamSeed(seed, rank, first / CHUNK));
        // fill a heap buffer, then one bulk copy: cheaper than a bounds-checked store per element
        short[] buf = new short[count];
        if (dtype == DType.FP16) {
            for (int i = 0; i < count; i++) {
                buf[i] = (short) Round16.fp16(g.next());
            }
        } else {
            for (int i = 0; i < count; i++) {
                buf[i] = (short) Round16.bf16(g.next());
            }
        }
        MemorySegment.copy(buf, 0, dst, ELEMENT, 2 * first, count);
        if (specials) {
            for (int at = 0; at < count; at += SPAN) {
                applySpecials(dst, rank, first + at, Math.min(SPAN, count - at), g);
            }
        }
    }

    /** Which span-wide kind span {@code span} has: the same for every rank. About one span in six is special. */
    SpanKind spanKind(long span) {
        long h = Gaussian.mix(Gaussian.streamSeed(seed, SPAN_SALT, span));
        int pick = (int) (h >>> 59); // 0..31
        return switch (pick) {
            case 0 -> SpanKind.ZERO;
            case 1 -> SpanKind.TINY;
            case 2 -> SpanKind.LARGE;
            case 3 -> SpanKind.TIES;
            case 4 -> dtype == DType.BF16 ? SpanKind.BEYOND_FP16 : SpanKind.NONE;
            default -> SpanKind.NONE;
        };
    }

    private void applySpecials(MemorySegment dst, int rank, long first, int count, Gaussian g) {
        long span = first / SPAN;
        SpanKind kind = spanKind(span);
        Format16 f = dtype.format;
        switch (kind) {
            case ZERO -> {
                short zero = (short) (((rank + span) & 1) == 0 ? 0 : f.signMask);
                for (int i = 0; i < count; i++) {
                    dst.set(ELEMENT, 2 * (first + i), zero);
                }
            }
            case TINY -> scale(dst, first, count, dtype == DType.BF16 && (span & 1) == 1 ? 0x1p-130 : 0x1p-20);
            case LARGE -> {
                scale(dst, first, count, 0x1p13);
                int max = f.maxFinite | ((rank & 1) == 0 ? 0 : f.signMask);
                dst.set(ELEMENT, 2 * first, (short) max);
                if (count > 1) {
                    dst.set(ELEMENT, 2 * (first + 1), (short) max);
                }
            }
            case TIES -> {
                for (int i = 0; i < count; i++) {
                    dst.set(ELEMENT, 2 * (first + i), (short) Round16.of(dtype, (g.nextLong() < 0 ? -1.5 : 1.5)));
                }
            }
            case BEYOND_FP16 -> scale(dst, first, count, 0x1p17);
            case NONE -> {
            }
        }
        long h = Gaussian.mix(Gaussian.streamSeed(seed ^ ELEMENT_SALT, rank, span));
        if ((h >>> 58) < 3) { // 3 spans in 64 per rank
            int k = 1 + (int) (h & 3);
            for (int j = 0; j < k; j++) {
                long r = g.nextLong();
                int at = (int) Long.remainderUnsigned(r, count);
                int value = table[(int) Long.remainderUnsigned(r >>> 32, table.length)];
                dst.set(ELEMENT, 2 * (first + at), (short) value);
            }
        }
    }

    private void scale(MemorySegment dst, long first, int count, double factor) {
        for (int i = 0; i < count; i++) {
            long off = 2 * (first + i);
            double v = Round16.value(dtype, dst.get(ELEMENT, off) & 0xFFFF);
            dst.set(ELEMENT, off, (short) Round16.of(dtype, v * factor));
        }
    }
}
