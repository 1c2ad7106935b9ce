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
        // numpy.load reads at most 10000 characters of header
        byte[] v2big = npyRaw(2, 0, (GOOD + " ".repeat(10001 - GOOD.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1), 8);
        assertEquals("malformed header: it is 10001 bytes long, more than the 10000 characters that numpy.load reads", problem(v2big));
        byte[] v3big = npyRaw(3, 0, (GOOD + " ".repeat(10001 - GOOD.length() - 1) + "\n").getBytes(StandardCharsets.UTF_8), 8);
        assertEquals("malformed header: it is 10001 characters long, more than the 10000 that numpy.load reads", problem(v3big));
        Path p = tmp.resolve("limit.npy");
        Files.write(p, npyRaw(1, 0, (GOOD + " ".repeat(10000 - GOOD.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1), 8));
        assertEquals(4, NpyReader.readHeader(p).length(), "10000 characters are still read");
    }

    /** NumPy writes a newline at the end of the header but does not need one to read it. */
    @Test
    void headerWithoutNewlineIsRead() throws IOException {
        Path p = tmp.resolve("nonl.npy");
        Files.write(p, npyRaw(1, 0, (GOOD + "   ").getBytes(StandardCharsets.ISO_8859_1), 8));
        assertEquals(4, NpyReader.readHeader(p).length());
    }

    @Test
    void headerThatIsNotADict() throws IOException {
        assertEquals("malformed header: it is [1, 2], not a dict", problem(npy(1, 0, "[1, 2]", 8)));
    }

    @Test
    void headerSyntaxErrors() throws IOException {
        assertStarts("malformed header: expected ',' or '}' between the items of a dict at character 31",
                problem(npy(1, 0, "{'descr': '<f2' 'fortran_order': False, 'shape': (4,), }", 8)));
        assertStarts("malformed header: the literal ends inside brackets", problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), ", 8)));
        assertStarts("malformed header: expected ',' or '}' between the items of a set", problem(npy(1, 0, "{'descr' '<f2', 'fortran_order': False, 'shape': (4,), }", 8)));
        assertStarts("malformed header: an unterminated string", problem(npy(1, 0, "{'descr': '<f2", 8)));
        assertStarts("malformed header: the name 'false' (not a literal)",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': false, 'shape': (4,), }", 8)));
        assertStarts("malformed header: unexpected text after the literal", problem(npy(1, 0, GOOD + " x", 8)));
        assertStarts("malformed header: leading zeros in a decimal integer literal",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (04,), }", 8)));
        assertStarts("malformed header: the character '\\xa0' (not allowed outside a string)",
                problem(npy(1, 0, "{'descr': '<f2',\u00a0'fortran_order': False, 'shape': (4,), }", 8)));
    }

    /** Control characters of a header are quoted back escaped: the message stays one printable line. */
    @Test
    void controlCharactersAreEscapedInMessages() throws IOException {
        String m = problem(npy(1, 0, "{'descr': '<f2\n\u0000', 'fortran_order': False, 'shape': (4,), }", 8));
        assertStarts("malformed header: it contains a NUL character", m);
        String d = problem(npy(1, 0, "{'descr': '<f2\\n\\x00\\x7f', 'fortran_order': False, 'shape': (4,), }", 8));
        assertEquals("unsupported dtype '<f2\\n\\x00\\x7f': only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)", d);
        assertTrue(d.chars().noneMatch(Character::isISOControl), d);
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

    /** Python keeps the last value of a repeated key, and so does NumPy. */
    @Test
    void aRepeatedKeyTakesItsLastValue() throws IOException {
        Path p = tmp.resolve("dup.npy");
        Files.write(p, npy(1, 0, "{'descr': '<f4', 'descr': '<u2', 'fortran_order': False, 'shape': (4,), }", 8));
        assertEquals(DType.BF16, NpyReader.readHeader(p).dtype());
    }

    @Test
    void wrongValueTypes() throws IOException {
        assertEquals("malformed header: 'fortran_order' is 0, expected True or False",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': 0, 'shape': (4,), }", 8)));
        assertEquals("malformed header: 'shape' is [4], expected a tuple of integers",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': [4], }", 8)));
        assertEquals("malformed header: 'shape' (True,) holds a bool, which numpy.load cannot read as a length",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (True,), }", 8)));
        assertEquals("unsupported dtype 2: only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)",
                problem(npy(1, 0, "{'descr': 2, 'fortran_order': False, 'shape': (4,), }", 8)));
    }

    @Test
    void notOneDimensional() throws IOException {
        assertEquals("shape (2, 2) is not 1-D: only 1-D arrays are accepted",
                problem(npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (2, 2), }", 8)));
    }

    /** One dimension has the same bytes in C and Fortran order. */
    @Test
    void fortranOrderOfOneDimensionIsRead() throws IOException {
        Path p = tmp.resolve("f.npy");
        Files.write(p, npy(1, 0, "{'descr': '<f2', 'fortran_order': True, 'shape': (4,), }", 8));
        assertEquals(4, NpyReader.readHeader(p).length());
    }

    /** A negative length is "whatever the data holds" to numpy.load. */
    @Test
    void aNegativeLengthTakesTheDataThereIs() throws IOException {
        Path p = tmp.resolve("neg.npy");
        Files.write(p, npy(1, 0, "{'descr': '<f2', 'fortran_order': False, 'shape': (-4,), }", 11));
        assertEquals(5, NpyReader.readHeader(p).length());
    }

    @Test
    void truncatedData() throws IOException {
        assertEquals("truncated data: the header declares 4 elements (8 bytes) but only 7 bytes follow the header",
                problem(npy(1, 0, GOOD, 7)));
        assertEquals("truncated data: the header declares 4 elements (8 bytes) but only 0 bytes follow the header",
                problem(npy(3, 0, GOOD, 0)));
    }

    /** numpy.load reads the elements the header declares and ignores what follows. */
    @Test
    void bytesAfterTheDataAreIgnored() throws IOException {
        Path p = tmp.resolve("more.npy");
        Files.write(p, npy(2, 0, GOOD, 8 + 4097));
        try (Arena arena = Arena.ofConfined()) {
            NpyArray a = NpyReader.map(p, arena);
            assertEquals(4, a.length());
            assertEquals(8, a.data().byteSize());
        }
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
