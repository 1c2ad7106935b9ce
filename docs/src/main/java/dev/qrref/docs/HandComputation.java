package dev.qrref.docs;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.cpu.codec.GroupQuantizer;
import dev.qrref.cpu.codec.GroupStatistics;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The numbers of the guide's hand computation: ONE element's INT4 code, every intermediate computed by the model's step
 * methods ({@link GroupStatistics#signedAbsMax}, {@link GroupQuantizer}) and its place in the atom block read back from
 * the model's codec. The element is chosen so that rounding {@code x·e} to fp16 before {@code rint} changes the code
 * (the double rounding the spec insists on). Writes {@code handcalc-attrs.adoc} (attributes the guide's prose uses) and
 * {@code handcalc-group.adoc} (the group's 32 values).
 */
final class HandComputation {
    private HandComputation() {
    }

    static final QuantLevel LEVEL = QuantLevel.INT4;
    static final Profile PROFILE = Profile.CUDA;
    /** Thread group (span) of the atom row, lane inside it, slot j: thread t = 8g + k holds element 64g + 8k + j. */
    static final int G = 2;
    static final int K = 5;
    static final int J = 6;
    static final long SEED = 20250617L;

    static void write(Out out) {
        Format16 f = Format16.FP16;
        Arith16 a = NumericsProfile.of(PROFILE).arith(f);
        GroupQuantizer q = new GroupQuantizer(LEVEL, a);
        CodecConstants k = q.constants();
        int span = Geometry.GROUP_SPAN;
        int target = Geometry.VECTOR_ELEMENTS * K + J;
        if (target % 2 != 0) {
            throw new IllegalStateException("the hand computation traces an even element");
        }
        short[] v = new short[span];
        Random rnd = new Random(SEED);
        for (int i = 0; i < span; i++) {
            v[i] = (short) Fp16.fromFloatRne((float) (1.5 * rnd.nextGaussian()));
        }
        int m = GroupStatistics.signedAbsMax(a, v, 0, 0);
        int d = q.decodingScale(m);
        int e = q.encodingScale(d);
        float ef = a.toFloat(e);
        // choose x near the drawn value such that w = fp16(x·e) is a tie k + 1/2 that rint sends the other way than the
        // exact product would go: the double rounding is visible
        double drawn = f.toDouble(v[target]);
        int best = -1;
        for (int bits = 0; bits < 0x10000; bits++) {
            if (!f.isFinite(bits) || f.isZero(bits)) {
                continue;
            }
            double xv = f.toDouble(bits);
            if (Math.abs(xv) >= 0.9 * Math.abs(f.toDouble(m))) {
                continue;
            }
            float p = a.toFloat(bits) * ef;
            int w = a.fromFloat(p);
            double wv = f.toDouble(w);
            if (Math.abs(wv) < 1 || Math.abs(wv) > 6 || wv - Math.floor(wv) != 0.5) {
                continue;
            }
            if (Math.rint(wv) == Math.rint((double) p) || (double) p == wv) {
                continue;
            }
            if (best < 0 || Math.abs(xv - drawn) < Math.abs(f.toDouble(best) - drawn)) {
                best = bits;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("hand computation: no fp16 x shows the double rounding for this group");
        }
        v[target] = (short) best;
        // M must not have moved
        if (GroupStatistics.signedAbsMax(a, v, 0, 0) != m) {
            throw new IllegalStateException("hand computation: replacing x changed M");
        }
        int x = best;
        float product = a.toFloat(x) * ef;
        int w = a.fromFloat(product);
        int code = q.code(x, e);
        int dEps = a.add(d, k.epsilon());
        int decoded = q.decode(code, d);
        double wv = f.toDouble(w);
        double clamped = Math.min(Math.max(wv, f.toDouble(k.rangeMin())), f.toDouble(k.rangeMax()));
        int qv = (int) Math.rint(clamped);
        if (qv + k.bias() != code) {
            throw new IllegalStateException("hand computation disagrees with GroupQuantizer.code: " + (qv + k.bias()) + " vs " + code);
        }

        // place the span at thread group G of an atom row and let the model's codec pack it
        Codec codec = Codec.of(LEVEL, NumericsProfile.of(PROFILE), f);
        CodecLayout l = LEVEL.layout();
        short[] row = new short[Geometry.ATOM_ELEMENTS];
        System.arraycopy(v, 0, row, G * span, span);
        byte[] block = new byte[l.stride()];
        codec.encodeAtom(row, 0, MemorySegment.ofArray(block), 0);
        int t = G * Geometry.GROUP_THREADS + K;
        CodecLayout.Plane plane = l.planes().getFirst();
        int wordOffset = plane.offset() + plane.bytesPerThread() * t;
        CodecProbe.Result probe = CodecProbe.probe(LEVEL);
        CodecProbe.BitMap lowBit = probe.of(J, 0);
        CodecProbe.BitMap highBit = probe.of(J, l.codeBits() - 1);
        if (lowBit.byteInThread() != highBit.byteInThread() || highBit.bit() - lowBit.bit() != l.codeBits() - 1) {
            throw new IllegalStateException("INT4 code of slot " + J + " is not one nibble");
        }
        int byteOffset = wordOffset + lowBit.byteInThread();
        int bitInWord = 8 * lowBit.byteInThread() + lowBit.bit();
        int stored = ((block[byteOffset] & 0xFF) >>> lowBit.bit()) & ((1 << l.codeBits()) - 1);
        if (stored != code) {
            throw new IllegalStateException("the codec stored " + stored + " where the hand computation expects code " + code);
        }
        int word = (block[wordOffset] & 0xFF) | (block[wordOffset + 1] & 0xFF) << 8 | (block[wordOffset + 2] & 0xFF) << 16
                | (block[wordOffset + 3] & 0xFF) << 24;
        int scaleWordOffset = l.scaleOffset() + Geometry.SCALE_WORD_BYTES * G;
        int scaleWord = (block[scaleWordOffset] & 0xFF) | (block[scaleWordOffset + 1] & 0xFF) << 8
                | (block[scaleWordOffset + 2] & 0xFF) << 16 | (block[scaleWordOffset + 3] & 0xFF) << 24;
        if ((scaleWord & 0xFFFF) != d) {
            throw new IllegalStateException("scale word low half " + Format16.hex(scaleWord) + " is not d " + Format16.hex(d));
        }
        // which member holds M
        List<Integer> mAt = new ArrayList<>();
        for (int i = 0; i < span; i += 2) {
            if ((v[i] & 0xFFFF) == m) {
                mAt.add(i / 2);
            }
        }
        int nibble = bitInWord / l.codeBits();
        StringBuilder nib = new StringBuilder();
        for (int n = 7; n >= 0; n--) {
            int jOf = -1;
            for (int jj = 0; jj < Geometry.VECTOR_ELEMENTS; jj++) {
                CodecProbe.BitMap b = probe.of(jj, 0);
                if (8 * b.byteInThread() + b.bit() == 4 * n) {
                    jOf = jj;
                }
            }
            nib.append(n == 7 ? "" : " ").append("n").append(n).append("=c").append(jOf).append(":")
                    .append(Integer.toHexString((word >>> (4 * n)) & 0xF).toUpperCase());
        }

        StringBuilder at = new StringBuilder();
        at.append(Adoc.attr("hc-profile", PROFILE.id()));
        at.append(Adoc.attr("hc-g", Integer.toString(G)));
        at.append(Adoc.attr("hc-k", Integer.toString(K)));
        at.append(Adoc.attr("hc-j", Integer.toString(J)));
        at.append(Adoc.attr("hc-t", Integer.toString(t)));
        at.append(Adoc.attr("hc-span-first", Integer.toString(G * span)));
        at.append(Adoc.attr("hc-span-last", Integer.toString(G * span + span - 1)));
        at.append(Adoc.attr("hc-elem", Integer.toString(G * span + target)));
        at.append(Adoc.attr("hc-pos", Integer.toString(target)));
        at.append(Adoc.attr("hc-member", Integer.toString(target / 2)));
        at.append(Adoc.attr("hc-x", Num.exact(f.toDouble(x))));
        at.append(Adoc.attr("hc-x-hex", Format16.hex(x)));
        at.append(Adoc.attr("hc-x-fields", Num.fields(f, x)));
        at.append(Adoc.attr("hc-absmax", Num.exact(f.toDouble(m))));
        at.append(Adoc.attr("hc-absmax-hex", Format16.hex(m)));
        at.append(Adoc.attr("hc-absmax-member", mAt.isEmpty() ? "?" : mAt.stream().map(String::valueOf).reduce((p, s) -> p + ", " + s).get()));
        at.append(Adoc.attr("hc-absmax-elem", mAt.isEmpty() ? "?" : Integer.toString(G * span + 2 * mAt.getFirst())));
        at.append(Adoc.attr("hc-max", Num.exact(maxOf(f, v, true))));
        boolean maxWins = Math.abs(maxOf(f, v, true)) > Math.abs(maxOf(f, v, false));
        at.append(Adoc.attr("hc-absmax-rule", maxWins ? "is true, so M = max" : "is false, so M = min"));
        at.append(Adoc.attr("hc-min", Num.exact(maxOf(f, v, false))));
        at.append(Adoc.attr("hc-L", Integer.toString(l.levels())));
        at.append(Adoc.attr("hc-SF", Num.exact(f.toDouble(k.scaleFactor()))));
        at.append(Adoc.attr("hc-SF-hex", Format16.hex(k.scaleFactor())));
        at.append(Adoc.attr("hc-MxSF", Num.exact(f.toDouble(m) * f.toDouble(k.scaleFactor()))));
        at.append(Adoc.attr("hc-d", Num.exact(f.toDouble(d))));
        at.append(Adoc.attr("hc-d-hex", Format16.hex(d)));
        at.append(Adoc.attr("hc-d-fields", Num.fields(f, d)));
        at.append(Adoc.attr("hc-d-sci", Num.scientific(f, d)));
        at.append(Adoc.attr("hc-eps", Num.exact(f.toDouble(k.epsilon()))));
        at.append(Adoc.attr("hc-eps-hex", Format16.hex(k.epsilon())));
        at.append(Adoc.attr("hc-deps-exact", Num.exact(f.toDouble(d) + f.toDouble(k.epsilon()))));
        at.append(Adoc.attr("hc-deps", Num.exact(f.toDouble(dEps))));
        at.append(Adoc.attr("hc-deps-hex", Format16.hex(dEps)));
        at.append(Adoc.attr("hc-eps-effect", dEps == d
                ? "so d + EPS rounds back to d: EPS is far below half the spacing of fp16 numbers near d"
                : "so EPS changes d here (d is tiny)"));
        at.append(Adoc.attr("hc-recip", Num.g(1.0 / f.toDouble(dEps))));
        at.append(Adoc.attr("hc-recip-long", String.format(java.util.Locale.ROOT, "%.12f", 1.0 / f.toDouble(dEps))));
        at.append(Adoc.attr("hc-e", Num.exact(f.toDouble(e))));
        at.append(Adoc.attr("hc-e-hex", Format16.hex(e)));
        at.append(Adoc.attr("hc-e-fields", Num.fields(f, e)));
        at.append(Adoc.attr("hc-e-sci", Num.scientific(f, e)));
        at.append(Adoc.attr("hc-e-ulp", Num.exact(Math.ulp((float) f.toDouble(e)) * Math.pow(2, 13))));
        at.append(Adoc.attr("hc-e-other", Num.exact(f.toDouble(e) + Math.signum(1.0 / f.toDouble(dEps) - f.toDouble(e))
                * Math.ulp((float) f.toDouble(e)) * Math.pow(2, 13))));
        at.append(Adoc.attr("hc-p", Num.exact(product)));
        at.append(Adoc.attr("hc-w", Num.exact(wv)));
        at.append(Adoc.attr("hc-w-hex", Format16.hex(w)));
        at.append(Adoc.attr("hc-w-ulp", Num.exact(Math.ulp((float) wv) * Math.pow(2, 13))));
        at.append(Adoc.attr("hc-clamped", Num.exact(clamped)));
        at.append(Adoc.attr("hc-rmin", Num.exact(f.toDouble(k.rangeMin()))));
        at.append(Adoc.attr("hc-rmax", Num.exact(f.toDouble(k.rangeMax()))));
        at.append(Adoc.attr("hc-q", Integer.toString(qv)));
        at.append(Adoc.attr("hc-q-direct", Integer.toString((int) Math.rint(product))));
        at.append(Adoc.attr("hc-code", Integer.toString(code)));
        at.append(Adoc.attr("hc-code-direct", Integer.toString((int) Math.rint(product) + k.bias())));
        at.append(Adoc.attr("hc-code-bin", Num.binary(code, l.codeBits())));
        at.append(Adoc.attr("hc-code-hex", Integer.toHexString(code).toUpperCase()));
        at.append(Adoc.attr("hc-nibble", Integer.toString(nibble)));
        at.append(Adoc.attr("hc-word-offset", Integer.toString(wordOffset)));
        at.append(Adoc.attr("hc-word-bits", bitInWord + ".." + (bitInWord + l.codeBits() - 1)));
        at.append(Adoc.attr("hc-word-hex", String.format("0x%08X", word)));
        at.append(Adoc.attr("hc-word-bytes", Num.hexBytes(block, wordOffset, 4)));
        at.append(Adoc.attr("hc-word-nibbles", nib.toString()));
        at.append(Adoc.attr("hc-byte", Integer.toString(byteOffset)));
        at.append(Adoc.attr("hc-byte-in-word", Integer.toString(lowBit.byteInThread())));
        at.append(Adoc.attr("hc-byte-bits", (lowBit.bit() + l.codeBits() - 1) + ".." + lowBit.bit()));
        at.append(Adoc.attr("hc-byte-hex", String.format("0x%02X", block[byteOffset] & 0xFF)));
        at.append(Adoc.attr("hc-byte-half", lowBit.bit() == 0 ? "low" : "high"));
        at.append(Adoc.attr("hc-scale-offset", Integer.toString(scaleWordOffset)));
        at.append(Adoc.attr("hc-scale-word", String.format("0x%08X", scaleWord)));
        at.append(Adoc.attr("hc-scale-bytes", Num.hexBytes(block, scaleWordOffset, 4)));
        at.append(Adoc.attr("hc-d-odd", Num.show(f, scaleWord >>> 16)));
        at.append(Adoc.attr("hc-stride", Integer.toString(l.stride())));
        at.append(Adoc.attr("hc-decoded", Num.exact(f.toDouble(decoded))));
        at.append(Adoc.attr("hc-decoded-hex", Format16.hex(decoded)));
        at.append(Adoc.attr("hc-code-minus-L", Integer.toString(code - l.levels())));
        at.append(Adoc.attr("hc-error", Num.g(f.toDouble(decoded) - f.toDouble(x))));
        out.adoc("handcalc-attrs.adoc", at.toString());

        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < span; i += 2) {
            int lane = i / Geometry.VECTOR_ELEMENTS;
            int jj = i % Geometry.VECTOR_ELEMENTS;
            int bits = v[i] & 0xFFFF;
            String mark = (i == target ? "**x** (traced)" : "") + ((bits == m) ? (i == target ? ", " : "") + "**M**" : "");
            rows.add(List.of(Integer.toString(i / 2), Integer.toString(G * span + i), Integer.toString(G * Geometry.GROUP_THREADS + lane)
                    + " (k=" + lane + ")", Integer.toString(jj), Num.exact(f.toDouble(bits)), Adoc.mono(Format16.hex(bits)), mark));
        }
        out.adoc("handcalc-group.adoc", Adoc.table("The even group of span g = " + G + " (seeded N(0, 1.5²) values rounded to fp16; "
                + "member " + target / 2 + " then moved to the nearest value that shows the double rounding)", "1,1,2,1,3,2,2",
                List.of("m", "Element", "Thread", "j", "x", "Bits", ""), rows, "", "small"));
    }

    private static double maxOf(Format16 f, short[] v, boolean max) {
        double best = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (int i = 0; i < v.length; i += 2) {
            double x = f.toDouble(v[i]);
            best = max ? Math.max(best, x) : Math.min(best, x);
        }
        return best;
    }
}
