package dev.qrref.cli.explain;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Fp8;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.cpu.codec.CodeField;
import dev.qrref.cpu.codec.Fp8Quantizer;
import dev.qrref.cpu.codec.GroupStatistics;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One quantization group of 32 values traced through the FP8 codec (dossier §4.6): the abs-max tree, {@code d = T(a ×
 * SF)}, {@code e = rcp(T(d + EPS))}, and per element {@code w = T(x × e)} (no clamp), its conversion to the profile's
 * e4m3 format (where the range ends and what lies beyond it: saturation or NaN), the decoded value and the bytes.
 * Computed with the model's own steps ({@link GroupStatistics#absMax}, {@link Fp8Quantizer}) and checked like
 * {@link GroupTrace}: every step against the model, the codes re-packed at the listed positions against the codec's
 * bytes, and the codec's decoder against the listed decoded values.
 */
public final class Fp8Trace {
    /** Lane {@code lane}'s max of the magnitudes of its 4 even values. */
    public record Lane(int lane, int absMax) {
    }

    /**
     * One element of the traced group.
     *
     * @param w        {@code T(x × e)}
     * @param beyond   |w| lies beyond the format's range (or is infinite), so the profile's overflow rule applied
     * @param code     the fp8 code
     * @param codeValue the code's exact value (NaN for the NaN code)
     */
    public record Element(int m, int index, int lane, int j, int memory, int x, float product, int w, boolean beyond, int code,
                          double codeValue, List<CodeField> fields, int decoded, int stored) {
    }

    public final DataPath path;
    public final Profile profile;
    public final Format16 compute;
    public final CodecConstants constants;
    public final CodecLayout layout;
    public final Fp8 fp8;
    public final List<Lane> lanes;
    /** The group's abs-max a (largest non-NaN magnitude). */
    public final int absMax;
    public final List<Integer> absMaxAt;
    public final int decodingScale;
    public final int decodingScalePlusEps;
    public final int encodingScale;
    public final int oddDecodingScale;
    public final int scaleWord;
    public final List<Element> elements;
    public final byte[] codecBlock;

    private Fp8Trace(DataPath path, Profile profile, short[] memorySpan) {
        if (memorySpan.length != GroupTrace.SPAN) {
            throw new IllegalArgumentException("a span holds " + GroupTrace.SPAN + " values, got " + memorySpan.length);
        }
        NumericsProfile np = NumericsProfile.of(profile);
        this.path = path;
        this.profile = profile;
        this.compute = path.compute;
        Arith16 a = np.arith(compute);
        this.fp8 = np.fp8();
        Fp8Quantizer q = new Fp8Quantizer(a, fp8);
        this.constants = q.constants();
        this.layout = QuantLevel.FP8.layout();
        short[] span = new short[GroupTrace.SPAN];
        for (int i = 0; i < span.length; i++) {
            span[i] = (short) (path.casts() ? np.castBf16ToFp16(memorySpan[i] & 0xFFFF) : memorySpan[i] & 0xFFFF);
        }

        // the tree as the kernel runs it: magnitudes first, then max per lane over its 4 even values, then across lanes
        List<Lane> ls = new ArrayList<>();
        int[] mx = new int[Geometry.GROUP_THREADS];
        for (int k = 0; k < Geometry.GROUP_THREADS; k++) {
            int[] w = new int[Geometry.VECTOR_WORDS];
            for (int i = 0; i < w.length; i++) {
                w[i] = compute.abs(span[Geometry.VECTOR_ELEMENTS * k + 2 * i] & 0xFFFF);
            }
            mx[k] = a.max(a.max(w[0], w[1]), a.max(w[2], w[3]));
            ls.add(new Lane(k, mx[k]));
        }
        this.lanes = List.copyOf(ls);
        int tree = a.max(a.max(a.max(mx[0], mx[1]), a.max(mx[2], mx[3])), a.max(a.max(mx[4], mx[5]), a.max(mx[6], mx[7])));
        this.absMax = GroupStatistics.absMax(a, span, 0, 0);
        agree(tree == absMax, "abs-max", tree, absMax);
        List<Integer> at = new ArrayList<>();
        for (int m = 0; m < GroupTrace.GROUP; m++) {
            if (compute.abs(span[2 * m] & 0xFFFF) == absMax) {
                at.add(m);
            }
        }
        this.absMaxAt = List.copyOf(at);
        this.decodingScale = q.decodingScale(absMax);
        this.decodingScalePlusEps = a.add(decodingScale, constants.epsilon());
        this.encodingScale = q.encodingScale(decodingScale);
        agree(a.rcp(decodingScalePlusEps) == encodingScale, "e", a.rcp(decodingScalePlusEps), encodingScale);
        this.oddDecodingScale = q.decodingScale(GroupStatistics.absMax(a, span, 0, 1));
        int oddEncodingScale = q.encodingScale(oddDecodingScale);
        this.scaleWord = decodingScale | (oddDecodingScale << 16);

        Codec codec = Codec.of(QuantLevel.FP8, np, compute);
        short[] row = new short[Geometry.ATOM_ELEMENTS];
        System.arraycopy(span, 0, row, 0, GroupTrace.SPAN);
        MemorySegment block = MemorySegment.ofArray(new byte[layout.stride()]);
        codec.encodeAtom(row, 0, block, 0);
        this.codecBlock = block.toArray(ValueLayout.JAVA_BYTE);
        short[] back = new short[Geometry.ATOM_ELEMENTS];
        codec.decodeAtom(block, 0, back, 0);

        int[] codes = new int[GroupTrace.SPAN];
        List<Element> es = new ArrayList<>();
        for (int i = 0; i < GroupTrace.SPAN; i++) {
            int x = span[i] & 0xFFFF;
            boolean even = (i & 1) == 0;
            codes[i] = q.code(x, even ? encodingScale : oddEncodingScale);
            int want = q.decode(codes[i], even ? decodingScale : oddDecodingScale);
            int decodedByCodec = back[i] & 0xFFFF;
            agree(decodedByCodec == want || (compute.isNaN(want) && compute.isNaN(decodedByCodec)), "decoded value of element " + i,
                    want, decodedByCodec);
            if (!even) {
                continue;
            }
            float product = a.toFloat(x) * a.toFloat(encodingScale);
            int w = q.scaled(x, encodingScale);
            agree(fp8.fromFloat(a.toFloat(w)) == codes[i], "code of element " + i, fp8.fromFloat(a.toFloat(w)), codes[i]);
            float wv = a.toFloat(w);
            boolean beyond = beyondRange(fp8.format(), wv);
            int lane = i / Geometry.VECTOR_ELEMENTS;
            int j = i % Geometry.VECTOR_ELEMENTS;
            int stored = path.casts() ? np.castFp16ToBf16(decodedByCodec) : decodedByCodec;
            es.add(new Element(i / 2, i, lane, j, memorySpan[i] & 0xFFFF, x, product, w, beyond, codes[i],
                    fp8.format().toDouble(codes[i]), GroupTrace.fields(QuantLevel.FP8, lane, j), decodedByCodec, stored));
        }
        this.elements = List.copyOf(es);

        byte[] repacked = new byte[layout.stride()];
        for (int i = 0; i < GroupTrace.SPAN; i++) {
            for (CodeField f : GroupTrace.fields(QuantLevel.FP8, i / Geometry.VECTOR_ELEMENTS, i % Geometry.VECTOR_ELEMENTS)) {
                int bits = (codes[i] >>> f.codeBitLo()) & ((1 << f.width()) - 1);
                repacked[f.byteOffset()] |= (byte) (bits << f.bitInByte());
            }
        }
        for (int b = 0; b < Geometry.SCALE_WORD_BYTES; b++) {
            repacked[layout.scaleOffset() + b] = (byte) (scaleWord >>> (8 * b));
        }
        for (int[] r : GroupTrace.tracedRegions(layout)) {
            if (!Arrays.equals(repacked, r[0], r[1], codecBlock, r[0], r[1])) {
                throw new IllegalStateException("explain: the bit positions of the trace do not reproduce the FP8 codec's bytes "
                        + r[0] + ".." + (r[1] - 1) + "; the trace is out of date with the codec");
            }
        }
    }

    /**
     * Whether rounding {@code v} to the format leaves its range: past the largest value by more than half the top
     * binade's spacing, or by exactly half where the tie goes up because the largest value's fraction is odd (e4m3fnuz:
     * from 248 on; e4m3fn: above 464), or infinite.
     */
    static boolean beyondRange(Fp8Format f, float v) {
        double max = f.maxValue();
        double half = Math.scalb(1.0, Math.getExponent(max) - Fp8Format.FRACTION_BITS) / 2;
        double m = Math.abs((double) v);
        return Double.isInfinite(m) || m > max + half || (m == max + half && (f.maxFinite & 1) == 1);
    }

    private static void agree(boolean ok, String what, int trace, int model) {
        if (!ok) {
            throw new IllegalStateException("explain: the trace's " + what + " (" + Format16.hex(trace)
                    + ") disagrees with the model's (" + Format16.hex(model) + ")");
        }
    }

    /** Traces the even group of {@code memorySpan} (64 values in memory format). */
    public static Fp8Trace of(DataPath path, Profile profile, short[] memorySpan) {
        return new Fp8Trace(path, profile, memorySpan);
    }
}
