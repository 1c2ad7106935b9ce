package dev.qrref.cli.explain;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.cpu.codec.CodeField;
import dev.qrref.cpu.codec.GroupQuantizer;
import dev.qrref.cpu.codec.GroupStatistics;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One quantization group of 32 values traced through the encoder and decoder of an integer codec, computed with the
 * model's own steps ({@link GroupStatistics#signedAbsMax}, {@link GroupQuantizer}) and packed by the model's own
 * {@link Codec}. The traced group is the even group of the first 64-element span of an atom (elements 0, 2, …, 62,
 * lanes 0..7 of thread group 0); the odd elements form the span's other group.
 *
 * <p>The trace cannot silently disagree with the model: every intermediate it shows is checked against the model's
 * result ({@link #of} throws {@link IllegalStateException} otherwise), the codes re-packed at the bit positions the
 * trace lists must equal the codec's bytes, and the codec's decoder must return the decoded values the trace lists.
 */
public final class GroupTrace {
    /** Values of one group. */
    public static final int GROUP = Geometry.GROUP_SIZE;
    /** Values of the span (both groups). */
    public static final int SPAN = Geometry.GROUP_SPAN;

    /** Lane {@code lane}'s per-thread max and min of its 4 even values (words 0..3, low halves). */
    public record Lane(int lane, int max, int min) {
    }

    /**
     * One element of the traced group.
     *
     * @param m        position in the group (0..31)
     * @param index    element index in the span (= 2m)
     * @param lane     thread (lane) holding it
     * @param j        index inside the thread's 8-element vector
     * @param memory   bits as loaded from memory (bf16 before the cast on the cast path)
     * @param x        bits in the compute format
     * @param product  x × e, exact (binary32 holds the product of two 16-bit values)
     * @param w        {@code T(x × e)}: the product rounded to the compute format
     * @param clamped  w clamped to [RMIN, RMAX] (NaN → RMIN), exact
     * @param q        {@code rint(clamped)}, ties to even
     * @param code     {@code q + L}
     * @param fields   where the code's bits sit
     * @param decoded  {@code T((code − L) × d)} in the compute format
     * @param stored   the bits stored to memory (converted back to bf16 on the cast path)
     */
    public record Element(int m, int index, int lane, int j, int memory, int x, float product, int w, float clamped, int q,
                          int code, List<CodeField> fields, int decoded, int stored) {
    }

    public final QuantLevel level;
    public final DataPath path;
    public final Profile profile;
    public final Format16 compute;
    public final CodecConstants constants;
    public final CodecLayout layout;
    public final int levels;
    /** The 64 span values in memory format, and in the compute format. */
    public final short[] memorySpan;
    public final short[] computeSpan;
    public final List<Lane> lanes;
    public final int groupMax;
    public final int groupMin;
    /** The signed absmax M of the traced group. */
    public final int signedAbsMax;
    /** Positions m (0..31) whose value has M's bits. */
    public final List<Integer> signedAbsMaxAt;
    public final int decodingScale;
    public final int decodingScalePlusEps;
    public final int encodingScale;
    /** The odd group's decoding scale: the high half of the scale word. */
    public final int oddDecodingScale;
    public final int scaleWord;
    public final List<Element> elements;
    /** The atom block the codec wrote ({@link CodecLayout#stride()} bytes; only thread group 0 is traced). */
    public final byte[] codecBlock;

    private GroupTrace(QuantLevel level, DataPath path, Profile profile, short[] memorySpan) {
        if (level.kind != QuantLevel.Kind.INTEGER) {
            throw new IllegalArgumentException("the " + level.cliName() + " codec is not an integer codec: this trace follows "
                    + "the integer pipeline");
        }
        if (memorySpan.length != SPAN) {
            throw new IllegalArgumentException("a span holds " + SPAN + " values, got " + memorySpan.length);
        }
        NumericsProfile np = NumericsProfile.of(profile);
        this.level = level;
        this.path = path;
        this.profile = profile;
        this.compute = path.compute;
        Arith16 a = np.arith(compute);
        GroupQuantizer quantizer = new GroupQuantizer(level, a);
        this.constants = quantizer.constants();
        this.layout = level.layout();
        this.levels = layout.levels();
        this.memorySpan = memorySpan.clone();
        this.computeSpan = new short[SPAN];
        for (int i = 0; i < SPAN; i++) {
            computeSpan[i] = (short) (path.casts() ? np.castBf16ToFp16(memorySpan[i] & 0xFFFF) : memorySpan[i] & 0xFFFF);
        }

        // the max/min tree exactly as GroupStatistics runs it, kept lane by lane to show it
        List<Lane> ls = new ArrayList<>();
        int[] mx = new int[Geometry.GROUP_THREADS];
        int[] mn = new int[Geometry.GROUP_THREADS];
        for (int k = 0; k < Geometry.GROUP_THREADS; k++) {
            int[] w = new int[Geometry.VECTOR_WORDS];
            for (int i = 0; i < w.length; i++) {
                w[i] = computeSpan[Geometry.VECTOR_ELEMENTS * k + 2 * i] & 0xFFFF;
            }
            mx[k] = a.max(a.max(w[0], w[1]), a.max(w[2], w[3]));
            mn[k] = a.min(a.min(w[0], w[1]), a.min(w[2], w[3]));
            ls.add(new Lane(k, mx[k], mn[k]));
        }
        this.lanes = List.copyOf(ls);
        this.groupMax = a.max(a.max(a.max(mx[0], mx[1]), a.max(mx[2], mx[3])), a.max(a.max(mx[4], mx[5]), a.max(mx[6], mx[7])));
        this.groupMin = a.min(a.min(a.min(mn[0], mn[1]), a.min(mn[2], mn[3])), a.min(a.min(mn[4], mn[5]), a.min(mn[6], mn[7])));
        this.signedAbsMax = GroupStatistics.signedAbsMax(a, computeSpan, 0, 0);
        int shown = a.absGreater(groupMax, groupMin) ? groupMax : groupMin;
        agree(shown == signedAbsMax, "M", shown, signedAbsMax);
        List<Integer> at = new ArrayList<>();
        for (int m = 0; m < GROUP; m++) {
            if ((computeSpan[2 * m] & 0xFFFF) == signedAbsMax) {
                at.add(m);
            }
        }
        this.signedAbsMaxAt = List.copyOf(at);

        this.decodingScale = quantizer.decodingScale(signedAbsMax);
        this.decodingScalePlusEps = a.add(decodingScale, constants.epsilon());
        this.encodingScale = quantizer.encodingScale(decodingScale);
        agree(a.rcp(decodingScalePlusEps) == encodingScale, "e", a.rcp(decodingScalePlusEps), encodingScale);
        this.oddDecodingScale = quantizer.decodingScale(GroupStatistics.signedAbsMax(a, computeSpan, 0, 1));
        int oddEncodingScale = quantizer.encodingScale(oddDecodingScale);
        this.scaleWord = decodingScale | (oddDecodingScale << 16);

        // the codec's own bytes and its own decode of them
        Codec codec = Codec.of(level, np, compute);
        short[] row = new short[Geometry.ATOM_ELEMENTS];
        System.arraycopy(computeSpan, 0, row, 0, SPAN);
        MemorySegment block = MemorySegment.ofArray(new byte[layout.stride()]);
        codec.encodeAtom(row, 0, block, 0);
        this.codecBlock = block.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        short[] back = new short[Geometry.ATOM_ELEMENTS];
        codec.decodeAtom(block, 0, back, 0);

        float rangeMin = a.toFloat(constants.rangeMin());
        float rangeMax = a.toFloat(constants.rangeMax());
        int[] codes = new int[SPAN];
        List<Element> es = new ArrayList<>();
        for (int i = 0; i < SPAN; i++) {
            int x = computeSpan[i] & 0xFFFF;
            boolean even = (i & 1) == 0;
            codes[i] = quantizer.code(x, even ? encodingScale : oddEncodingScale);
            int decodedByCodec = back[i] & 0xFFFF;
            agree(decodedByCodec == quantizer.decode(codes[i], even ? decodingScale : oddDecodingScale), "decoded value of element " + i,
                    quantizer.decode(codes[i], even ? decodingScale : oddDecodingScale), decodedByCodec);
            if (!even) {
                continue;
            }
            // the steps inside GroupQuantizer.code, shown one by one and checked against it
            float product = a.toFloat(x) * a.toFloat(encodingScale);
            int w = a.fromFloat(product);
            float wv = a.toFloat(w);
            float clamped = wv != wv ? rangeMin : Math.min(Math.max(wv, rangeMin), rangeMax);
            int q = (int) Math.rint(clamped);
            agree(q + levels == codes[i], "code of element " + i, q + levels, codes[i]);
            int lane = i / Geometry.VECTOR_ELEMENTS;
            int j = i % Geometry.VECTOR_ELEMENTS;
            int stored = path.casts() ? np.castFp16ToBf16(decodedByCodec) : decodedByCodec;
            es.add(new Element(i / 2, i, lane, j, memorySpan[i] & 0xFFFF, x, product, w, clamped, q, codes[i],
                    fields(level, lane, j), decodedByCodec, stored));
        }
        this.elements = List.copyOf(es);

        byte[] repacked = repack(codes);
        for (int[] r : tracedRegions(layout)) {
            if (!Arrays.equals(repacked, r[0], r[1], codecBlock, r[0], r[1])) {
                throw new IllegalStateException("explain: the bit positions of the trace do not reproduce the " + level
                        + " codec's bytes " + r[0] + ".." + (r[1] - 1) + "; the trace is out of date with the codec");
            }
        }
    }

    private static void agree(boolean ok, String what, int trace, int model) {
        if (!ok) {
            throw new IllegalStateException("explain: the trace's " + what + " (" + Format16.hex(trace)
                    + ") disagrees with the model's (" + Format16.hex(model) + ")");
        }
    }

    /** Traces the even group of {@code memorySpan} (64 values in memory format). */
    public static GroupTrace of(QuantLevel level, DataPath path, Profile profile, short[] memorySpan) {
        return new GroupTrace(level, path, profile, memorySpan);
    }

    /** Where the bits of the code of element {@code j} of thread {@code t} sit in an atom block: the codec's own packing. */
    public static List<CodeField> fields(QuantLevel level, int t, int j) {
        return Codec.of(level, NumericsProfile.of(Profile.CUDA), Format16.FP16).fields(t, j);
    }

    /** The codes of the whole span (both groups) and the scale word placed at the positions {@link #fields} gives. */
    private byte[] repack(int[] codes) {
        byte[] out = new byte[layout.stride()];
        for (int i = 0; i < SPAN; i++) {
            for (CodeField f : fields(level, i / Geometry.VECTOR_ELEMENTS, i % Geometry.VECTOR_ELEMENTS)) {
                int bits = (codes[i] >>> f.codeBitLo()) & ((1 << f.width()) - 1);
                out[f.byteOffset()] |= (byte) (bits << f.bitInByte());
            }
        }
        for (int b = 0; b < Geometry.SCALE_WORD_BYTES; b++) {
            out[layout.scaleOffset() + b] = (byte) (scaleWord >>> (8 * b));
        }
        return out;
    }

    /** [from, to) byte ranges of the atom block that belong to thread group 0: each plane's 8 lanes and scale word 0. */
    static List<int[]> tracedRegions(CodecLayout l) {
        List<int[]> out = new ArrayList<>();
        for (CodecLayout.Plane p : l.planes()) {
            out.add(new int[]{p.offset(), p.offset() + Geometry.GROUP_THREADS * p.bytesPerThread()});
        }
        out.add(new int[]{l.scaleOffset(), l.scaleOffset() + Geometry.SCALE_WORD_BYTES});
        return out;
    }

    /** The codes re-packed at the trace's bit positions, in the traced regions only (for tests). */
    public byte[] repackedBlock() {
        int[] codes = new int[SPAN];
        NumericsProfile np = NumericsProfile.of(profile);
        GroupQuantizer q = new GroupQuantizer(level, np.arith(compute));
        int eOdd = q.encodingScale(oddDecodingScale);
        for (int i = 0; i < SPAN; i++) {
            codes[i] = q.code(computeSpan[i] & 0xFFFF, (i & 1) == 0 ? encodingScale : eOdd);
        }
        return repack(codes);
    }

    /** Byte ranges of {@link #codecBlock} the trace covers. */
    public List<int[]> regions() {
        return tracedRegions(layout);
    }
}
