package dev.qrref.spec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Byte layout of one atom block of a codec on the wire (rules ENC-5, BUF-2): the planes of codes, one after another, then
 * the scale words. Atom {@code k} of a sender's sub-slot starts at {@code k × stride}. Everything is derived from the
 * codec's row ({@link QuantLevel}: its planes' bit widths), and the derived stride is checked against the literal
 * upstream hard-codes (4096, 2176, 1664, 1152, 896, 2176).
 *
 * @param level        the codec
 * @param codeBits     bits per element code (16 for the raw FP codec)
 * @param levels       {@code L}: integer codes span {@code [-L, L-1]} before the bias; 0 for FP and FP8
 * @param planes       the payload planes in order
 * @param scaleOffset  byte offset of the 32 scale words, or -1 for FP
 * @param stride       bytes of one atom block ({@code kRankTileStride})
 */
public record CodecLayout(QuantLevel level, int codeBits, int levels, List<Plane> planes, int scaleOffset, int stride) {

    /**
     * One payload plane: every thread stores {@code bytesPerThread} bytes at {@code offset + thread × bytesPerThread}.
     *
     * @param name        short name used in diagrams
     * @param bits        which bits of each code the plane holds, e.g. "3..0"
     * @param nontemporal whether the kernels access it with nontemporal loads and stores
     */
    public record Plane(String name, int offset, int bytesPerThread, String bits, boolean nontemporal) {
        public int size() {
            return bytesPerThread * Geometry.THREADS;
        }
    }

    private static final Map<QuantLevel, CodecLayout> LAYOUTS = new EnumMap<>(QuantLevel.class);

    static {
        for (QuantLevel q : QuantLevel.values()) {
            CodecLayout l = derive(q);
            // The stride upstream hard-codes (kRankTileStride): derived above, asserted here.
            if (l.stride != q.upstreamStride) {
                throw new AssertionError(q + ": the derived stride " + l.stride + " is not upstream's " + q.upstreamStride);
            }
            if (l.stride % Geometry.VECTOR_BYTES != 0) {
                throw new AssertionError(q + " stride is not 16-byte aligned");
            }
            LAYOUTS.put(q, l);
        }
    }

    private static CodecLayout derive(QuantLevel q) {
        List<Plane> planes = new ArrayList<>();
        int offset = 0;
        int totalBits = 0;
        for (QuantLevel.PlaneSpec p : q.planes) {
            // a thread's 8 elements carry p.bits() bits each: p.bits() bytes per thread
            int bytesPerThread = p.bits() * Geometry.VECTOR_ELEMENTS / Byte.SIZE;
            planes.add(new Plane(p.name(), offset, bytesPerThread, p.codeBits(), p.nontemporal()));
            offset += bytesPerThread * Geometry.THREADS;
            totalBits += p.bits();
        }
        if (totalBits != q.codeBits) {
            throw new AssertionError(q + ": planes hold " + totalBits + " bits per element, codes need " + q.codeBits);
        }
        int scaleOffset = q.quantized() ? offset : -1;
        int stride = q.quantized() ? offset + Geometry.SCALE_BYTES : offset;
        return new CodecLayout(q, q.codeBits, q.levels(), List.copyOf(planes), scaleOffset, stride);
    }

    public static CodecLayout of(QuantLevel level) {
        return LAYOUTS.get(level);
    }

    /** Bytes one sender writes per block iteration into one receiver's slot: {@code rankAtoms × stride}. */
    public int rankTransmittedTileBytes(int worldSize) {
        return Geometry.rankAtoms(worldSize) * stride;
    }

    /** Bytes of one block's slot (all senders): {@code 8 × stride}, independent of the world size. */
    public int transmittedTileBytes() {
        return Geometry.ATOMS * stride;
    }

    /** Compression ratio against raw 16-bit data: 4096 / stride (1, 1.882, 2.462, 3.556, 4.571, 1.882). */
    public double compression() {
        return (double) Geometry.ATOM_BYTES / stride;
    }

    /** Wire bytes per element, scales included: stride / 2048 (FP 2, INT8 1.0625, ..., INT3 0.4375). */
    public double wireBytesPerElement() {
        return (double) stride / Geometry.ATOM_ELEMENTS;
    }

    /** The largest stride of any codec: slots are sized for it. */
    public static int maxStride() {
        int max = 0;
        for (CodecLayout l : LAYOUTS.values()) {
            max = Math.max(max, l.stride);
        }
        return max;
    }

    static List<Constant> constants() {
        List<Constant> out = new ArrayList<>();
        String g = "codec layout";
        for (CodecLayout l : LAYOUTS.values()) {
            String p = l.level.cName();
            StringBuilder deriv = new StringBuilder();
            for (Plane pl : l.planes) {
                deriv.append(deriv.isEmpty() ? "" : " + ").append(pl.bytesPerThread()).append(" x 256");
            }
            if (l.level.quantized()) {
                deriv.append(" + 128 (scales)");
            }
            out.add(new Constant(p + "_STRIDE", l.stride, 32, l.stride + " bytes per atom block", deriv.toString(), g));
            for (int i = 1; i < l.planes.size(); i++) {
                Plane pl = l.planes.get(i);
                out.add(new Constant(p + "_PLANE" + i + "_OFFSET", pl.offset(), 32, pl.offset() + " bytes",
                        "after plane " + l.planes.get(i - 1).name(), g));
            }
            if (l.level.quantized()) {
                out.add(new Constant(p + "_SCALE_OFFSET", l.scaleOffset, 32, l.scaleOffset + " bytes", "end of the payload planes", g));
            }
            if (l.levels > 0) {
                out.add(new Constant(p + "_LEVELS", l.levels, 32, "L = " + l.levels, "codes -L..L-1 before the bias; 2^(bits-1)", g));
            }
        }
        out.add(new Constant("MAX_STRIDE", maxStride(), 32, maxStride() + " bytes", "largest codec stride: slots are sized for it", g));
        return out;
    }
}
