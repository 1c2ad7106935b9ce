package dev.qrref.cpu.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Files written by NumPy (src/test/resources/npy/make_goldens.py): accepted ones, rejected ones, byte-identical writes. */
class NpyGoldenTest {
    static final short[] FP16_BITS = bits(0x0000, 0x8000, 0x3C00, 0xC100, 0x7BFF, 0xFBFF, 0x0001, 0x7C00, 0xFC00, 0x7E00);
    static final short[] BF16_BITS = bits(0x0000, 0x8000, 0x3F80, 0xBF80, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x7FC0, 0x4780);

    @TempDir
    Path tmp;

    static short[] bits(int... v) {
        short[] s = new short[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = (short) v[i];
        }
        return s;
    }

    static Path golden(String name) {
        try {
            return Path.of(NpyGoldenTest.class.getResource("/npy/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @CsvSource({"fp16_v1.npy, 1", "fp16_v2.npy, 2", "fp16_v3.npy, 3"})
    void readsEveryFormatVersion(String file, int major) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NpyArray a = NpyReader.map(golden(file), arena);
            assertEquals(major, a.header().major());
            assertEquals(DType.FP16, a.dtype());
            assertEquals(10, a.length());
            assertEquals(0, a.header().dataOffset() % NpyHeader.ALIGN, "NumPy aligns the data to 64 bytes");
            assertArrayEquals(FP16_BITS, a.toArray());
            assertTrue(a.data().isReadOnly(), "mapped data is read-only");
        }
    }

    @Test
    void readsRawBf16Bits() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NpyArray a = NpyReader.map(golden("bf16_bits_v1.npy"), arena, DType.BF16);
            assertArrayEquals(BF16_BITS, a.toArray());
            assertEquals(0x7FC0, a.bits(8));
        }
    }

    @Test
    void readsAnEmptyArray() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NpyArray a = NpyReader.map(golden("empty_fp16.npy"), arena);
            assertEquals(0, a.length());
            assertEquals(0, a.data().byteSize());
        }
    }

    @ParameterizedTest
    @CsvSource({"fp16_v1.npy, FP16", "bf16_bits_v1.npy, BF16", "empty_fp16.npy, FP16"})
    void writesTheSameBytesAsNumPy(String file, DType dtype) throws IOException {
        short[] values = file.startsWith("empty") ? new short[0] : dtype == DType.FP16 ? FP16_BITS : BF16_BITS;
        Path out = tmp.resolve(file);
        NpyWriter.write(out, dtype, values);
        assertArrayEquals(Files.readAllBytes(golden(file)), Files.readAllBytes(out));
    }

    @Test
    void headerMatchesNumPyForLargeCounts() {
        // np.save(np.zeros(33554432, np.float16)) starts with this 128-byte block
        String expect = "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f2', 'fortran_order': False, 'shape': (33554432,), }"
                + " ".repeat(53) + "\n";
        assertEquals(expect, new String(NpyHeader.encode(DType.FP16, 33554432), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reject_2d.npy", "reject_0d.npy"})
    void rejectsShapesThatAreNot1D(String file) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.readHeader(golden(file)));
        assertTrue(e.problem().contains("is not 1-D"), e.getMessage());
    }

    @Test
    void rejectsATwoDimensionalFortranArray() {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.readHeader(golden("reject_fortran.npy")));
        assertEquals("shape (2, 3) is not 1-D: only 1-D arrays are accepted", e.problem());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
        "reject_f4.npy; '<f4'",
        "reject_big_endian.npy; '>f2'",
        "reject_i2.npy; '<i2'",
        "reject_u1.npy; '|u1'",
        "reject_structured.npy; [('a', '<f2')]"})
    void rejectsOtherDtypesNamingTheOneFound(String file, String found) {
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyReader.readHeader(golden(file)));
        assertEquals("unsupported dtype " + found
                + ": only little-endian 2-byte types are accepted, '<f2' (fp16) or '<u2' (raw bf16 bits)", e.problem());
        assertTrue(e.getMessage().startsWith(golden(file).toString() + ": "), "the message names the file");
    }

    @Test
    void rejectsADtypeOtherThanTheRequestedOne() {
        NpyFormatException e = assertThrows(NpyFormatException.class,
                () -> NpyReader.map(golden("fp16_v1.npy"), Arena.ofAuto(), DType.BF16));
        assertEquals("dtype '<f2' (fp16) does not match the requested dtype bf16 ('<u2')", e.problem());
    }
}
