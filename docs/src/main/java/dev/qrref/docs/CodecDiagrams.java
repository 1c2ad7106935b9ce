package dev.qrref.docs;

import dev.qrref.conformance.plot.Svg;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The atom-block layout of every codec, drawn from {@link CodecLayout} (regions and offsets) and from
 * {@link CodecProbe} (which bit of which code sits where, as the model's decoder reads it). Writes
 * {@code codec-<name>.adoc} (drawing plus tables) and {@code images/gen/layout-<name>.svg}.
 */
final class CodecDiagrams {
    private CodecDiagrams() {
    }

    static String name(QuantLevel q) {
        return q.quantized() ? q.cliName() : "fp";
    }

    static void write(Out out) {
        for (QuantLevel q : QuantLevel.values()) {
            CodecProbe.Result r = CodecProbe.probe(q);
            String img = out.svg("layout-" + name(q), draw(r));
            out.adoc("codec-" + name(q) + ".adoc", adoc(r, img));
        }
        out.adoc("codec-summary.adoc", summary());
        out.adoc("codec-attrs.adoc", attrs());
    }

    /**
     * Attributes for the prose of every quantized codec, all read from the spec module: {@code codec-<name>-stride},
     * {@code -wire} (bytes per element), {@code -scales} (offset of the scale words), {@code -<plane>-from}/{@code -to}
     * for each payload plane, {@code -sf-fp16}/{@code -sf-bf16} (the scale factor's bits and value); for integer codecs
     * {@code -L}, {@code -rmin}, {@code -rmax}, {@code -bias}; for FP8 {@code -sf-recip} (1/SF in fp16) and
     * {@code -target} (the magnitude the group's abs-max is scaled to).
     */
    static String attrs() {
        StringBuilder sb = new StringBuilder();
        for (QuantLevel q : QuantLevel.values()) {
            if (!q.quantized()) {
                continue;
            }
            String p = "codec-" + q.cliName() + "-";
            CodecLayout l = q.layout();
            sb.append(Adoc.attr(p + "stride", Integer.toString(l.stride())))
                    .append(Adoc.attr(p + "wire", Num.g(l.wireBytesPerElement())))
                    .append(Adoc.attr(p + "compression", Num.fixed(l.compression(), 2)))
                    .append(Adoc.attr(p + "scales", Integer.toString(l.scaleOffset())));
            for (CodecLayout.Plane pl : l.planes()) {
                sb.append(Adoc.attr(p + pl.name() + "-from", Integer.toString(pl.offset())))
                        .append(Adoc.attr(p + pl.name() + "-to", Integer.toString(pl.offset() + pl.size())))
                        .append(Adoc.attr(p + pl.name() + "-bytes", Integer.toString(pl.bytesPerThread())));
            }
            for (Format16 f : Format16.values()) {
                CodecConstants k = CodecConstants.of(q, f);
                sb.append(Adoc.attr(p + "sf-" + f.id(), Format16.hex(k.scaleFactor()) + " = " + Num.g(f.toDouble(k.scaleFactor()))));
            }
            if (q.kind == QuantLevel.Kind.INTEGER) {
                CodecConstants k = CodecConstants.of(q, Format16.FP16);
                sb.append(Adoc.attr(p + "L", Integer.toString(l.levels())))
                        .append(Adoc.attr(p + "rmin", Num.exact(Format16.FP16.toDouble(k.rangeMin()))))
                        .append(Adoc.attr(p + "rmax", Num.exact(Format16.FP16.toDouble(k.rangeMax()))))
                        .append(Adoc.attr(p + "bias", Integer.toString(k.bias())));
            } else {
                int sf = CodecConstants.of(q, Format16.FP16).scaleFactor();
                sb.append(Adoc.attr(p + "sf-recip", Num.g(1 / Format16.FP16.toDouble(sf))))
                        .append(Adoc.attr(p + "target", Integer.toString(CodecConstants.FP8_TARGET_MAX)));
            }
        }
        return sb.toString();
    }

    /** The table of all codecs: code bits, L, stride, compression. */
    static String summary() {
        List<List<String>> rows = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            CodecLayout l = q.layout();
            boolean integer = q.kind == QuantLevel.Kind.INTEGER;
            String codes = integer ? "[" + (-l.levels()) + ", " + (l.levels() - 1) + "] + " + l.levels()
                    : q.kind == QuantLevel.Kind.FP8 ? "e4m3 patterns (format per profile), no bias" : "–";
            rows.add(List.of(Adoc.mono(q.name()) + " (" + Adoc.mono(q.cliName()) + ")", Integer.toString(q.code),
                    Integer.toString(l.codeBits()), integer ? Integer.toString(l.levels()) : "–", codes,
                    String.format("%,d", l.stride()), q.quantized() ? Integer.toString(l.scaleOffset()) : "–",
                    String.format("%.4f", (double) l.stride() / Geometry.ATOM_ELEMENTS),
                    String.format("%.3f", l.compression())));
        }
        return Adoc.table("Codecs (from dev.qrref.spec.CodecLayout)", "2,1,1,1,2,1,1,1,1",
                List.of("Codec", "Code", "Bits/code", "L", "Codes before bias, bias", "Stride (bytes)", "Scales at",
                        "Wire bytes/element", "Compression vs 16-bit"), rows);
    }

    static String adoc(CodecProbe.Result r, String img) {
        CodecLayout l = r.layout();
        QuantLevel q = r.level();
        StringBuilder sb = new StringBuilder();
        sb.append(".").append(q.quantized() ? q.name() : "FP").append(" atom block: regions (top, to scale) and the bytes of one thread (below)\n");
        sb.append(Adoc.image(img, q.name() + " atom block layout", "layout"));
        List<List<String>> rows = new ArrayList<>();
        for (CodecLayout.Plane p : l.planes()) {
            rows.add(List.of(Adoc.mono(p.name()), String.format("%,d", p.offset()),
                    String.format("%,d", p.offset() + p.size()), Integer.toString(p.bytesPerThread()),
                    Adoc.mono(p.offset() + " + " + p.bytesPerThread() + "·t"), Adoc.text(p.bits())));
        }
        if (q.quantized()) {
            rows.add(List.of("scales", String.format("%,d", l.scaleOffset()), String.format("%,d", l.stride()), "4 per thread group",
                    Adoc.mono(l.scaleOffset() + " + 4·g") + " (g = t/8)", "16-bit d of the even group (low), odd group (high)"));
        }
        sb.append(Adoc.table(q.name() + " regions of one atom block (stride " + l.stride() + " bytes)", "2,1,1,1,2,3",
                List.of("Region", "From byte", "To byte (excl.)", "Bytes per thread", "Thread t's bytes at", "Code bits held"), rows));
        // element -> position
        List<List<String>> pos = new ArrayList<>();
        for (int j = 0; j < Geometry.VECTOR_ELEMENTS; j++) {
            pos.add(List.of(Integer.toString(j), Adoc.mono("8t+" + j), (j % 2 == 0 ? "even" : "odd"), Adoc.text(describe(r, j))));
        }
        sb.append(Adoc.table(q.name() + ": where the code of a thread's element j is stored (probed through the model's decoder)",
                "1,1,1,8", List.of("j", "Element of the atom row", "Group", "Bits (plane: byte of the thread's bytes, bits in that byte)"),
                pos));
        for (String fact : r.scaleFacts()) {
            sb.append("* ").append(Adoc.text(fact)).append('\n');
        }
        List<String> plain = l.planes().stream().filter(p -> !p.nontemporal()).map(p -> Adoc.mono(p.name())).toList();
        if (!plain.isEmpty()) {
            sb.append("* ").append(plain.size() == 1 ? "plane " : "planes ").append(String.join(", ", plain))
                    .append(plain.size() == 1 ? " is" : " are").append(" accessed with plain loads and stores, not nontemporal ones\n");
        }
        sb.append('\n');
        return sb.toString();
    }

    // ---- drawing --------------------------------------------------------------------------------------------------

    /** A maximal run of bits in one byte belonging to one element with consecutive code bits. */
    record Field(int plane, int byteInThread, int bitHi, int bitLo, int element, int codeHi, int codeLo) {
    }

    static List<Field> fields(CodecProbe.Result r, int plane, int byteInThread) {
        List<Field> out = new ArrayList<>();
        int bit = 7;
        while (bit >= 0) {
            CodecProbe.BitMap b = r.at(plane, byteInThread, bit);
            int hi = bit;
            int lo = bit;
            while (lo - 1 >= 0) {
                CodecProbe.BitMap nb = r.at(plane, byteInThread, lo - 1);
                CodecProbe.BitMap cur = r.at(plane, byteInThread, lo);
                if (nb.element() != b.element() || nb.codeBit() != cur.codeBit() - 1) {
                    break;
                }
                lo--;
            }
            out.add(new Field(plane, byteInThread, hi, lo, b.element(), b.codeBit(), r.at(plane, byteInThread, lo).codeBit()));
            bit = lo - 1;
        }
        return out;
    }

    static String describe(CodecProbe.Result r, int j) {
        List<String> parts = new ArrayList<>();
        CodecLayout l = r.layout();
        for (int p = 0; p < l.planes().size(); p++) {
            CodecLayout.Plane plane = l.planes().get(p);
            for (int b = 0; b < plane.bytesPerThread(); b++) {
                for (Field f : fields(r, p, b)) {
                    if (f.element() == j) {
                        parts.add(plane.name() + ": byte " + b + " bits " + range(f.bitHi(), f.bitLo()) + " = code bits "
                                + range(f.codeHi(), f.codeLo()));
                    }
                }
            }
        }
        return String.join("; ", parts);
    }

    static String range(int hi, int lo) {
        return hi == lo ? Integer.toString(hi) : hi + ".." + lo;
    }

    static Svg draw(CodecProbe.Result r) {
        CodecLayout l = r.layout();
        QuantLevel q = r.level();
        double left = 20;
        double barW = 900;
        int maxBytes = l.planes().stream().mapToInt(CodecLayout.Plane::bytesPerThread).max().orElse(4);
        double bitW = Math.min(12, 768.0 / (maxBytes * 8));
        double rowH = 46;
        double height = 140 + l.planes().size() * (rowH + 44) + (q.quantized() ? rowH + 44 : 0) + 40;
        Svg s = new Svg(left * 2 + barW, height, q.name() + " atom block layout");
        s.text(left, 18, q.name() + " atom block: " + l.stride() + " bytes (one atom row of 2048 elements from one sender)", 13,
                "start", Svg.SANS, "#222", true);
        // overview bar, to scale
        double y = 34;
        double h = 40;
        double scale = barW / l.stride();
        List<double[]> regions = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (CodecLayout.Plane p : l.planes()) {
            regions.add(new double[]{p.offset(), p.offset() + p.size()});
            labels.add(p.name() + ": " + p.bytesPerThread() + " B × 256 threads, code bits " + p.bits());
        }
        if (q.quantized()) {
            regions.add(new double[]{l.scaleOffset(), l.stride()});
            labels.add("scales: 32 × 4 B");
        }
        for (int i = 0; i < regions.size(); i++) {
            double x0 = left + regions.get(i)[0] * scale;
            double w = (regions.get(i)[1] - regions.get(i)[0]) * scale;
            boolean isScale = q.quantized() && i == regions.size() - 1;
            s.rect(x0, y, w, h, isScale ? "#EEEEEE" : Svg.pale(i), "#444", labels.get(i));
            String lab = labels.get(i);
            double size = 11;
            if (lab.length() * size * 0.55 > w - 6) {
                lab = isScale ? "scales" : l.planes().get(i).name();
            }
            if (lab.length() * size * 0.55 <= w - 4) {
                s.text(x0 + w / 2, y + h / 2 + 4, lab, size, "middle");
            }
            s.mono(x0, y + h + 13, Long.toString((long) regions.get(i)[0]), 10, i == 0 ? "start" : "middle");
        }
        s.mono(left + barW, y + h + 13, Integer.toString(l.stride()), 10, "end");
        // thread ticks in the first plane: threads 0..3 (exaggerated) are not to scale, so only a note
        double py = y + h + 40;
        s.text(left, py, "Bytes of thread t in each region (memory order left to right, bit 7 on the left of each byte):", 12,
                "start", Svg.SANS, "#222", true);
        py += 14;
        for (int p = 0; p < l.planes().size(); p++) {
            CodecLayout.Plane plane = l.planes().get(p);
            s.text(left, py + 12, "'" + plane.name() + "' at " + plane.offset() + " + " + plane.bytesPerThread() + "·t", 11, "start");
            double ry = py + 18;
            for (int b = 0; b < plane.bytesPerThread(); b++) {
                double bx = left + b * 8 * bitW;
                for (Field f : fields(r, p, b)) {
                    double fx = bx + (7 - f.bitHi()) * bitW;
                    double fw = (f.bitHi() - f.bitLo() + 1) * bitW;
                    boolean odd = f.element() % 2 == 1;
                    s.rect(fx, ry, fw, rowH - 18, Svg.colour(f.element()), odd ? "#000" : "#444",
                            "element 8t+" + f.element() + " code bits " + range(f.codeHi(), f.codeLo()));
                    String lab = q.quantized() ? "c" + f.element() : "x" + f.element();
                    String bits = "[" + range(f.codeHi(), f.codeLo()).replace("..", ":") + "]";
                    if (fw >= 22) {
                        s.text(fx + fw / 2, ry + 12, lab, 10, "middle", Svg.MONO, "#000", odd);
                        if (fw >= 34 || bits.length() <= 3) {
                            s.text(fx + fw / 2, ry + 24, bits, 9, "middle", Svg.MONO, "#000", false);
                        }
                    }
                }
                s.rect(bx, ry, 8 * bitW, rowH - 18, "none", "#000");
                s.mono(bx + 4 * bitW, ry + rowH - 6, "byte " + b, 9, "middle");
            }
            py += rowH + 44;
        }
        if (q.quantized()) {
            s.text(left, py + 12, "scale word of thread group g = t/8 at " + l.scaleOffset() + " + 4·g (little-endian)", 11, "start");
            double ry = py + 18;
            double bw = 8 * 12;
            String[] lab = {"d(even) low byte", "d(even) high byte", "d(odd) low byte", "d(odd) high byte"};
            for (int b = 0; b < 4; b++) {
                s.rect(left + b * bw, ry, bw, rowH - 18, b < 2 ? "#F0F0F0" : "#DADADA", "#000");
                s.text(left + b * bw + bw / 2, ry + 17, lab[b], 8.5, "middle");
                s.mono(left + b * bw + bw / 2, ry + rowH - 6, "byte " + b, 9, "middle");
            }
            py += rowH + 44;
        }
        s.text(left, height - 12, "c j = code of element 8t+j; bold labels: odd elements (odd group). Drawn from CodecLayout and "
                + "probed through the CPU model's decoder.", 10, "start");
        return s;
    }
}
