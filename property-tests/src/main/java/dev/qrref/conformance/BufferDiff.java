package dev.qrref.conformance;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Fp8Format;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.Arrays;

/**
 * Compares communication buffers after one call on fresh buffers. Flags, counters and integer codes must match byte for
 * byte; the 16-bit floating-point fields (the FP codec's payload, the two halves of every scale word) and the FP8 codec's
 * code bytes (in the profile's e4m3 format) are compared with NaN as a class. Which bytes hold which field follows from the layout: block {@code B < grid} wrote its slots with the
 * call's codec; everything else must still be zero on both sides.
 *
 * @param rank   first rank with a difference, or -1
 * @param offset byte offset of the first difference
 * @param region which region it sits in, in words
 * @param wrong  number of differing bytes over all ranks
 */
public record BufferDiff(int rank, long offset, String region, long wrong) {

    public boolean ok() {
        return wrong == 0;
    }

    public static BufferDiff compare(CaseSpec spec, BufferLayout layout, byte[][] got, byte[][] want) {
        Format16 f = spec.path().compute;
        Fp8Format f8 = spec.profile().fp8Format();
        boolean[] floatField = floatFields(spec, layout);
        boolean[] fp8Byte = fp8Bytes(spec, layout);
        int firstRank = -1;
        long firstOffset = -1;
        long wrong = 0;
        for (int r = 0; r < got.length; r++) {
            byte[] a = got[r];
            byte[] b = want[r];
            if (a.length != b.length) {
                return new BufferDiff(r, Math.min(a.length, b.length), "size " + a.length + " vs " + b.length, 1);
            }
            int i = Arrays.mismatch(a, b);
            while (i >= 0) {
                int word = i & ~1;
                boolean nanClass = floatField[word / 2] && f.isNaN(u16(a, word)) && f.isNaN(u16(b, word))
                        || fp8Byte != null && fp8Byte[i] && f8.isNaN(a[i]) && f8.isNaN(b[i]);
                if (!nanClass) {
                    if (firstRank < 0) {
                        firstRank = r;
                        firstOffset = i;
                    }
                    wrong++;
                }
                int next = i + 1;
                if (next >= a.length) {
                    break;
                }
                int m = Arrays.mismatch(a, next, a.length, b, next, b.length);
                i = m < 0 ? -1 : next + m;
            }
        }
        return new BufferDiff(firstRank, firstOffset, firstRank < 0 ? "" : describe(layout, firstOffset, spec.level()), wrong);
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    /** Marks, per 16-bit word of the buffer, whether it holds a floating-point field written by this call. */
    private static boolean[] floatFields(CaseSpec spec, BufferLayout layout) {
        boolean[] fl = new boolean[(int) (layout.totalBytes() / 2)];
        QuantLevel q = spec.level();
        CodecLayout cl = q.layout();
        int grid = Geometry.grid(Geometry.numTiles(spec.n()), layout.maxBlocks());
        int ra = Geometry.rankAtoms(layout.worldSize());
        for (Phase p : Phase.values()) {
            for (int block = 0; block < grid; block++) {
                for (int s = 0; s < layout.worldSize(); s++) {
                    long slot = layout.slotOffset(p, q, block, s);
                    for (int k = 0; k < ra; k++) {
                        long atom = slot + (long) k * cl.stride();
                        if (!q.quantized()) {
                            Arrays.fill(fl, (int) (atom / 2), (int) ((atom + cl.stride()) / 2), true);
                        } else {
                            long scales = atom + cl.scaleOffset();
                            Arrays.fill(fl, (int) (scales / 2), (int) ((scales + Geometry.SCALE_BYTES) / 2), true);
                        }
                    }
                }
            }
        }
        return fl;
    }

    /** Marks the FP8 code bytes this call wrote (null for the other codecs). */
    private static boolean[] fp8Bytes(CaseSpec spec, BufferLayout layout) {
        QuantLevel q = spec.level();
        if (q.kind != QuantLevel.Kind.FP8) {
            return null;
        }
        boolean[] b = new boolean[(int) layout.totalBytes()];
        CodecLayout cl = q.layout();
        int grid = Geometry.grid(Geometry.numTiles(spec.n()), layout.maxBlocks());
        int ra = Geometry.rankAtoms(layout.worldSize());
        for (Phase p : Phase.values()) {
            for (int block = 0; block < grid; block++) {
                for (int s = 0; s < layout.worldSize(); s++) {
                    long slot = layout.slotOffset(p, q, block, s);
                    for (int k = 0; k < ra; k++) {
                        long atom = slot + (long) k * cl.stride();
                        Arrays.fill(b, (int) atom, (int) (atom + cl.scaleOffset()), true);
                    }
                }
            }
        }
        return b;
    }

    /** Names the region of a byte offset, e.g. "phase-1 data block 3 sender 1 atom 0 +136". */
    public static String describe(BufferLayout l, long off, QuantLevel q) {
        if (off < l.flagsOffset(Phase.TWO)) {
            long i = off / 4;
            return "phase-1 flag block " + i / l.worldSize() + " sender " + i % l.worldSize();
        }
        if (off < l.countersOffset()) {
            long i = (off - l.flagsOffset(Phase.TWO)) / 4;
            return "phase-2 flag block " + i / l.worldSize() + " sender " + i % l.worldSize();
        }
        if (off < l.dataOffset()) {
            return "block counter " + (off - l.countersOffset()) / 4;
        }
        Phase p = off < l.phaseOffset(Phase.TWO) ? Phase.ONE : Phase.TWO;
        long in = off - l.phaseOffset(p);
        CodecLayout cl = q.layout();
        long block = in / cl.transmittedTileBytes();
        long inBlock = in % cl.transmittedTileBytes();
        int rtt = cl.rankTransmittedTileBytes(l.worldSize());
        long sender = inBlock / rtt;
        long atom = inBlock % rtt / cl.stride();
        long inAtom = inBlock % rtt % cl.stride();
        String field = !q.quantized() ? "raw" : inAtom >= cl.scaleOffset() ? "scale word " + (inAtom - cl.scaleOffset()) / 4 : "codes";
        return "phase-" + (p == Phase.ONE ? 1 : 2) + " data block " + block + " sender " + sender + " atom " + atom + " +" + inAtom
                + " (" + field + ", " + q.cliName() + " layout)";
    }
}
