package dev.qrref.cpu.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a file can be malformed ends in one exception whose message names the file and the one problem. */
class NpyMalformedTest {
    static final String GOOD = "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }";

    @TempDir
    Path tmp;

    /** A file with the given header dict (padded as NumPy does), version and number of data bytes. */
    static byte[] npy(int major, int minor, String dict, int dataBytes) {
        byte[] text = (dict + " ".repeat(16) + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return npyRaw(major, minor, text, dataBytes);
    }

    static byte[] npyRaw(int major, int minor, byte[] headerText, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(12 + headerText.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeader.MAGIC).put((byte) major).put((byte) minor);
        if (major == 1) {
            b.putShort((short) headerText.length);
        } else {
            b.putInt(headerText.length);
        }
        b.put(headerText);
        b.position(b.position() + dataBytes);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private String problem(byte[] content) throws IOException {
        Path p = tmp.resolve("bad.npy");
        Files.write(p, content);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.map(p, Arena.ofAuto()));
        assertEquals(p.toString() + ": " + e.problem(), e.getMessage(), "the message starts with the file name");
        return e.problem();
    }

    private static void assertStarts(String prefix, String actual) {
        assertTrue(actual.startsWith(prefix), "expected a message starting with <" + prefix + "> but got <" + actual + ">");
    }

    private static byte[] prefix(byte[] all, int length) {
        byte[] out = new byte[length];
        System.arraycopy(all, 0, out, 0, length);
        return out;
    }

    @Test
    void acceptsTheBaseCase() throws IOException {
        Path p = tmp.resolve("good.npy");
        Files.write(p, npy(1, 0, GOOD, 8));
        assertEquals(4, NpyReader.readHeader(p).length());
    }

    @Test
    void acceptsDoubleQuotesPython2LongsAndAnyKeyOrder() throws IOException {
        Path p = tmp.resolve("py2.npy");
        Files.write(p, npy(1, 0, "{\"shape\": (4L,), \"fortran_order\": False, \"descr\": \"<u2\"}", 8));
        NpyHeader h = NpyReader.readHeader(p);
        assertEquals(4, h.length());
        assertEquals(DType.BF16, h.dtype());
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals("file is empty (0 bytes), not a .npy file", problem(new byte[0]));
    }

    @Test
    void badMagic() throws IOException {
        byte[] zip = {0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00};
        assertEquals("not a .npy file: bad magic 50 4B 03 04 14 00 (expected 93 4E 55 4D 50 59 = \"\\x93NUMPY\")", problem(zip));
        assertTrue(problem("hello".getBytes(StandardCharsets.US_ASCII)).startsWith("not a .npy file: bad magic 68 65 6C 6C 6F"));
    }

    @Test
    void truncatedInsideTheMagic() throws IOException {
        assertEquals("truncated header: the file ends after 3 bytes, inside the magic string",
                problem(prefix(npy(1, 0, GOOD, 8), 3)));
    }

    @Test
    void truncatedBeforeTheVersion() throws IOException {
        assertEquals("truncated header: the file ends after 7 bytes, before the version", problem(prefix(npy(1, 0, GOOD, 8), 7)));
    }

    @Test
    void unsupportedVersions() throws IOException {
        assertEquals("unsupported .npy format version 4.0 (this reader handles 1.0, 2.0 and 3.0)", problem(npy(4, 0, GOOD, 8)));
        assertEquals("unsupported .npy format version 1.1 (this reader handles 1.0, 2.0 and 3.0)", problem(npy(1, 1, GOOD, 8)));
        assertEquals("unsupported .npy format version 0.0 (this reader handles 1.0, 2.0 and 3.0)", problem(npy(0, 0, GOOD, 8)));
    }

    @Test
    void truncatedInsideTheLengthField() throws IOException {
        assertEquals("truncated header: the file ends after 9 bytes, inside the header-length field",
                problem(prefix(npy(1, 0, GOOD, 8), 9)));
        assertEquals("truncated header: the file ends after 11 bytes, inside the header-length field",
                problem(prefix(npy(2, 0, GOOD, 8), 11)));
    }

    @Test
    void truncatedHeaderText() throws IOException {
        byte[] full = npy(1, 0, GOOD, 0);
        assertEquals("truncated header: it declares " + (full.length - 10) + " bytes but the file ends 20 bytes after the length field",
                problem(prefix(full, 30)));
    }

    @Test
    void absurdHeaderLengths() throws IOException {
        byte[] v2 = npy(2, 0, GOOD, 8);
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -1); // 0xFFFFFFFF bytes
        assertTrue(problem(v2).startsWith("truncated header: it declares 4294967295 bytes"));
        int big = (int) NpyReader.MAX_HEADER_BYTES + 64;
        byte[] huge = npyRaw(2, 0, (GOOD + " ".repeat(big - GOOD.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1), 8);
        assertEquals("malformed header: it declares " + big + " bytes, more than the 1048576 this reader accepts", problem(huge));
    }

    @Test
    void headerWithoutNewline() throws IOException {
        byte[] text = (GOOD + "   ").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("malformed header: it does not end with a newline", problem(npyRaw(1, 0, text, 8)));
    }

    @Test
    void headerThatIsNotADict() throws IOException {
        assertTrue(problem(npy(1, 0, "[1, 2]", 8)).startsWith("malformed header: expected '{' at the start of the header dict"));
    }

    @Test
    void headerSyntaxErrors() throws IOException {
        assertTrue(problem(npy(1, 0, "{'descr': '<f2' 'fortran_order': False, 'shape': (4,), }", 8))
                .startsWith("malformed header: expected ',' or '}' in the header dict"));
        assertTrue(problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), ", 8))
                .startsWith("malformed header: unexpected end of header"));
        assertStarts("malformed header: expected ','", problem(npy(1, 0, "{'descr': '<f2, 'fortran_order': False, 'shape': (4,), }", 8)));
        assertStarts("malformed header: expected ':'", problem(npy(1, 0, "{'descr' '<f2', 'fortran_order': False, 'shape': (4,), }", 8)));
        assertStarts("malformed header: unterminated string", problem(npy(1, 0, "{'descr': '<f2", 8)));
        assertTrue(problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': false, 'shape': (4,), }", 8))
                .startsWith("malformed header: unknown name 'false'"));
        assertTrue(problem(npy(1, 0, GOOD + " x", 8)).startsWith("malformed header: unexpected text after the header dict"));
        assertTrue(problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (99999999999999999999,), }", 8))
                .startsWith("malformed header: integer 99999999999999999999 is out of range"));
    }

    @Test
    void missingKeys() throws IOException {
        assertEquals("malformed header: missing key(s) 'shape' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, }", 8)));
        assertEquals("malformed header: missing key(s) 'descr', 'fortran_order', 'shape' (a .npy header has exactly 'descr', "
                + "'fortran_order' and 'shape')", problem(npy(1, 0, "{}", 8)));
    }

    @Test
    void extraKeys() throws IOException {
        assertEquals("malformed header: unexpected key(s) 'version' (a .npy header has exactly 'descr', 'fortran_order' and 'shape')",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), 'version': 2, }", 8)));
    }

    @Test
    void duplicateKey() throws IOException {
        assertTrue(problem(npy(1, 0, "{'descr': '<f2', 'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", 8))
                .startsWith("malformed header: duplicate key 'descr'"));
    }

    @Test
    void wrongValueTypes() throws IOException {
        assertEquals("malformed header: 'fortran_order' is 0, expected True or False",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': 0, 'shape': (4,), }", 8)));
        assertEquals("malformed header: 'shape' is [4], expected a tuple",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': [4], }", 8)));
        assertEquals("malformed header: 'shape' (-4,) must hold non-negative integers",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (-4,), }", 8)));
        assertEquals("unsupported dtype 2: only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)",
                problem(npy(1, 0, "{'descr': 2, 'fortran_order': False, 'shape': (4,), }", 8)));
    }

    @Test
    void notOneDimensional() throws IOException {
        assertEquals("shape (2, 2) is not 1-D: only 1-D arrays are accepted",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", 8)));
    }

    @Test
    void fortranOrder() throws IOException {
        assertEquals("fortran_order is True: only C-order arrays are accepted",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': True, 'shape': (4,), }", 8)));
    }

    @Test
    void truncatedData() throws IOException {
        assertEquals("truncated data: the header declares 4 elements (8 bytes) but only 7 bytes follow the header",
                problem(npy(1, 0, GOOD, 7)));
        assertEquals("truncated data: the header declares 4 elements (8 bytes) but only 0 bytes follow the header",
                problem(npy(3, 0, GOOD, 0)));
    }

    @Test
    void trailingGarbage() throws IOException {
        assertEquals("trailing garbage: 1 bytes follow the 4 declared elements (8 bytes)", problem(npy(1, 0, GOOD, 9)));
        assertEquals("trailing garbage: 4096 bytes follow the 4 declared elements (8 bytes)", problem(npy(2, 0, GOOD, 8 + 4096)));
    }

    @Test
    void version3HeaderMustBeUtf8() throws IOException {
        byte[] text = (GOOD + "\n").getBytes(StandardCharsets.ISO_8859_1);
        text[3] = (byte) 0xFF; // inside 'descr'
        assertEquals("malformed header: a version 3.0 header must be UTF-8", problem(npyRaw(3, 0, text, 8)));
    }

    @Test
    void ioErrorsAreNotFormatErrors() throws IOException {
        assertThrows(NoSuchFileException.class, () -> NpyReader.map(tmp.resolve("absent.npy"), Arena.ofAuto()));
        FileSystemException e = assertThrows(FileSystemException.class, () -> NpyReader.map(tmp, Arena.ofAuto()));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void writerOutputIsAcceptedByTheReaderAtEveryVersionWeRead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(npy(2, 0, GOOD, 8));
        Path p = tmp.resolve("v2.npy");
        Files.write(p, b.toByteArray());
        assertEquals(2, NpyReader.readHeader(p).major());
    }
}
