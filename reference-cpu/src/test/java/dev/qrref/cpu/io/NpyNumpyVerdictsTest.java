package dev.qrref.cpu.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader accepts exactly the files numpy.load reads as a 1-D little-endian float16 or uint16 array, with the same
 * length, and refuses every other one with a {@link NpyFormatException}: checked on the cases of
 * src/test/resources/npy/numpy_verdicts.tsv, whose verdicts NumPy itself gave (make_verdicts.py).
 */
class NpyNumpyVerdictsTest {
    @TempDir
    Path tmp;

    record Case(int line, int major, byte[] header, int dataBytes, String verdict) {
        byte[] file() {
            ByteBuffer b = ByteBuffer.allocate(12 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
            b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
            if (major == 1) {
                b.putShort((short) header.length);
            } else {
                b.putInt(header.length);
            }
            b.put(header);
            byte[] out = new byte[b.position() + dataBytes];
            System.arraycopy(b.array(), 0, out, 0, b.position());
            return out;
        }

        String shown() {
            return "line " + line + " (v" + major + ", " + dataBytes + " data bytes) " + PyLiteral.quote(new String(header,
                    major < 3 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8));
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = NpyNumpyVerdictsTest.class.getResourceAsStream("/npy/numpy_verdicts.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith("#") || lines[i].isBlank()) {
                    continue;
                }
                String[] f = lines[i].split("\t");
                out.add(new Case(i + 1, Integer.parseInt(f[0]), HexFormat.of().parseHex(f[1]), Integer.parseInt(f[2]), f[3]));
            }
        }
        return out;
    }

    @Test
    void theReaderAgreesWithNumPyOnEveryCase() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() > 800, "the verdict file holds " + cases.size() + " cases");
        List<String> disagreements = new ArrayList<>();
        int accepted = 0;
        Path p = tmp.resolve("case.npy");
        for (Case c : cases) {
            Files.write(p, c.file());
            String ours;
            try (Arena arena = Arena.ofConfined()) {
                NpyArray a = NpyReader.map(p, arena);
                ours = "ok " + a.dtype().npyDescr + " " + a.length();
                assertEquals(2 * a.length(), a.data().byteSize());
            } catch (NpyFormatException e) {
                ours = "reject";
                assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
            } catch (RuntimeException | IOException e) {
                ours = "CRASH " + e;
            }
            boolean numpyAccepts = c.verdict.startsWith("ok ");
            accepted += numpyAccepts ? 1 : 0;
            if (numpyAccepts ? !ours.equals(c.verdict) : !ours.equals("reject")) {
                disagreements.add(c.shown() + ": numpy " + c.verdict + ", reader " + ours);
            }
        }
        assertTrue(accepted > 100, "the file has accepted cases: " + accepted);
        assertEquals(List.of(), disagreements.subList(0, Math.min(30, disagreements.size())),
                disagreements.size() + " of " + cases.size() + " cases disagree");
    }

    @Test
    void theSpellingsOfIssue12AreAccepted() throws IOException {
        String[] headers = {
            "{'descr': '|f2', 'fortran_order': False, 'shape': (4,), }\n",
            "{'descr': '=f2', 'fortran_order': False, 'shape': (4,), }\n",
            "{'descr': 'f2', 'fortran_order': False, 'shape': (4,), }\n",
            "{'descr': '<e', 'fortran_order': False, 'shape': (4,), }\n",
            "{'descr': 'float16', 'fortran_order': False, 'shape': (4,), }\n",
            "{'descr': '<f2', 'fortran_order': False, 'shape': (0x4,), }\n",
            "{'descr': '<f2', 'fortran_order': False, 'shape': (0_4,), }\n".replace("0_4", "4_0"),
            "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }"};
        Path p = tmp.resolve("x.npy");
        for (String h : headers) {
            Files.write(p, new Case(0, 1, h.getBytes(StandardCharsets.ISO_8859_1), 80, "").file());
            assertEquals(DType.FP16, NpyReader.readHeader(p).dtype(), h);
        }
        Files.write(p, new Case(0, 1, "{'descr': '<f2', 'fortran_order': False, 'shape': (4), }\n".getBytes(StandardCharsets.ISO_8859_1),
                8, "").file());
        NpyFormatException e = org.junit.jupiter.api.Assertions.assertThrows(NpyFormatException.class, () -> NpyReader.readHeader(p));
        assertEquals("malformed header: 'shape' is 4, expected a tuple of integers", e.problem());
    }
}
