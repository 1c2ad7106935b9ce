package dev.qrref.cpu.io;

import dev.qrref.spec.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header of a {@code .npy} file restricted to what QuickReduce exchanges: a 1-D, C-order array of little-endian
 * 2-byte elements ({@code <f2} = fp16, {@code <u2} = raw bf16 bits).
 *
 * <pre>
 * offset 0   6 bytes   magic "\x93NUMPY"
 *        6   1 byte    major version (1, 2 or 3)
 *        7   1 byte    minor version (0)
 *        8   2 bytes   header length, little-endian uint16 (version 1.0)  | 4 bytes uint32 (versions 2.0, 3.0)
 *       10|12          header: a Python dict literal {'descr': …, 'fortran_order': …, 'shape': (n,), }, padded with
 *                      spaces and ended by '\n' (latin-1 for 1.0/2.0, UTF-8 for 3.0)
 * dataOffset           n × 2 bytes of data, nothing after it
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

    /** The dtype a {@code descr} names, or a message explaining why it is not accepted. */
    static DType dtypeOf(String source, Object descr) throws NpyFormatException {
        if (descr instanceof String s) {
            for (DType d : DType.values()) {
                if (d.npyDescr.equals(s)) {
                    return d;
                }
            }
        }
        throw new NpyFormatException(source, "unsupported dtype " + PyLiteral.repr(descr)
                + ": only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)");
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

    /** Parses and validates the header text and the data size. */
    static NpyHeader parse(String source, int major, int minor, byte[] headerBytes, long fileSize) throws NpyFormatException {
        String text = decode(source, major, headerBytes);
        if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
            throw new NpyFormatException(source, "malformed header: it does not end with a newline");
        }
        String body = text.substring(0, text.length() - 1);
        Map<String, Object> dict;
        try {
            dict = PyLiteral.parseDict(body);
        } catch (PyLiteral.SyntaxError e) {
            throw new NpyFormatException(source, "malformed header: " + e.getMessage());
        }
        Set<String> missing = new TreeSet<>(KEYS);
        missing.removeAll(dict.keySet());
        if (!missing.isEmpty()) {
            throw new NpyFormatException(source, "malformed header: missing key(s) " + quoted(missing)
                    + " (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
        Set<String> extra = new TreeSet<>(dict.keySet());
        extra.removeAll(KEYS);
        if (!extra.isEmpty()) {
            throw new NpyFormatException(source, "malformed header: unexpected key(s) " + quoted(extra)
                    + " (a .npy header has exactly 'descr', 'fortran_order' and 'shape')");
        }
        DType dtype = dtypeOf(source, dict.get("descr"));
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean f)) {
            throw new NpyFormatException(source, "malformed header: 'fortran_order' is " + PyLiteral.repr(fortran)
                    + ", expected True or False");
        }
        if (f) {
            throw new NpyFormatException(source, "fortran_order is True: only C-order arrays are accepted");
        }
        long length = length(source, dict.get("shape"));
        long dataOffset = prefixBytes(major) + (long) headerBytes.length;
        long available = fileSize - dataOffset;
        long declared = length * ELEMENT_BYTES;
        if (available < declared) {
            throw new NpyFormatException(source, "truncated data: the header declares " + length + " elements (" + declared
                    + " bytes) but only " + available + " bytes follow the header");
        }
        if (available > declared) {
            throw new NpyFormatException(source, "trailing garbage: " + (available - declared) + " bytes follow the "
                    + length + " declared elements (" + declared + " bytes)");
        }
        return new NpyHeader(major, minor, dtype, length, dataOffset);
    }

    private static long length(String source, Object shape) throws NpyFormatException {
        if (!(shape instanceof PyLiteral.PyTuple t)) {
            throw new NpyFormatException(source, "malformed header: 'shape' is " + PyLiteral.repr(shape) + ", expected a tuple");
        }
        for (Object item : t.items()) {
            if (!(item instanceof Long v) || v < 0) {
                throw new NpyFormatException(source, "malformed header: 'shape' " + t
                        + " must hold non-negative integers");
            }
        }
        if (t.items().size() != 1) {
            throw new NpyFormatException(source, "shape " + t + " is not 1-D: only 1-D arrays are accepted");
        }
        long n = (Long) t.items().getFirst();
        if (n > Long.MAX_VALUE / ELEMENT_BYTES) {
            throw new NpyFormatException(source, "malformed header: shape " + t + " is too large");
        }
        return n;
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
