package dev.qrref.docs;

import dev.qrref.conformance.plot.Svg;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The communication buffer of one rank, from {@link BufferLayout}: a table of region offsets for every world size and
 * a drawing for the example W = 4 (regions, the flag words of a block, and the slots of a block for two codecs).
 */
final class BufferDiagram {
    private BufferDiagram() {
    }

    static final int EXAMPLE_W = 4;

    static void write(Out out) {
        List<List<String>> rows = new ArrayList<>();
        for (int w : Geometry.WORLD_SIZES) {
            BufferLayout l = BufferLayout.defaults(w);
            rows.add(List.of(Integer.toString(w), n(l.flagsOffset(Phase.ONE)), n(l.flagsOffset(Phase.TWO)), n(l.countersOffset()),
                    n(l.dataOffset()), n(l.phaseOffset(Phase.TWO)), n(l.phaseBytes()), n(l.totalBytes())));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Adoc.table("Region offsets of the default layout (grid cap " + Geometry.DEFAULT_MAX_BLOCKS
                        + " blocks, max problem size 2 GiB), from dev.qrref.spec.BufferLayout", "1,2,2,2,2,2,2,2",
                List.of("W", "Phase-1 flags", "Phase-2 flags", "Block counters", "Phase-1 data", "Phase-2 data", "Bytes per data phase",
                        "Total bytes"), rows));
        BufferLayout ex = BufferLayout.defaults(EXAMPLE_W);
        List<List<String>> slots = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            CodecLayout c = q.layout();
            slots.add(List.of(Adoc.mono(q.name()), n(c.stride()), n(c.rankTransmittedTileBytes(EXAMPLE_W)), n(c.transmittedTileBytes()),
                    Adoc.mono(n(ex.slotOffset(Phase.ONE, q, 1, 2))), Adoc.mono(n(ex.slotOffset(Phase.TWO, q, 1, 2)))));
        }
        sb.append(Adoc.table("Slot addressing for W = " + EXAMPLE_W + ": sub-slot of sender s for block B at phase base + B·8·stride + "
                        + "s·(8/W)·stride", "2,1,2,2,2,2",
                List.of("Codec", "Stride", "Sub-slot bytes (8/W atom blocks)", "Block pitch (8 atom blocks)",
                        "Phase-1 offset of block 1, sender 2", "Phase-2 offset of block 1, sender 2"), slots));
        List<List<String>> flags = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            for (int s = 0; s < EXAMPLE_W; s++) {
                flags.add(List.of(Integer.toString(b), Integer.toString(s), Adoc.mono(n(ex.flagOffset(Phase.ONE, b, s))),
                        Adoc.mono(n(ex.flagOffset(Phase.TWO, b, s)))));
            }
        }
        out.adoc("buffer-tables.adoc", sb.toString());
        out.adoc("buffer-flags-example.adoc", Adoc.table("Flag words of blocks 0 and 1 in a W = " + EXAMPLE_W + " buffer", "1,1,2,2",
                List.of("Block B", "Sender s", "Phase-1 flag at", "Phase-2 flag at"), flags));
        out.adoc("buffer-drawing.adoc", Adoc.image(out.svg("buffer-w" + EXAMPLE_W, draw(ex)), "Communication buffer of one rank, W = "
                + EXAMPLE_W, "layout"));
        out.adoc("buffer-attrs.adoc", Adoc.attr("buf-w", Integer.toString(EXAMPLE_W))
                + Adoc.attr("buf-data-offset", n(ex.dataOffset()))
                + Adoc.attr("buf-phase-bytes", n(ex.phaseBytes()))
                + Adoc.attr("buf-total", n(ex.totalBytes()))
                + Adoc.attr("buf-touched-blocks", n(ex.touchedBlocks()))
                + Adoc.attr("buf-flag-bytes", n(ex.flagBytes())));
    }

    static String n(long v) {
        return String.format("%,d", v);
    }

    static Svg draw(BufferLayout l) {
        int w = l.worldSize();
        double left = 20;
        double barW = 940;
        Svg s = new Svg(left * 2 + barW, 430, "communication buffer, W=" + w);
        s.text(left, 18, "One rank's communication buffer, W = " + w + ", grid cap " + l.maxBlocks() + ", max problem "
                + (l.maxProblemBytes() >> 20) + " MiB (regions not to scale; offsets in bytes)", 13, "start", Svg.SANS, "#222", true);
        String[] names = {"phase-1 flags", "phase-2 flags", "block counters", "pad", "phase-1 data", "phase-2 data"};
        long[] from = {l.flagsOffset(Phase.ONE), l.flagsOffset(Phase.TWO), l.countersOffset(),
                l.countersOffset() + 4L * l.maxBlocks(), l.phaseOffset(Phase.ONE), l.phaseOffset(Phase.TWO)};
        long[] to = {l.flagsOffset(Phase.TWO), l.countersOffset(), l.countersOffset() + 4L * l.maxBlocks(), l.dataOffset(),
                l.phaseOffset(Phase.TWO), l.totalBytes()};
        double[] weight = {2, 2, 1.4, to[3] > from[3] ? 0.5 : 0, 4, 4};
        double total = 0;
        for (double x : weight) {
            total += x;
        }
        double x = left;
        double y = 34;
        double h = 44;
        double[] xs = new double[names.length + 1];
        for (int i = 0; i < names.length; i++) {
            double bw = barW * weight[i] / total;
            xs[i] = x;
            if (bw == 0) {
                continue;
            }
            boolean empty = to[i] == from[i];
            s.rect(x, y, bw, h, i == 3 ? "#FFFFFF" : Svg.pale(i), "#444", names[i] + ": [" + n(from[i]) + ", " + n(to[i]) + ")");
            s.text(x + bw / 2, y + 18, empty ? "(none)" : names[i], 11, "middle");
            if (!empty) {
                s.text(x + bw / 2, y + 34, n(to[i] - from[i]) + " B", 10, "middle");
            }
            s.mono(x, y + h + 13, n(from[i]), 9.5, i == 0 ? "start" : "middle");
            x += bw;
        }
        xs[names.length] = x;
        s.mono(x, y + h + 13, n(l.totalBytes()), 9.5, "end");

        // zoom 1: flags of block B
        double zy = y + h + 50;
        s.text(left, zy, "Phase-1 flags: one uint32 per (block B, sender s) at (B·W + s)·4; phase 2 the same from "
                + n(l.flagsOffset(Phase.TWO)), 11.5, "start", Svg.SANS, "#222", true);
        double fw = 28;
        double fy = zy + 10;
        for (int b = 0; b < 3; b++) {
            for (int sd = 0; sd < w; sd++) {
                double fx = left + (b * w + sd) * fw + b * 8;
                s.rect(fx, fy, fw, 26, Svg.pale(sd), "#444", "block " + b + " sender " + sd + " at " + l.flagOffset(Phase.ONE, b, sd));
                s.mono(fx + fw / 2, fy + 17, "s" + sd, 10, "middle");
            }
            double bx = left + b * w * fw + b * 8;
            s.bracket(bx, bx + w * fw, fy + 34, "B=" + b + " @" + l.flagOffset(Phase.ONE, b, 0), 10);
        }
        s.text(left + 3 * w * fw + 40, fy + 17, "… up to B = " + (l.maxBlocks() - 1), 11, "start");
        s.dashed(xs[0], y + h, left, fy, "#999");
        s.dashed(xs[1], y + h, left + 3 * w * fw + 16, fy, "#999");

        // zoom 2: data slots of block B for two codecs
        double dy = fy + 80;
        int row = 0;
        for (QuantLevel q : new QuantLevel[]{QuantLevel.F16, QuantLevel.INT4}) {
            CodecLayout c = q.layout();
            double ry = dy + row * 95;
            s.text(left, ry, "Phase-1 data with " + q.name() + ": block B's slot is 8 atom blocks of " + c.stride()
                    + " bytes at " + n(l.phaseOffset(Phase.ONE)) + " + B·" + n(c.transmittedTileBytes()) + "; sender s writes "
                    + "8/W = " + Geometry.rankAtoms(w) + " of them at s·" + n(c.rankTransmittedTileBytes(w)), 11.5, "start", Svg.SANS,
                    "#222", true);
            double sy = ry + 10;
            double unit = 880.0 / (3 * c.transmittedTileBytes());
            for (int b = 0; b < 3; b++) {
                for (int sd = 0; sd < w; sd++) {
                    double sx = left + (b * c.transmittedTileBytes() + sd * (double) c.rankTransmittedTileBytes(w)) * unit;
                    double sw = c.rankTransmittedTileBytes(w) * unit;
                    long off = l.slotOffset(Phase.ONE, q, b, sd);
                    s.rect(sx, sy, sw, 26, Svg.pale(sd), "#444", "block " + b + " sender " + sd + " at " + n(off));
                    s.mono(sx + sw / 2, sy + 17, "s" + sd, 10, "middle");
                }
                double bx = left + b * c.transmittedTileBytes() * unit;
                s.bracket(bx, bx + c.transmittedTileBytes() * unit, sy + 34, "B=" + b + " @" + n(l.slotOffset(Phase.ONE, q, b, 0)), 10);
            }
            row++;
        }
        s.text(left, 420, "Slots are indexed by the physical block (blockIdx.x), so a block's grid-stride iterations reuse them; both "
                + "phase regions stay at fixed offsets whatever the call's size or codec.", 10.5, "start");
        return s;
    }
}
