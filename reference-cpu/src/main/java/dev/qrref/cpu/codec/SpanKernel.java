package dev.qrref.cpu.codec;

/**
 * A faster implementation of {@link GroupQuantizer}'s span pipeline with the same bits; the scalar code in
 * GroupQuantizer stays the reference it is tested against. The interface names no Vector API type, so that
 * GroupQuantizer loads on a JVM without {@code jdk.incubator.vector}.
 */
interface SpanKernel {
    /** As {@link GroupQuantizer#encodeSpan}. */
    int encodeSpan(short[] v, int span, int[] codes);

    /** As {@link GroupQuantizer#decodeSpan}. */
    void decodeSpan(int[] codes, int scaleWord, short[] v, int span);
}
