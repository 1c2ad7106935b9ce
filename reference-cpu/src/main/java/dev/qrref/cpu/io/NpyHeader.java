package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header of a {@code .npy} file restricted to what QuickReduce exchanges: a 1-D array (C or Fortran order, the same
 * bytes in one dimension) of little-endian 2-byte elements ({@code <f2} = fp16, {@code <u2} = raw bf16 bits).
 *
 * <pre>
 * offset 0   6 bytes   magic "\x93NUMPY"
 *        6   1 byte    major version (1, 2 or 3)
 *        7   1 byte    minor version (0)
 *        8   2 bytes   header length, little-endian uint16 (version 1.0)  | 4 bytes uint32 (versions 2.0, 3.0)
 *       10|12          header: a Python dict literal {'descr': …, 'fortran_order': …, 'shape': (n,), }, as NumPy
 *                      writes it padded with spaces and ended by '\n' (latin-1 for 1.0/2.0, UTF-8 for 3.0)
 * dataOffset           n × 2 bytes of data (numpy.load ignores what follows)
 * </pre>
 *
 * @param major      format major version
 * @param minor      format minor version (always 0)
 * @param dtype      the element type the descr names
 * @param length     number of elements
 * @param dataOffset byte offset of the first element
 */
public record NpyHeader(int major, int minor, DType dtype, long length, long dataOffset) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Header blocks are padded so that the data starts on a multiple of this (NumPy's {@code ARRAY_ALIGN}). */
    static final int ALIGN = 64;
    /** numpy.load refuses longer headers unless told to trust the file (format._MAX_HEADER_SIZE). */
    static final int MAX_HEADER_CHARS = 10000;
    /** NumPy leaves room for the shape to grow to this many digits without rewriting the file. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final int ELEMENT_BYTES = 2;

    /** Bytes of data the header declares. */
    public long dataBytes() {
        return length * ELEMENT_BYTES;
    }

    /** Bytes before the header text: magic, version and the length field (10 for 1.0, 12 for 2.0 and 3.0). */
    static int prefixBytes(int major) {
        return MAGIC.length + 2 + (major == 1 ? 2 : 4);
    }

    /**
     * Parses the fixed prefix. {@code head} holds the first bytes of the file (up to 12, fewer if the file is shorter);
     * returns {major, minor, header length}.
     */
    static long[] parsePrefix(String source, ByteBuffer head, long fileSize) throws NpyFormatException {
        int have = head.remaining();
        for (int i = 0; i < MAGIC.length; i++) {
            if (i >= have) {
                throw new NpyFormatException(source, fileSize == 0 ? "file is empty (0 bytes), not a .npy file"
                        : "truncated header: the file ends after " + fileSize + " bytes, inside the magic string");
            }
            if (head.get(i) != MAGIC[i]) {
                throw new NpyFormatException(source, "not a .npy file: bad magic " + hexBytes(head, Math.min(have, MAGIC.length))
                        + " (expected 93 4E 55 4D 50 59 = \"\\x93NUMPY\")");
            }
        }
        if (have < MAGIC.length + 2) {
            throw new NpyFormatException(source, "truncated header: the file ends after " + fileSize + " bytes, before the version");
        }
        int major = head.get(6) & 0xFF;
        int minor = head.get(7) & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source, "unsupported .npy format version " + major + "." + minor
                    + " (this reader handles 1.0, 2.0 and 3.0)");
        }
        int prefix = prefixBytes(major);
        if (have < prefix) {
            throw new NpyFormatException(source, "truncated header: the file ends after " + fileSize
                    + " bytes, inside the header-length field");
        }
        long headerLength = major == 1 ? head.order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xFFFF
                : head.order(ByteOrder.LITTLE_ENDIAN).getInt(8) & 0xFFFFFFFFL;
        if (prefix + headerLength > fileSize) {
            throw new NpyFormatException(source, "truncated header: it declares " + headerLength + " bytes but the file ends "
                    + (fileSize - prefix) + " bytes after the length field");
        }
        return new long[]{major, minor, headerLength};
    }

    /**
     * Parses and validates the header text and the data size, as {@code numpy.load} does: the text as a Python literal
     * (NumPy's filter for Python 2 longs first, for versions 1.0 and 2.0), exactly the keys 'descr', 'fortran_order' and
     * 'shape', a tuple of integers, a bool, a dtype {@link NpyDescr} accepts, one dimension, and enough data for it.
     * Bytes after the data are ignored (numpy.load reads only what the header declares); a negative length means "as
     * many elements as the data holds", as NumPy reads it.
     */
    static NpyHeader parse(String source, int major, int minor, byte[] headerBytes, long fileSize) throws NpyFormatException {
        String text = decode(source, major, headerBytes);
        int chars = text.codePointCount(0, text.length());
        if (chars > MAX_HEADER_CHARS) {
            throw new NpyFormatException(source, "malformed header: it is " + chars + " characters long, more than the "
                    + MAX_HEADER_CHARS + " that numpy.load reads");
        }
        Object parsed;
        try {
            parsed = PyLiteral.literalEval(text, major < 3);
        } catch (PyLiteral.SyntaxError e) {
            throw new NpyFormatException(source, "malformed header: " + e.getMessage());
        }
        if (!(parsed instanceof PyLiteral.PyDict dict)) {
            throw new NpyFormatException(source, "malformed header: it is " + shortRepr(parsed) + ", not a dict");
        }
        Set<String> found = new TreeSet<>();
        List<String> extra = new ArrayList<>();
        for (Object k : dict.keyList()) {
            if (k instanceof String ks && KEYS.contains(ks)) {
                found.add(ks);
            } else {
                extra.add(PyLiteral.repr(k));
            }
        }
        Set<String> missing = new TreeSet<>(KEYS);
        missing.removeAll(found);
        if (!missing.isEmpty()) {
            throw new NpyFormatException(source, "malformed header: missing key(s) " + quoted(missing)
                    + " (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
        if (!extra.isEmpty()) {
            throw new NpyFormatException(source, "malformed header: unexpected key(s) " + String.join(", ", extra)
                    + " (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
        Object shape = dict.get("shape");
        if (!(shape instanceof PyLiteral.PyTuple t) || !t.items().stream().allMatch(x -> x instanceof Long
                || x instanceof BigInteger || x instanceof Boolean)) {
            throw new NpyFormatException(source, "malformed header: 'shape' is " + shortRepr(shape) + ", expected a tuple of integers");
        }
        if (!(dict.get("fortran_order") instanceof Boolean)) {
            throw new NpyFormatException(source, "malformed header: 'fortran_order' is " + shortRepr(dict.get("fortran_order"))
                    + ", expected True or False");
        }
        Object descr = dict.get("descr");
        NpyDescr.Result type;
        try {
            type = NpyDescr.of(descr);
        } catch (NpyDescr.Refused e) {
            throw new NpyFormatException(source, "unsupported dtype " + shortRepr(descr)
                    + ": only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)");
        }
        for (Object x : t.items()) {
            if (x instanceof Boolean) {
                throw new NpyFormatException(source, "malformed header: 'shape' " + shortRepr(t) + " holds a bool, which numpy.load "
                        + "cannot read as a length");
            }
            if (x instanceof BigInteger) {
                throw new NpyFormatException(source, "malformed header: shape " + shortRepr(t) + " is too large");
            }
        }
        if (t.items().size() != 1) {
            throw new NpyFormatException(source, "shape " + shortRepr(t) + " is not 1-D: only 1-D arrays are accepted");
        }
        long declared = (Long) t.items().getFirst();
        long dataOffset = prefixBytes(major) + (long) headerBytes.length;
        long available = fileSize - dataOffset;
        long length = length(source, declared, type.elementsPerItem(), available);
        return new NpyHeader(major, minor, type.dtype(), length, dataOffset);
    }

    /**
     * The element count numpy.load ends up with: it reads {@code declared} items of {@code perItem} elements (all the
     * items there are when {@code declared} is negative) and gives them the shape {@code (declared,)}.
     */
    private static long length(String source, long declared, long perItem, long availableBytes) throws NpyFormatException {
        if (perItem == 0) {
            if (declared == 0) {
                return 0;
            }
            throw new NpyFormatException(source, "unsupported dtype: its items hold no elements, so " + declared
                    + " elements cannot be read");
        }
        long itemBytes = perItem * ELEMENT_BYTES;
        long items = availableBytes / itemBytes;
        if (declared < 0) {
            return items * perItem;
        }
        long read = Math.min(declared, items);
        if (read * perItem != declared) {
            long wanted = Math.multiplyHigh(declared, ELEMENT_BYTES) != 0 ? Long.MAX_VALUE : declared * ELEMENT_BYTES;
            throw new NpyFormatException(source, perItem == 1
                    ? "truncated data: the header declares " + declared + " elements (" + wanted + " bytes) but only "
                            + availableBytes + " bytes follow the header"
                    : "the header declares " + declared + " elements in items of " + perItem + ", which numpy.load cannot "
                            + "shape as " + declared + " elements");
        }
        return declared;
    }

    /** A value quoted back in a message, shortened: a header can hold 10000 characters. */
    private static String shortRepr(Object v) {
        String r = PyLiteral.repr(v);
        return r.length() > 80 ? r.substring(0, 77) + "..." : r;
    }

    private static String decode(String source, int major, byte[] bytes) throws NpyFormatException {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(source, "malformed header: a version 3.0 header must be UTF-8");
        }
    }

    private static String quoted(Set<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add(PyLiteral.repr(k));
        }
        return String.join(", ", out);
    }

    private static String hexBytes(ByteBuffer b, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02X", b.get(i) & 0xFF));
        }
        return s.toString();
    }

    /**
     * The complete header block (prefix, dict, padding, newline) for {@code length} elements of {@code dtype}, byte for
     * byte as NumPy's {@code np.save} writes it: version 1.0, or 2.0 if the header would not fit a uint16.
     */
    public static byte[] encode(DType dtype, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        String shape = "(" + length + ",)";
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(dtype.npyDescr).append("', 'fortran_order': False, 'shape': ")
                .append(shape).append(", }");
        dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(length).length())));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int major = 1; major <= 2; major++) {
            int prefix = prefixBytes(major);
            int withNewline = text.length + 1;
            // NumPy pads with 1..64 spaces so that the data starts on a 64-byte boundary
            int pad = ALIGN - (prefix + withNewline) % ALIGN;
            long headerLength = (long) withNewline + pad;
            if (major == 1 && headerLength > 0xFFFF) {
                continue;
            }
            ByteBuffer out = ByteBuffer.allocate((int) (prefix + headerLength)).order(ByteOrder.LITTLE_ENDIAN);
            out.put(MAGIC).put((byte) major).put((byte) 0);
            if (major == 1) {
                out.putShort((short) headerLength);
            } else {
                out.putInt((int) headerLength);
            }
            out.put(text);
            for (int i = 0; i < pad; i++) {
                out.put((byte) ' ');
            }
            out.put((byte) '\n');
            return out.array();
        }
        throw new AssertionError("a 1-D header always fits version 2.0");
    }
}
