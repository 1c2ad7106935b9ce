package dev.qrref.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Byte layout of one atom block of a codec on the wire (rules ENC-5, BUF-2): the planes of codes, one after another, then
 * the scale words. Atom {@code k} of a sender's sub-slot starts at {@code k × stride}. Offsets and strides are derived
 * from the code width and checked against the upstream literals (4096, 2176, 1664, 1152).
 *
 * @param level        the codec
 * @param codeBits     bits per element code (16 for the raw FP codec)
 * @param levels       {@code L}: codes span {@code [-L, L-1]} before the bias; 0 for FP
 * @param planes       the payload planes in order
 * @param scaleOffset  byte offset of the 32 scale words, or -1 for FP
 * @param stride       bytes of one atom block ({@code kRankTileStride})
 */
public record CodecLayout(QuantLevel level, int codeBits, int levels, List<Plane> planes, int scaleOffset, int stride) {

    /**
     * One payload plane: every thread stores {@code bytesPerThread} bytes at {@code offset + thread × bytesPerThread}.
     *
     * @param name  short name used in diagrams
     * @param bits  which bits of each code the plane holds, e.g. "3..0"
     */
    public record Plane(String name, int offset, int bytesPerThread, String bits) {
        public int size() {
            return bytesPerThread * Geometry.THREADS;
        }
    }

    private static final CodecLayout FP = derive(QuantLevel.F16, 16, 0, new String[]{"raw"}, new int[]{16}, new String[]{"15..0"});
    private static final CodecLayout INT8 = derive(QuantLevel.INT8, 8, 128, new String[]{"codes"}, new int[]{8}, new String[]{"7..0"});
    private static final CodecLayout INT6 = derive(QuantLevel.INT6, 6, 32, new String[]{"nibbles", "high2"}, new int[]{4, 2},
            new String[]{"3..0", "5..4"});
    private static final CodecLayout INT4 = derive(QuantLevel.INT4, 4, 8, new String[]{"nibbles"}, new int[]{4}, new String[]{"3..0"});

    static {
        // The strides upstream hard-codes (kRankTileStride); derived above, asserted here.
        check(FP.stride == 4096 && INT8.stride == 2176 && INT6.stride == 1664 && INT4.stride == 1152, "strides");
        check(INT8.scaleOffset == 2048 && INT6.scaleOffset == 1536 && INT4.scaleOffset == 1024, "scale offsets");
        check(INT6.planes.get(1).offset() == 1024, "INT6 high-bit plane offset");
        for (CodecLayout l : List.of(FP, INT8, INT6, INT4)) {
            check(l.stride % Geometry.VECTOR_BYTES == 0, l.level + " stride is not 16-byte aligned");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError("codec layout: " + what + " do not derive to the upstream values");
        }
    }

    private static CodecLayout derive(QuantLevel level, int codeBits, int levels, String[] names, int[] bytesPerThread, String[] bits) {
        List<Plane> planes = new ArrayList<>();
        int offset = 0;
        int totalBits = 0;
        for (int i = 0; i < names.length; i++) {
            planes.add(new Plane(names[i], offset, bytesPerThread[i], bits[i]));
            offset += bytesPerThread[i] * Geometry.THREADS;
            totalBits += bytesPerThread[i] * 8;
        }
        if (totalBits != codeBits * Geometry.VECTOR_ELEMENTS) {
            throw new AssertionError(level + ": planes hold " + totalBits + " bits per thread, codes need " + codeBits * 8);
        }
        boolean quantized = level.quantized();
        int scaleOffset = quantized ? offset : -1;
        int stride = quantized ? offset + Geometry.SCALE_BYTES : offset;
        return new CodecLayout(level, codeBits, levels, List.copyOf(planes), scaleOffset, stride);
    }

    public static CodecLayout of(QuantLevel level) {
        return switch (level) {
            case F16 -> FP;
            case INT8 -> INT8;
            case INT6 -> INT6;
            case INT4 -> INT4;
        };
    }

    /** Bytes one sender writes per block iteration into one receiver's slot: {@code rankAtoms × stride}. */
    public int rankTransmittedTileBytes(int worldSize) {
        return Geometry.rankAtoms(worldSize) * stride;
    }

    /** Bytes of one block's slot (all senders): {@code 8 × stride}, independent of the world size. */
    public int transmittedTileBytes() {
        return Geometry.ATOMS * stride;
    }

    /** Compression ratio against raw 16-bit data: 4096 / stride (1, 1.882, 2.462, 3.556). */
    public double compression() {
        return (double) Geometry.ATOM_BYTES / stride;
    }

    /** The largest stride of any codec: slots are sized for it. */
    public static int maxStride() {
        return FP.stride;
    }

    static List<Constant> constants() {
        List<Constant> out = new ArrayList<>();
        String g = "codec layout";
        for (CodecLayout l : List.of(FP, INT8, INT6, INT4)) {
            String p = l.level == QuantLevel.F16 ? "FP" : l.level.name();
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
                out.add(new Constant(p + "_LEVELS", l.levels, 32, "L = " + l.levels, "codes -L..L-1 before the bias; 2^(bits-1)", g));
            }
        }
        return out;
    }
}
