package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.Format16;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qr capture-primitives} with the CPU model standing in for the hardware. With the model on both sides a table
 * matching its own profile says nothing; what the command can get wrong is where the profiles part, so the test counts
 * those inputs itself from the formats' definitions (fp16 overflows at |v| >= 65520, halfway to 2^16, ties to even)
 * and holds the printed counts to them.
 */
class CapturePrimitivesCommandTest {
    /** fp16 65504 + half an ulp (16): the smallest magnitude that rounds to infinity. */
    private static final double FP16_OVERFLOW = 65520.0;

    @TempDir
    Path tmp;

    /** The count printed after {@code profile} in the "differs from" part of the line of {@code op} under {@code policy}. */
    static int differences(String out, String op, String policy, String profile) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(op) + "\\s+\\S+\\s+" + Pattern.quote(policy) + "\\s.*differs from .*\\b"
                + Pattern.quote(profile) + " \\((\\d+)\\)").matcher(out);
        assertTrue(m.find(), op + " / " + policy + " / " + profile + " in:\n" + out);
        return Integer.parseInt(m.group(1));
    }

    /** fp16 inputs whose reciprocal overflows (|x| <= 1/65520, the zeros included): inf without FP16_OVFL, 65504 with it. */
    static int fp16ReciprocalOverflows() {
        int count = 0;
        for (int b = 0; b < 1 << 16; b++) {
            double x = Math.abs(Format16.FP16.toDouble(b));
            if (x * FP16_OVERFLOW <= 1.0) { // exact: an fp16 value times 65520 is exact in binary64
                count++;
            }
        }
        return count;
    }

    /** Finite bf16 values beyond the fp16 range: the cast gives inf, or 65504 under FP16_OVFL. */
    static int bf16CastOverflows() {
        int count = 0;
        for (int b = 0; b < 1 << 16; b++) {
            double x = Math.abs(Format16.BF16.toDouble(b));
            if (Double.isFinite(x) && x >= FP16_OVERFLOW) {
                count++;
            }
        }
        return count;
    }

    @Test
    void theProfilesPartExactlyWhereFp16Overflows() {
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu", "--out", tmp.toString(), "--max-list", "4");
        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        int rcp = fp16ReciprocalOverflows();
        assertEquals(2 + 2 * 256, rcp, "+-0 and the subnormals k x 2^-24 with k <= 2^24 / 65520");
        assertEquals(rcp, differences(out, "rcp", "native-fp16", "cdna3"), out);
        assertEquals(rcp, differences(out, "rcp", "saturating-fp16", "cuda"), out);
        int cast = bf16CastOverflows();
        assertEquals(cast, differences(out, "cast-bf16-fp16", "native-fp16", "cdna3"), out);
        assertEquals(cast, differences(out, "cast-bf16-fp16", "saturating-fp16", "cdna4"), out);
        // the bf16 tables agree everywhere: bf16 arithmetic does not saturate in any profile
        assertTrue(out.lines().anyMatch(l -> l.matches("rcp\\s+bf16\\s+bf16\\s+65536 cases\\s+matches cuda, cdna3, cdna4\\s*")), out);
        assertTrue(out.contains("RESULT: PASS"), r::toString);
        String md = assertFile("capture-primitives.md");
        assertTrue(md.contains("### rcp fp16, native-fp16 vs cdna3: " + rcp + " of 65536 inputs"), md);
        assertTrue(md.contains("0x0000 => 0x7C00 0x7BFF"), "rcp(+0): inf on the stand-in's native policy, 65504 under cdna3\n" + md);
        assertFile("capture-primitives.csv");
        assertFile("capture-mismatches.csv");
    }

    private String assertFile(String name) {
        Path p = tmp.resolve(name);
        assertTrue(Files.isRegularFile(p), name);
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A report directory that cannot be written is refused before the tables run, not after. */
    @Test
    void anUnwritableOutIsRefusedBeforeAnythingRuns() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu", "--out", file.resolve("report").toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("qr capture-primitives: cannot create --out '" + file.resolve("report") + "': '" + file + "' is not a directory",
                r.message());
        assertEquals("", r.out(), "nothing ran");
    }

    @Test
    void outIsRequired() {
        CliRun r = CliRun.of("capture-primitives", "--backend", "cpu");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
    }
}
