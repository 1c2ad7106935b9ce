package dev.qrref.docs;

import dev.qrref.conformance.plot.Svg;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The thread → element map in CuTe {@code Shape:Stride} notation, every layout checked point by point against
 * {@link Geometry} (and the byte layouts against {@link CodecLayout}), plus two drawings: one 64-element span with its two
 * interleaved groups, and the atoms of a tile coloured by owning rank for W = 2, 4, 8.
 */
final class ThreadMap {
    private ThreadMap() {
    }

    /**
     * A CuTe layout with nested modes written out: {@code shape} and {@code stride} are the flat modes (first mode
     * fastest, as CuTe's colexicographic order), {@code text} the notation with its nesting.
     */
    record Layout(String name, String coords, int[] shape, long[] stride, String text, String meaning) {
        long offset(int[] c) {
            long o = 0;
            for (int k = 0; k < c.length; k++) {
                o += c[k] * stride[k];
            }
            return o;
        }

        long size() {
            long n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        /** Checks {@code offset(c) + base == expected(c)} for every coordinate. */
        void check(long base, ToLongFunction<int[]> expected) {
            int[] c = new int[shape.length];
            for (long i = 0; i < size(); i++) {
                long rem = i;
                for (int k = 0; k < shape.length; k++) {
                    c[k] = (int) (rem % shape[k]);
                    rem /= shape[k];
                }
                long want = expected.applyAsLong(c);
                if (offset(c) + base != want) {
                    throw new IllegalStateException("CuTe layout " + text + " maps " + java.util.Arrays.toString(c) + " to "
                            + (offset(c) + base) + ", the geometry says " + want);
                }
            }
        }
    }

    static String tuple(long... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.append(')').toString();
    }

    static List<Layout> layouts() {
        int t = Geometry.THREADS;
        int a = Geometry.ATOMS;
        int v = Geometry.VECTOR_ELEMENTS;
        int ae = Geometry.ATOM_ELEMENTS;
        int gt = Geometry.GROUP_THREADS;
        int tg = Geometry.THREAD_GROUPS;
        int span = Geometry.GROUP_SPAN;
        int words = Geometry.VECTOR_WORDS;
        List<Layout> out = new ArrayList<>();
        out.add(new Layout("block threads", "(threadIdx.x, threadIdx.y)", new int[]{Geometry.WAVEFRONT, t / Geometry.WAVEFRONT},
                new long[]{1, Geometry.WAVEFRONT}, tuple(Geometry.WAVEFRONT, t / Geometry.WAVEFRONT) + ":" + tuple(1, Geometry.WAVEFRONT),
                "linear thread id t; threadIdx.x is the lane in the wavefront"));
        Layout tile = new Layout("tile", "(j, t, i)", new int[]{v, t, a}, new long[]{1, v, ae},
                tuple(v, t, a) + ":" + tuple(1, v, ae), "element of a tile held by thread t in atom i, slot j");
        tile.check(0, c -> Geometry.element(0, c[2], c[1], c[0]));
        out.add(tile);
        Layout split = new Layout("tile, thread split", "(j, (k, g), i)", new int[]{v, gt, tg, a}, new long[]{1, v, (long) v * gt, ae},
                "(" + v + ",(" + gt + "," + tg + ")," + a + "):(1,(" + v + "," + (v * gt) + ")," + ae + ")",
                "t = k + 8g: lane k of thread group g");
        split.check(0, c -> Geometry.element(0, c[3], c[1] + gt * c[2], c[0]));
        out.add(split);
        Layout words16 = new Layout("vector words", "(h, w)", new int[]{2, words}, new long[]{1, 2},
                tuple(2, words) + ":" + tuple(1, 2), "slot j = h + 2w: word w of the vector, low (h = 0) or high (h = 1) half");
        words16.check(0, c -> c[0] + 2L * c[1]);
        out.add(words16);
        Layout group = new Layout("quantization groups", "(h, (w, k), g, i)", new int[]{2, words, gt, tg, a},
                new long[]{1, 2, v, span, ae},
                "(2,(" + words + "," + gt + ")," + tg + "," + a + "):(1,(2," + v + ")," + span + "," + ae + ")",
                "member m = w + 4k of the even (h = 0) or odd (h = 1) group of span g in atom i");
        group.check(0, c -> {
            int m = c[1] + words * c[2];
            long e = (long) c[4] * ae + (long) c[3] * span + 2L * m + c[0];
            Geometry.Coordinates co = Geometry.coordinates(e);
            if (co.threadGroup() != c[3] || co.odd() != (c[0] == 1) || co.thread() != gt * c[3] + c[2] || co.atom() != c[4]) {
                throw new IllegalStateException("group layout disagrees with Geometry.coordinates at element " + e);
            }
            return e;
        });
        out.add(group);
        for (int w : Geometry.WORLD_SIZES) {
            int ra = Geometry.rankAtoms(w);
            Layout own = new Layout("ownership, W=" + w, "(x, a, R)", new int[]{ae, ra, w}, new long[]{1, ae, (long) ae * ra},
                    tuple(ae, ra, w) + ":" + tuple(1, ae, (long) ae * ra), "element x of atom a of the segment owned by rank R");
            own.check(0, c -> {
                long e = (long) c[0] + (long) (c[2] * ra + c[1]) * ae;
                if (Geometry.coordinates(e).owner(w) != c[2]) {
                    throw new IllegalStateException("ownership layout: element " + e + " is not owned by rank " + c[2]);
                }
                return e;
            });
            out.add(own);
        }
        for (QuantLevel q : QuantLevel.values()) {
            CodecLayout l = q.layout();
            for (CodecLayout.Plane p : l.planes()) {
                Layout bytes = new Layout("wire " + CodecDiagrams.name(q) + " '" + p.name() + "'", "(b, t)",
                        new int[]{p.bytesPerThread(), t}, new long[]{1, p.bytesPerThread()},
                        p.offset() + " + " + tuple(p.bytesPerThread(), t) + ":" + tuple(1, p.bytesPerThread()),
                        "byte b of thread t's " + p.name() + " in the atom block");
                bytes.check(p.offset(), c -> p.offset() + (long) c[1] * p.bytesPerThread() + c[0]);
                out.add(bytes);
            }
            if (q.quantized()) {
                Layout sc = new Layout("wire " + CodecDiagrams.name(q) + " scales", "(b, g)", new int[]{4, tg}, new long[]{1, 4},
                        l.scaleOffset() + " + " + tuple(4, tg) + ":" + tuple(1, 4), "byte b of the scale word of thread group g");
                sc.check(l.scaleOffset(), c -> l.scaleOffset() + 4L * c[1] + c[0]);
                out.add(sc);
            }
        }
        return out;
    }

    static void write(Out out) {
        List<List<String>> rows = new ArrayList<>();
        for (Layout l : layouts()) {
            rows.add(List.of(Adoc.text(l.name()), Adoc.mono(l.coords()), Adoc.mono(l.text()), Adoc.text(l.meaning())));
        }
        out.adoc("cute-layouts.adoc", Adoc.table("Maps in CuTe Shape:Stride notation (generated from dev.qrref.spec.Geometry and "
                + "CodecLayout; each checked at every coordinate)", "2,2,4,5", List.of("Map", "Coordinates", "Layout", "Meaning"), rows));
        out.adoc("span-drawing.adoc", Adoc.image(out.svg("span-groups", span()),
                "One 64-element span: lanes, words and the two interleaved groups", "layout"));
        out.adoc("tile-drawing.adoc", Adoc.image(out.svg("tile-ownership", tile()),
                "A tile: 8 atoms of 256 threads, coloured by the rank that owns each atom for W = 2, 4 and 8", "layout"));
    }

    /** One span: 8 lanes × 8 slots, coloured by group, labelled with element and member index. */
    static Svg span() {
        int gt = Geometry.GROUP_THREADS;
        int v = Geometry.VECTOR_ELEMENTS;
        double cw = 74;
        double ch = 34;
        double left = 110;
        double top = 62;
        Svg s = new Svg(left + v * cw + 30, top + gt * ch + 70, "one 64-element span");
        s.text(20, 20, "A span: thread group g (lanes 8g..8g+7) in one atom row, 64 elements, two groups", 13, "start",
                Svg.SANS, "#222", true);
        for (int w = 0; w < Geometry.VECTOR_WORDS; w++) {
            double x = left + 2 * w * cw;
            s.rect(x, top - 26, 2 * cw, 20, "#F4F4F4", "#888");
            s.text(x + cw, top - 12, "word " + w + " (32 bits)", 11, "middle");
        }
        for (int k = 0; k < gt; k++) {
            s.text(left - 10, top + k * ch + ch / 2 + 4, "lane 8g+" + k, 11, "end");
            for (int j = 0; j < v; j++) {
                int e = v * k + j;
                boolean odd = (j & 1) == 1;
                int m = e / 2;
                s.rect(left + j * cw, top + k * ch, cw, ch, odd ? "#DDCC77" : "#88CCEE", "#555",
                        "element 64g+" + e + ", " + (odd ? "odd" : "even") + " group member " + m);
                s.mono(left + j * cw + cw / 2, top + k * ch + 14, "e=" + e, 11, "middle");
                s.mono(left + j * cw + cw / 2, top + k * ch + 27, (odd ? "odd" : "even") + " m=" + m, 9.5, "middle");
            }
        }
        double ly = top + gt * ch + 22;
        s.rect(left, ly - 11, 14, 14, "#88CCEE", "#555").text(left + 20, ly, "even group: elements 64g+2m (low halves)", 11, "start");
        s.rect(left + 300, ly - 11, 14, 14, "#DDCC77", "#555").text(left + 320, ly, "odd group: elements 64g+2m+1 (high halves)", 11, "start");
        s.text(left, ly + 22, "Columns: slot j of the thread's 16-byte vector; word w holds slots 2w (low) and 2w+1 (high).", 11, "start");
        return s;
    }

    /** A tile: 8 atom rows × 32 thread groups; colour = owner rank, one panel per world size. */
    static Svg tile() {
        double cw = 7.5;
        double ch = 16;
        double panelW = Geometry.THREAD_GROUPS * cw;
        double left = 70;
        double top = 50;
        double gap = 40;
        int n = Geometry.WORLD_SIZES.size();
        Svg s = new Svg(left + n * (panelW + gap) + 10, top + Geometry.ATOMS * ch + 60, "tile ownership");
        s.text(10, 18, "One tile (16384 elements): atom rows of 2048 elements, owned by rank R = atom / (8/W)", 13, "start", Svg.SANS,
                "#222", true);
        for (int p = 0; p < n; p++) {
            int w = Geometry.WORLD_SIZES.get(p);
            double x0 = left + p * (panelW + gap);
            s.text(x0 + panelW / 2, top - 10, "W = " + w + " (" + Geometry.rankAtoms(w) + " atom" + (w == 8 ? "" : "s") + " per rank)", 12,
                    "middle");
            for (int i = 0; i < Geometry.ATOMS; i++) {
                int owner = Geometry.coordinates((long) i * Geometry.ATOM_ELEMENTS).owner(w);
                for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
                    s.rect(x0 + g * cw, top + i * ch, cw, ch, Svg.colour(owner), "#FFFFFF");
                }
                s.rect(x0, top + i * ch, panelW, ch, "none", "#333");
                s.rect(x0 + panelW / 2 - 24, top + i * ch + 3, 48, ch - 6, "#FFFFFF", "none");
                s.mono(x0 + panelW / 2, top + i * ch + 12, "rank " + owner, 10, "middle");
                if (p == 0) {
                    s.text(left - 8, top + i * ch + 12, "atom " + i, 10, "end");
                }
            }
        }
        s.text(left, top + Geometry.ATOMS * ch + 20, "Each row: 256 threads × 8 elements (32 thread groups drawn as columns); the same "
                + "ownership repeats in every tile.", 11, "start");
        s.text(left, top + Geometry.ATOMS * ch + 38, "Element of (tile b, atom i, thread t, slot j) = 16384·b + 2048·i + 8·t + j.", 11,
                "start");
        return s;
    }
}
