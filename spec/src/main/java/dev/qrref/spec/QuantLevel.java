package dev.qrref.spec;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The codecs, one row each: the one table every other list of codecs is generated or derived from (the C header's
 * {@code QR_LIST_CODECS}, the layouts, the arithmetic constants, the command line's names, the conformance matrix).
 *
 * <p>{@link #code} is the project's own ABI number. It follows the seed's {@code QuickReduceQuantLevel} (F16=0, INT8=1,
 * INT6=2, INT4=3) and vLLM's INT3=4; FP8, which aiter puts in slot 1, is 5 here. {@link Lineage} maps every upstream
 * lineage's level numbers onto these rows.
 *
 * <p>Adding a codec: one row here (its literals are checked against their derivation), its CPU codec class, its kernel
 * codec header, and one line in each codec registry; {@code docs/.../how-to-extend.adoc} lists the files.
 */
public enum QuantLevel {
    /** No quantization: raw 16-bit vectors on the wire. */
    F16(0, "fp", Kind.RAW, "Fp", 16, planes(plane("raw", 16, "15..0", true)), null, 0, 0, 4096,
            "raw 16-bit vectors, nothing quantized"),
    /** 8-bit codes, groups of 32, one 16-bit scale each. */
    INT8(1, "int8", Kind.INTEGER, "Int8", 8, planes(plane("codes", 8, "7..0", true)), Fp16Decode.MAGIC_1024, 0xA000, 0xBC00, 2176,
            "8-bit codes in [-128, 127], bytes c0 c2 c1 c3 | c4 c6 c5 c7"),
    /** 6-bit codes split into a nibble plane and a 2-bit plane. */
    INT6(2, "int6", Kind.INTEGER, "Int6", 6, planes(plane("nibbles", 4, "3..0", true), plane("high2", 2, "5..4", true)),
            Fp16Decode.MAGIC_1024, 0xA800, 0xBD00, 1664, "6-bit codes in [-32, 31]: a nibble plane and a 2-bit plane"),
    /** 4-bit codes. */
    INT4(3, "int4", Kind.INTEGER, "Int4", 4, planes(plane("nibbles", 4, "3..0", true)), Fp16Decode.MAGIC_1024, 0xB000, 0xBE00, 1152,
            "4-bit codes in [-8, 7], nibbles c0 c2 c4 c6 c1 c3 c5 c7"),
    /**
     * 3-bit codes (vLLM #45666, aiter #3899): a 2-bit plane and a 1-bit plane; the 1-byte high-bit plane is accessed with
     * plain (not nontemporal) loads and stores upstream. Decoded through an exact int to T conversion plus RMIN.
     */
    INT3(4, "int3", Kind.INTEGER, "Int3", 3, planes(plane("low2", 2, "1..0", true), plane("high1", 1, "2", false)),
            Fp16Decode.INT_TO_HALF, 0xB400, 0xBE80, 896, "3-bit codes in [-4, 3]: a 2-bit plane and a 1-bit plane"),
    /**
     * 8-bit floating-point codes (mk1 profile 2, aiter level 1): abs-max scale, no clamp, e4m3 conversion in the format
     * the numerics profile names ({@link Profile#fp8Format()}).
     */
    FP8(5, "fp8", Kind.FP8, "Fp8", 8, planes(plane("codes", 8, "7..0", true)), null, 0x1C44, 0x3B88, 2176,
            "8-bit e4m3 codes (format per profile), scale absmax/240");

    /** How a codec turns a group into codes. */
    public enum Kind {
        /** no quantization */
        RAW(0),
        /** uniform integer codes: signed absmax, negative scale -1/L, clamp, rint, bias L (dossier §4.1) */
        INTEGER(1),
        /** e4m3 codes: absmax, positive scale 1/240, no clamp, conversion to fp8 (dossier §4.6) */
        FP8(2);

        /** The integer the generated C lists use. */
        public final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    /** How an integer codec forms {@code code - L} exactly in fp16 before multiplying by d (rule DEC-1). */
    public enum Fp16Decode {
        /** OR the code into the fraction of 1024.0 ({@code 0x6400}) and add {@code -(1024 + L)} (INT8, INT6, INT4) */
        MAGIC_1024,
        /** convert the code exactly to fp16 ({@code __int2half_rn}) and add RMIN = {@code -L} (INT3) */
        INT_TO_HALF
    }

    /**
     * One payload plane of the atom block: every thread stores {@code bits} bytes (its 8 elements' {@code bits} bits
     * each) at {@code offset + thread × bits}.
     *
     * @param name        short name used in diagrams
     * @param bits        bits of each element's code that this plane holds
     * @param codeBits    which bits of each code the plane holds, e.g. "3..0"
     * @param nontemporal whether the kernels access the plane with nontemporal loads and stores
     */
    public record PlaneSpec(String name, int bits, String codeBits, boolean nontemporal) {
    }

    /** The integer the C ABI uses. */
    public final int code;
    private final String cliName;
    /** How groups become codes. */
    public final Kind kind;
    /** Suffix of the kernel codec template, {@code Codec<kernelName>} in {@code kernels/src/codec_*.cuh}. */
    public final String kernelName;
    /** Bits per element on the wire (16 for the raw FP codec). */
    public final int codeBits;
    final List<PlaneSpec> planes;
    /** Integer codecs: how the fp16 decode forms {@code code - L}; null otherwise. */
    public final Fp16Decode fp16Decode;
    /** SF in fp16 and bf16 (0 for FP): the upstream literals, checked against their derivation by the tests. */
    final int scaleFactorFp16;
    final int scaleFactorBf16;
    /** The stride upstream hard-codes ({@code kRankTileStride}): the derived layout must equal it. */
    final int upstreamStride;
    /** One line for tables and help texts. */
    public final String summary;

    QuantLevel(int code, String cliName, Kind kind, String kernelName, int codeBits, List<PlaneSpec> planes, Fp16Decode fp16Decode, int sfFp16,
               int sfBf16, int upstreamStride, String summary) {
        this.code = code;
        this.cliName = cliName;
        this.kind = kind;
        this.kernelName = kernelName;
        this.codeBits = codeBits;
        this.planes = planes;
        this.fp16Decode = fp16Decode;
        this.scaleFactorFp16 = sfFp16;
        this.scaleFactorBf16 = sfBf16;
        this.upstreamStride = upstreamStride;
        this.summary = summary;
    }

    private static PlaneSpec plane(String name, int bits, String codeBits, boolean nontemporal) {
        return new PlaneSpec(name, bits, codeBits, nontemporal);
    }

    private static List<PlaneSpec> planes(PlaneSpec... p) {
        return List.of(p);
    }

    /** Lower-case name used on the command line and in reports ({@code fp}, {@code int8}, …). */
    public String cliName() {
        return cliName;
    }

    /** The name in upper case as it appears in C identifiers ({@code INT4}; {@code FP} for the raw codec). */
    public String cName() {
        return this == F16 ? "FP" : name();
    }

    /** The atom-block layout of this codec. */
    public CodecLayout layout() {
        return CodecLayout.of(this);
    }

    public boolean quantized() {
        return kind != Kind.RAW;
    }

    /** {@code L} of an integer codec ({@code 2^(bits-1)}: codes span {@code [-L, L-1]}); 0 otherwise. */
    public int levels() {
        return kind == Kind.INTEGER ? 1 << (codeBits - 1) : 0;
    }

    /** The payload planes in order. */
    public List<PlaneSpec> planeSpecs() {
        return planes;
    }

    public static QuantLevel fromCode(int code) {
        for (QuantLevel q : values()) {
            if (q.code == code) {
                return q;
            }
        }
        throw new InvalidArgumentException("unknown quant level " + code + " (expected one of " + expectedCodes() + ")");
    }

    /** {@code 0 = fp, 1 = int8, ...}: the list an error message offers. */
    public static String expectedCodes() {
        return Arrays.stream(values()).map(q -> q.code + " = " + q.cliName).collect(Collectors.joining(", "));
    }

    public static QuantLevel fromName(String name) {
        return Names.lookup(values(), name, "codec", QuantLevel::cliName);
    }

    /** Every codec name, comma-separated: for help texts. */
    public static String names() {
        return Arrays.stream(values()).map(QuantLevel::cliName).collect(Collectors.joining(", "));
    }
}
