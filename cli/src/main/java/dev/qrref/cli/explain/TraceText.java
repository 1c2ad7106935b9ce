package dev.qrref.cli.explain;

import dev.qrref.cli.explain.GroupTrace.Element;
import dev.qrref.cpu.codec.CodeField;
import dev.qrref.cli.explain.GroupTrace.Lane;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints a {@link GroupTrace} as a teaching text: inputs, the max/min tree, the scales, every element, the bytes. */
public final class TraceText {
    private TraceText() {
    }

    /** {@code 0x3C00 (1)}: bits and exact value. */
    static String show(Format16 f, int bits) {
        return Format16.hex(bits) + " (" + value(f.toDouble(bits)) + ")";
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v > 0 ? "0" : "-0";
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            String[] p = s.split("e");
            return stripZeros(p[0]) + "e" + p[1];
        }
        return stripZeros(s);
    }

    private static String stripZeros(String s) {
        if (!s.contains(".")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String binary(int bits, int width) {
        String s = Integer.toBinaryString(bits & ((1 << width) - 1));
        return "0".repeat(width - s.length()) + s;
    }

    public static void print(GroupTrace t, String source, PrintWriter out) {
        Format16 c = t.compute;
        Format16 mem = t.path.dtype.format;
        CodecConstants k = t.constants;
        CodecLayout l = t.layout;
        out.printf("qr explain: one %s quantization group, data path %s (arithmetic in %s), profile %s%n", t.level.name(),
                t.path.id(), c.id(), t.profile.id());
        out.printf("profile: %s%n", t.profile.summary());
        out.printf("inputs: %s%n", source);
        out.printf("The traced group is the even elements 0, 2, ..., 62 of the first 64-element span of an atom row: lanes 0-7%n"
                + "(thread group 0) hold elements 8k..8k+7; the even elements are the low halves of each lane's 4 packed words.%n"
                + "The odd elements form the span's second group (the high halves); its scale fills the high half of the scale word.%n");
        out.println();
        out.printf("constants (%s): L = %d, SF = %s, EPS = %s, RMIN = %s, RMAX = %s, BIAS = %d%n", c.id(), t.levels,
                show(c, k.scaleFactor()), show(c, k.epsilon()), show(c, k.rangeMin()), show(c, k.rangeMax()), k.bias());
        out.println();

        out.println("1. inputs of the group");
        out.printf("   %3s %5s %5s %2s  %-24s%s%n", "m", "elem", "lane", "j", "x (" + mem.id() + ")",
                t.path.casts() ? "x after the bf16->fp16 cast (profile " + t.profile.id() + ")" : "");
        for (Element e : t.elements) {
            out.printf("   %3d %5d %5d %2d  %-24s%s%n", e.m(), e.index(), e.lane(), e.j(), show(mem, e.memory()),
                    t.path.casts() ? show(c, e.x()) : "");
        }
        out.println();

        out.println("2. signed absmax M: per lane max(max(w0,w1), max(w2,w3)) and the same with min, over the lane's 4 even values;");
        out.println("   then across lanes ((l0.l1).(l2.l3)).((l4.l5).(l6.l7)) as the shuffle-down tree leaves it in lane 0.");
        out.println("   max/min are maxNum/minNum: a NaN operand is ignored; max(-0,+0) = +0, min = -0.");
        out.printf("   %4s  %-24s %-24s%n", "lane", "max", "min");
        for (Lane ln : t.lanes) {
            out.printf("   %4d  %-24s %-24s%n", ln.lane(), show(c, ln.max()), show(c, ln.min()));
        }
        out.printf("   group max = %s, group min = %s%n", show(c, t.groupMax), show(c, t.groupMin));
        double amax = Math.abs(c.toDouble(t.groupMax));
        double amin = Math.abs(c.toDouble(t.groupMin));
        String rule;
        if (amax > amin) {
            rule = "|max| " + value(amax) + " > |min| " + value(amin) + ", so M = max";
        } else if (amax == amin) {
            rule = "|max| = |min| = " + value(amax) + ": a tie, and the strict '>' picks min (the negative element)";
        } else if (Double.isNaN(amax) || Double.isNaN(amin)) {
            rule = "a NaN takes part in the comparison, which is then false: M = min";
        } else {
            rule = "|max| " + value(amax) + " is not > |min| " + value(amin) + ", so M = min";
        }
        out.printf("   M = (|max| > |min|) ? max : min  ->  %s%n", rule);
        out.printf("   M = %s, %s%n", show(c, t.signedAbsMax), t.signedAbsMaxAt.isEmpty() ? "not one of the inputs"
                : "element" + (t.signedAbsMaxAt.size() > 1 ? "s " : " ")
                + t.signedAbsMaxAt.stream().map(m -> "m=" + m).collect(Collectors.joining(", "))
                + (t.signedAbsMaxAt.size() > 1 ? " (same bits)" : ""));
        out.println();

        out.printf("3. decoding scale d = %s(M x SF) = %s x %s = %s [%s]%n", c.id(), Format16.hex(t.signedAbsMax),
                Format16.hex(k.scaleFactor()), show(c, t.decodingScale), binary(t.decodingScale, 16));
        out.printf("4. d + EPS = %s + %s = %s%n", Format16.hex(t.decodingScale), Format16.hex(k.epsilon()), show(c, t.decodingScalePlusEps));
        out.printf("5. encoding scale e = rcp(d + EPS) = %s [%s]%n", show(c, t.encodingScale), binary(t.encodingScale, 16));
        out.println();

        out.printf("6. every element: w = %s(x*e); clamp to [RMIN, RMAX] (NaN -> RMIN); q = rint(w) (ties to even); code = q + %d;%n",
                c.id(), t.levels);
        out.printf("   decoded = %s((code - %d) x d)%s; error = decoded - x%n", c.id(), t.levels,
                t.path.casts() ? ", stored as bf16" : "");
        String bitsColumn = "%-" + (l.codeBits() + 2) + "s";
        out.printf("   %3s %-10s %-30s %-9s %4s %5s " + bitsColumn + " %-26s %s%n", "m", "x", "w = x*e", "clamped", "q", "code",
                "bits", "decoded", "error");
        for (Element e : t.elements) {
            int decodedShown = t.path.casts() ? e.stored() : e.decoded();
            double err = mem.toDouble(decodedShown) - mem.toDouble(e.memory()) + 0.0; // + 0.0: no "-0" error
            out.printf("   %3d %-10s %-30s %-9s %4d %5d " + bitsColumn + " %-26s %s%n", e.m(), value(c.toDouble(e.x())),
                    show(c, e.w()) + (e.product() != c.toDouble(e.w()) && !Float.isNaN(e.product()) ? " <- " + value(e.product()) : ""),
                    value(e.clamped()), e.q(), e.code(), binary(e.code(), l.codeBits()),
                    show(mem, decodedShown) + (t.path.casts() ? " fp16 " + Format16.hex(e.decoded()) : ""), value(err));
        }
        out.println("   (w shows '<- p' when the exact product p was rounded to get w)");
        out.println();

        out.println("7. where each code's bits sit in the atom block (byte offsets from the block start; words are little-endian)");
        for (Element e : t.elements) {
            StringBuilder s = new StringBuilder();
            for (CodeField f : e.fields()) {
                if (!s.isEmpty()) {
                    s.append("; ");
                }
                s.append(String.format(Locale.ROOT, "code bits %s -> plane '%s', lane %d's %d-byte word @%d bits %d..%d = byte %d bits %d..%d",
                        f.width() == 1 ? Integer.toString(f.codeBitLo()) : f.codeBitLo() + ".." + (f.codeBitLo() + f.width() - 1),
                        f.plane(), e.lane(), f.wordBytes(), f.wordOffset(), f.bitInWord(), f.bitInWord() + f.width() - 1,
                        f.byteOffset(), f.bitInByte(), f.bitInByte() + f.width() - 1));
            }
            out.printf("   m=%-2d code %-3d %s%n", e.m(), e.code(), s);
        }
        out.println();

        out.printf("8. packed bytes of lanes 0-7 as the model's %s codec writes them (atom block of %d bytes; memory order)%n",
                t.level.name(), l.stride());
        for (CodecLayout.Plane p : l.planes()) {
            out.printf("   plane '%s' (code bits %s), %d bytes per lane at %d + %d*lane:%n", p.name(), p.bits(), p.bytesPerThread(),
                    p.offset(), p.bytesPerThread());
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
        out.println("Every value above comes from the CPU model's own steps (GroupStatistics, GroupQuantizer) and the bytes from its");
        out.println("codec; the codes re-packed at the positions of step 7 reproduce those bytes, and the codec's decoder returns the");
        out.println("decoded values of step 6 (checked on every run). In an all-reduce each element makes this round trip twice:");
        out.println("once before the sum (phase 1) and once more after it, with scales computed on the sums (phase 2).");
    }

    static String hex(byte[] b, int at, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b[at + i] & 0xFF));
        }
        return s.toString();
    }
}
