package dev.qrref.cli.explain;

import static dev.qrref.cli.explain.TraceText.binary;
import static dev.qrref.cli.explain.TraceText.hex;
import static dev.qrref.cli.explain.TraceText.show;
import static dev.qrref.cli.explain.TraceText.value;

import dev.qrref.cli.explain.Fp8Trace.Element;
import dev.qrref.cpu.codec.CodeField;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Geometry;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints an {@link Fp8Trace} as a teaching text, in the order of {@link TraceText}. */
public final class Fp8TraceText {
    private Fp8TraceText() {
    }

    public static void print(Fp8Trace t, String source, PrintWriter out) {
        Format16 c = t.compute;
        Format16 mem = t.path.dtype.format;
        CodecConstants k = t.constants;
        CodecLayout l = t.layout;
        Fp8Format f8 = t.fp8.format();
        out.printf("qr explain: one FP8 quantization group, data path %s (arithmetic in %s), profile %s%n", t.path.id(), c.id(),
                t.profile.id());
        out.printf("profile: %s%n", t.profile.summary());
        out.printf("inputs: %s%n", source);
        out.printf("The traced group is the even elements 0, 2, ..., 62 of the first 64-element span of an atom row: lanes 0-7%n"
                + "(thread group 0) hold elements 8k..8k+7; the even elements are the low halves of each lane's 4 packed words.%n"
                + "The odd elements form the span's second group (the high halves); its scale fills the high half of the scale word.%n");
        out.println();
        out.printf("constants (%s): SF = %s, EPS = %s; no clamp%n", c.id(), show(c, k.scaleFactor()), show(c, k.epsilon()));
        out.printf("fp8 format of profile %s: %s (bias %d, largest %s = 0x%02X, NaN = 0x%02X%s); beyond the range and +-inf -> %s%n",
                t.profile.id(), f8.id(), f8.exponentBias, value(f8.maxValue()), f8.maxFinite,
                f8.unsignedZero ? 0x80 : 0x7F, f8.unsignedZero ? ", no -0" : " or 0xFF",
                t.fp8.saturates() ? "+-" + value(f8.maxValue()) + " (saturation)" : "NaN");
        out.println();

        out.println("1. inputs of the group");
        out.printf("   %3s %5s %5s %2s  %-24s%s%n", "m", "elem", "lane", "j", "x (" + mem.id() + ")",
                t.path.casts() ? "x after the bf16->fp16 cast (profile " + t.profile.id() + ")" : "");
        for (Element e : t.elements) {
            out.printf("   %3d %5d %5d %2d  %-24s%s%n", e.m(), e.index(), e.lane(), e.j(), show(mem, e.memory()),
                    t.path.casts() ? show(c, e.x()) : "");
        }
        out.println();

        out.println("2. abs-max a: the magnitudes |x| first, then per lane max(max(|w0|,|w1|), max(|w2|,|w3|)) over its 4 even values,");
        out.println("   then across lanes ((l0.l1).(l2.l3)).((l4.l5).(l6.l7)); max is maxNum: a NaN is ignored. The sign plays no part.");
        out.printf("   %4s  %-24s%n", "lane", "max |x|");
        for (Fp8Trace.Lane ln : t.lanes) {
            out.printf("   %4d  %-24s%n", ln.lane(), show(c, ln.absMax()));
        }
        out.printf("   a = %s, %s%n", show(c, t.absMax), t.absMaxAt.isEmpty() ? "not the magnitude of one of the inputs"
                : "|x| of element" + (t.absMaxAt.size() > 1 ? "s " : " ")
                + t.absMaxAt.stream().map(m -> "m=" + m).collect(Collectors.joining(", ")));
        out.println();

        out.printf("3. decoding scale d = %s(a x SF) = %s x %s = %s [%s]%n", c.id(), Format16.hex(t.absMax),
                Format16.hex(k.scaleFactor()), show(c, t.decodingScale), binary(t.decodingScale, 16));
        out.printf("4. d + EPS = %s + %s = %s%n", Format16.hex(t.decodingScale), Format16.hex(k.epsilon()), show(c, t.decodingScalePlusEps));
        out.printf("5. encoding scale e = rcp(d + EPS) = %s [%s]%n", show(c, t.encodingScale), binary(t.encodingScale, 16));
        out.println();

        out.printf("6. every element: w = %s(x*e), not clamped; code = %s(w) (w widened exactly to binary32, rounded to nearest even);%n",
                c.id(), f8.id());
        out.printf("   decoded = %s(value(code) x d)%s; error = decoded - x%n", c.id(), t.path.casts() ? ", stored as bf16" : "");
        out.printf("   %3s %-11s %-30s %-6s %-10s %-10s %-26s %s%n", "m", "x", "w = x*e", "code", "bits", "value", "decoded", "error");
        int beyond = 0;
        for (Element e : t.elements) {
            int decodedShown = t.path.casts() ? e.stored() : e.decoded();
            double err = mem.toDouble(decodedShown) - mem.toDouble(e.memory()) + 0.0;
            beyond += e.beyond() ? 1 : 0;
            out.printf("   %3d %-11s %-30s 0x%02X   %-10s %-10s %-26s %s%n", e.m(), value(c.toDouble(e.x())),
                    show(c, e.w()) + (e.product() != c.toDouble(e.w()) && !Float.isNaN(e.product()) ? " <- " + value(e.product()) : ""),
                    e.code(), binary(e.code(), 8) + (e.beyond() ? "!" : ""), value(e.codeValue()),
                    show(mem, decodedShown) + (t.path.casts() ? " fp16 " + Format16.hex(e.decoded()) : ""), value(err));
        }
        out.println("   (w shows '<- p' when the exact product p was rounded to get w; '!' marks a w beyond the fp8 range, where");
        out.printf("    the profile's rule gave %s)%n", t.fp8.saturates() ? "the largest value of its sign" : "the NaN code");
        if (beyond > 0) {
            out.printf("   %d element(s) beyond the range: a = %s is so small that e = rcp(d + EPS) is %s in %s, the reciprocal cliff%n",
                    beyond, value(c.toDouble(t.absMax)), value(c.toDouble(t.encodingScale)), c.id());
            out.println("   of the dossier's §7: these values do not come back (see qr audit for how often real data hits it).");
        }
        out.println();

        out.println("7. where each code's bits sit in the atom block (byte offsets from the block start; words are little-endian)");
        for (Element e : t.elements) {
            StringBuilder s = new StringBuilder();
            for (CodeField f : e.fields()) {
                if (!s.isEmpty()) {
                    s.append("; ");
                }
                s.append(String.format(Locale.ROOT, "plane '%s', lane %d's %d-byte word @%d bits %d..%d = byte %d",
                        f.plane(), e.lane(), f.wordBytes(), f.wordOffset(), f.bitInWord(), f.bitInWord() + f.width() - 1,
                        f.byteOffset()));
            }
            out.printf("   m=%-2d code 0x%02X %s%n", e.m(), e.code(), s);
        }
        out.println();

        out.printf("8. packed bytes of lanes 0-7 as the model's FP8 codec writes them (atom block of %d bytes; memory order)%n", l.stride());
        for (CodecLayout.Plane p : l.planes()) {
            out.printf("   plane '%s', %d bytes per lane at %d + %d*lane:%n", p.name(), p.bytesPerThread(), p.offset(), p.bytesPerThread());
            for (int lane = 0; lane < Geometry.GROUP_THREADS; lane++) {
                int at = p.offset() + lane * p.bytesPerThread();
                out.printf("     lane %d @%-5d %s%n", lane, at, hex(t.codecBlock, at, p.bytesPerThread()));
            }
        }
        int so = l.scaleOffset();
        out.printf("   scale word of thread group 0 @%d: %s = 0x%08X: low half d(even group) = %s, high half d(odd group) = %s%n",
                so, hex(t.codecBlock, so, Geometry.SCALE_WORD_BYTES), t.scaleWord, show(c, t.scaleWord & 0xFFFF),
                show(c, t.scaleWord >>> 16));
        out.println();
        out.println("Every value above comes from the CPU model's own steps (GroupStatistics, Fp8Quantizer) and the bytes from its");
        out.println("codec; the codes re-packed at the positions of step 7 reproduce those bytes, and the codec's decoder returns the");
        out.println("decoded values of step 6 (checked on every run). In an all-reduce each element makes this round trip twice:");
        out.println("once before the sum (phase 1) and once more after it, with scales computed on the sums (phase 2).");
    }
}
