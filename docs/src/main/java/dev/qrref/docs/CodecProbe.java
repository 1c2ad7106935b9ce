package dev.qrref.docs;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds out where a codec keeps each bit of each code by asking the model's own decoder: an atom block whose payload is
 * all zeros decodes every element to {@code (0 - L) × d}; setting a single payload bit changes exactly one element, and
 * the change says which element and which bit of its code that was. Scale words are probed the same way. Nothing here
 * is typed from the layout description: the drawings show what the model's codec does.
 */
final class CodecProbe {
    private CodecProbe() {
    }

    /** One payload bit: byte {@code byteInThread} (of the thread's bytes in {@code plane}), bit {@code bit} (0 = LSB). */
    record BitMap(int plane, int byteInThread, int bit, int element, int codeBit) {
    }

    /** Result for one codec: every payload bit of a thread, and which half of which scale word scales which elements. */
    record Result(QuantLevel level, CodecLayout layout, List<BitMap> bits, List<String> scaleFacts) {
        /** The (element, code bit) at a plane byte/bit, or null. */
        BitMap at(int plane, int byteInThread, int bit) {
            for (BitMap b : bits) {
                if (b.plane == plane && b.byteInThread == byteInThread && b.bit == bit) {
                    return b;
                }
            }
            return null;
        }

        /** Where element {@code j} of a thread keeps code bit {@code codeBit}. */
        BitMap of(int j, int codeBit) {
            for (BitMap b : bits) {
                if (b.element == j && b.codeBit == codeBit) {
                    return b;
                }
            }
            throw new IllegalStateException(level + ": no payload bit holds bit " + codeBit + " of element " + j);
        }
    }

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The e4m3fn code (the cuda profile's format) whose value is {@code value}; -1 when none. */
    private static int fp8Code(double value) {
        for (int c = 0; c < 256; c++) {
            if (Double.doubleToRawLongBits(Profile.CUDA.fp8Format().toDouble(c)) == Double.doubleToRawLongBits(value)) {
                return c;
            }
        }
        return -1;
    }

    static Result probe(QuantLevel level) {
        Format16 f = Format16.FP16;
        Codec codec = Codec.of(level, NumericsProfile.of(Profile.CUDA), f);
        CodecLayout l = level.layout();
        int stride = l.stride();
        int one = f.one;
        int levels = l.levels();
        List<BitMap> found = new ArrayList<>();
        int[] threads = {0, 1, 9, 255};
        for (int t : threads) {
            List<BitMap> forThread = new ArrayList<>();
            for (int p = 0; p < l.planes().size(); p++) {
                CodecLayout.Plane plane = l.planes().get(p);
                for (int b = 0; b < plane.bytesPerThread(); b++) {
                    for (int bit = 0; bit < 8; bit++) {
                        byte[] block = new byte[stride];
                        MemorySegment seg = MemorySegment.ofArray(block);
                        if (level.quantized()) {
                            for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
                                seg.set(INT, l.scaleOffset() + 4L * g, one | (one << 16));
                            }
                        }
                        short[] base = decode(codec, seg);
                        block[plane.offset() + t * plane.bytesPerThread() + b] |= (byte) (1 << bit);
                        short[] v = decode(codec, seg);
                        int changed = -1;
                        for (int e = 0; e < v.length; e++) {
                            if (v[e] != base[e]) {
                                if (changed >= 0) {
                                    throw new IllegalStateException(level + ": one bit changed two elements (" + changed + ", " + e + ")");
                                }
                                changed = e;
                            }
                        }
                        if (changed < 0) {
                            throw new IllegalStateException(level + ": plane " + plane.name() + " byte " + b + " bit " + bit
                                    + " of thread " + t + " changes no element");
                        }
                        if (changed / Geometry.VECTOR_ELEMENTS != t) {
                            throw new IllegalStateException(level + ": a bit of thread " + t + "'s bytes changed element " + changed
                                    + " of thread " + changed / Geometry.VECTOR_ELEMENTS);
                        }
                        int codeBit;
                        if (level.quantized()) {
                            // integer codecs: value = (code - L) * 1.0 exactly; FP8: value = the code's e4m3 value * 1.0
                            int code = level.kind == QuantLevel.Kind.FP8 ? fp8Code(f.toDouble(v[changed]))
                                    : (int) Math.round(f.toDouble(v[changed]) + levels);
                            if (Integer.bitCount(code) != 1) {
                                throw new IllegalStateException(level + ": single bit decoded to code " + code);
                            }
                            codeBit = Integer.numberOfTrailingZeros(code);
                        } else {
                            int bits = v[changed] & 0xFFFF;
                            codeBit = Integer.numberOfTrailingZeros(bits);
                        }
                        forThread.add(new BitMap(p, b, bit, changed % Geometry.VECTOR_ELEMENTS, codeBit));
                    }
                }
            }
            if (t == threads[0]) {
                found.addAll(forThread);
            } else if (!forThread.equals(found)) {
                throw new IllegalStateException(level + ": thread " + t + " packs its codes differently from thread 0");
            }
        }
        // every (element, code bit) appears exactly once
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            for (int cb = 0; cb < l.codeBits(); cb++) {
                final int jj = j;
                final int cc = cb;
                long n = found.stream().filter(x -> x.element == jj && x.codeBit == cc).count();
                if (n != 1) {
                    throw new IllegalStateException(level + ": bit " + cb + " of element " + j + " is stored " + n + " times");
                }
            }
        }
        List<String> scaleFacts = level.quantized() ? probeScales(level, codec, l) : List.of();
        return new Result(level, l, List.copyOf(found), scaleFacts);
    }

    /** Which elements each half of a scale word scales: checked for every thread group. */
    private static List<String> probeScales(QuantLevel level, Codec codec, CodecLayout l) {
        Format16 f = Format16.FP16;
        int one = f.one;
        int two = 0x4000;
        for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
            for (int half = 0; half < 2; half++) {
                byte[] block = new byte[l.stride()];
                boolean fp8 = level.kind == QuantLevel.Kind.FP8;
                if (fp8) {
                    // every code 1.0 (e4m3fn 0x38): an element decodes to its scale
                    java.util.Arrays.fill(block, 0, l.scaleOffset(), (byte) 0x38);
                }
                MemorySegment seg = MemorySegment.ofArray(block);
                for (int k = 0; k < Geometry.THREAD_GROUPS; k++) {
                    int word = one | (one << 16);
                    if (k == g) {
                        word = half == 0 ? (two | (one << 16)) : (one | (two << 16));
                    }
                    seg.set(INT, l.scaleOffset() + 4L * k, word);
                }
                short[] v = decode(codec, seg);
                for (int e = 0; e < v.length; e++) {
                    boolean inSpan = e / Geometry.GROUP_SPAN == g;
                    boolean expect = inSpan && (e % 2 == half);
                    double val = f.toDouble(v[e]);
                    boolean doubled = fp8 ? val == 2.0 : val == -2.0 * l.levels();
                    if (doubled != expect) {
                        throw new IllegalStateException(level + ": scale word " + g + " half " + half + " does not scale exactly the "
                                + (half == 0 ? "even" : "odd") + " elements of span " + g + " (element " + e + ")");
                    }
                }
            }
        }
        CodecConstants k = CodecConstants.of(level, Format16.FP16);
        return List.of("scale word g (at " + l.scaleOffset() + " + 4g) scales threads 8g..8g+7: low 16 bits the even elements, "
                + "high 16 bits the odd elements (checked for all 32 words)", level.kind == QuantLevel.Kind.FP8
                ? "no bias: a code is the e4m3 pattern of w in the profile's fp8 format" : "bias L = " + k.bias());
    }

    private static short[] decode(Codec codec, MemorySegment seg) {
        short[] v = new short[Geometry.ATOM_ELEMENTS];
        codec.decodeAtom(seg, 0, v, 0);
        return v;
    }
}
