package dev.qrref.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qrref.spec.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code qr explain}: the dossier's worked example, every option combination, and bad input. */
class ExplainCommandTest {

    @Test
    void appendixAWorkedExample() {
        CliRun r = CliRun.of("explain", "--codec", "int4", "--values", "3,-2.9,1,0.5,0,-1.4");
        assertEquals(0, r.exitCode(), r::toString);
        String o = r.out();
        assertTrue(o.contains("M = 0x4200 (3), element m=0"), o);
        assertTrue(o.contains("|max| 3 > |min| 2.90039, so M = max"), o);
        assertTrue(o.contains("d = fp16(M x SF) = 0x4200 x 0xB000 = 0xB600 (-0.375)"), o);
        assertTrue(o.contains("e = rcp(d + EPS) = 0xC155 (-2.66602)"), o);
        // per element: m, x, ..., code, decoded (the dossier's table)
        String[][] rows = {{"0", "3", "0", "0x4200"}, {"1", "-2.90039", "15", "0xC140"}, {"2", "1", "5", "0x3C80"},
            {"3", "0.5", "7", "0x3600"}, {"4", "0", "8", "0x8000"}, {"5", "-1.40039", "12", "0xBE00"}};
        for (String[] row : rows) {
            String line = o.lines().filter(l -> l.matches("\\s+" + row[0] + " " + java.util.regex.Pattern.quote(row[1]) + " .*"))
                    .findFirst().orElseThrow(() -> new AssertionError("no row for m=" + row[0] + " in\n" + o));
            String[] cols = line.strip().split("\\s+");
            assertTrue(line.contains(" " + row[3] + " "), line);
            assertTrue(java.util.Arrays.asList(cols).contains(row[2]), line);
        }
        assertTrue(o.contains("scale word of thread group 0 @1024: 00 B6 00 80"), "even d = 0xB600, odd (zero) group d = -0: " + o);
    }

    @Test
    void tieGoesToTheNegativeElement() {
        CliRun r = CliRun.of("explain", "--codec", "int8", "--values", "2,-2,1");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("a tie, and the strict '>' picks min (the negative element)"), r.out());
        assertTrue(r.out().contains("M = 0xC000 (-2), element m=1"), r.out());
    }

    @ParameterizedTest
    @CsvSource({"int4, fp16, false, cuda", "int6, fp16, false, cdna3", "int8, fp16, false, cdna4", "int4, bf16, false, cuda",
        "int6, bf16, true, cdna3", "int8, bf16, true, cuda"})
    void seededGroupsOnEveryPath(String codec, String dtype, boolean cast, String profile) {
        CliRun r = cast
                ? CliRun.of("explain", "--codec", codec, "--dtype", dtype, "--cast-bf16-to-fp16", "--profile", profile, "--seed", "5")
                : CliRun.of("explain", "--codec", codec, "--dtype", dtype, "--profile", profile, "--seed", "5");
        assertEquals(0, r.exitCode(), r::toString);
        for (String step : new String[]{"1. inputs", "2. signed absmax", "3. decoding scale", "4. d + EPS", "5. encoding scale",
            "6. every element", "7. where", "8. packed bytes"}) {
            assertTrue(r.out().contains(step), step);
        }
        assertTrue(r.out().contains("rank 0, elements 0..63 of 'qr allreduce --random N --seed 5 --dtype " + dtype + "'"), r.out());
    }

    @Test
    void specialValues() {
        CliRun r = CliRun.of("explain", "--codec", "int4", "--profile", "cdna3", "--values", "nan,inf,-inf,0x0001,-0,65504");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("M = 0xFC00 (-inf)"), r.out());
    }

    @Test
    void parsesValues() {
        assertEquals(0x3C00, ExplainCommand.parse("1", DType.FP16));
        assertEquals(0xBF80, ExplainCommand.parse("-1.0", DType.BF16));
        assertEquals(0x7C00, ExplainCommand.parse("inf", DType.FP16));
        assertEquals(0x7E00, ExplainCommand.parse("NaN", DType.FP16));
        assertEquals(0x1234, ExplainCommand.parse("0x1234", DType.FP16));
        assertEquals(0x7BFF, ExplainCommand.parse("65519", DType.FP16));
        assertEquals(0x7C00, ExplainCommand.parse("65520", DType.FP16));
        assertEquals(0x0001, ExplainCommand.parse("6e-8", DType.FP16));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--codec fp --values 1|--codec fp sends raw values and has nothing to quantize: choose one of int8, int6, int4, int3, fp8",
        "--codec int4 --seed 1 --values 1|give --seed or --values, not both",
        "--codec int4 --values 1,abc|--values: 'abc' is not a number (use decimals, inf, -inf, nan or 0x-hex bits)",
        "--codec int4 --values 0x12345|--values: '0x12345' has more than 16 bits",
        "--codec int4 --values 0xZZ|--values: '0xZZ' is not a hex bit pattern",
        "--codec int5|unknown codec 'int5' (expected one of fp, int8, int6, int4, int3, fp8)",
        "--codec int4 --profile foo|unknown profile 'foo'",
        "--values 1|Missing required option: '--codec=CODEC'"})
    void badInput(String args, String message) {
        CliRun r = CliRun.of(("explain " + args).split(" "));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertTrue(r.message().startsWith("qr explain: "), r.message());
        assertTrue(r.message().contains(message), r.message());
        assertEquals("", r.out());
    }

    @Test
    void tooManyValues() {
        String values = String.join(",", java.util.Collections.nCopies(33, "1"));
        CliRun r = CliRun.of("explain", "--codec", "int4", "--values", values);
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertEquals("qr explain: --values: 33 values given, a group holds 32", r.message());
    }

    @Test
    void negativeFirstValue() {
        CliRun r = CliRun.of("explain", "--codec", "int4", "--values", "-1,2");
        assertEquals(0, r.exitCode(), r::toString);
    }
}
