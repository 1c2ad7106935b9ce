package dev.qrref.conformance.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The mutant list in {@code kernels/src/mutants.h} against the guarded sites of the kernel sources, and the report. */
class MutantListTest {
    static Path kernels() {
        for (Path p : List.of(Path.of("kernels"), Path.of("../kernels"))) {
            if (Files.isDirectory(p.resolve("src"))) {
                return p;
            }
        }
        throw new AssertionError("kernels/ not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void theListHoldsTheMutantsTheIssueAsksFor() throws IOException {
        Map<String, String> list = MutationMain.readList(kernels().resolve("src/mutants.h"));
        assertEquals(List.of("phase2_offset_by_grid", "host_colour_replay", "cast_no_saturation", "bias_off_by_one", "rint_truncation",
                "tie_rule_reversed", "group_leader_off_by_one", "own_contribution_unquantized", "reduction_order_reversed",
                "scale_halves_swapped", "eps_omitted", "fp8_overflow_nan", "int3_top_bit_dropped"), List.copyOf(list.keySet()));
        list.values().forEach(d -> assertTrue(!d.isBlank()));
    }

    /** Every mutant's defect sits behind the one seam (src/mutants.cuh), and no kernel source names a mutant itself. */
    @Test
    void everyMutantIsWrittenInTheSeamAndNowhereElse() throws IOException {
        Set<String> listed = new TreeSet<>(MutationMain.readList(kernels().resolve("src/mutants.h")).keySet());
        Pattern guard = Pattern.compile("defined\\(QR_MUTANT_([a-z0-9_]+)\\)");
        Set<String> inSeam = new TreeSet<>();
        Matcher g = guard.matcher(Files.readString(kernels().resolve("src/mutants.cuh")));
        while (g.find()) {
            inSeam.add(g.group(1));
        }
        assertEquals(listed, inSeam, "#if defined(QR_MUTANT_x) sites of src/mutants.cuh");
        Set<String> elsewhere = new TreeSet<>();
        try (Stream<Path> files = Files.walk(kernels().resolve("src"))) {
            for (Path f : files.filter(p -> p.toString().matches(".*\\.(cu|cuh|h|in)$") && !p.endsWith("mutants.h")
                    && !p.endsWith("mutants.cuh")).toList()) {
                if (Pattern.compile("QR_MUTANT_[a-z]").matcher(Files.readString(f)).find()) {
                    elsewhere.add(kernels().relativize(f).toString());
                }
            }
        }
        assertEquals(Set.of(), elsewhere, "kernel sources that test a mutant macro outside the seam");
    }

    @Test
    void theReportGivesTheScoreAndEachKiller() {
        Properties control = new Properties();
        control.setProperty("killed", "false");
        control.setProperty("suite_ok", "true");
        control.setProperty("total_cases", "72");
        control.setProperty("properties_run", "10");
        control.setProperty("failures", "0");
        control.setProperty("device", "test device");
        Properties k = new Properties();
        k.setProperty("killed", "true");
        k.setProperty("killer", "outputs-match");
        k.setProperty("rule", "ENC-4");
        k.setProperty("stage", "cases");
        k.setProperty("cases", "3");
        k.setProperty("seconds", "4.2");
        k.setProperty("first_failure", "rule=ENC-4 property=outputs-match case=x");
        Properties s = new Properties();
        s.setProperty("killed", "false");
        List<MutationMain.Outcome> m = List.of(new MutationMain.Outcome("rint_truncation", "rint -> trunc", k, false, 4.5),
                new MutationMain.Outcome("eps_omitted", "no eps", s, false, 40));
        String md = MutationMain.markdown(new MutationMain.Outcome("control", "", control, false, 30), m, 180);
        assertTrue(md.contains("**mutation score: 1 / 2 killed (50 %)**"), md);
        assertTrue(md.contains("| `rint_truncation` | rint -> trunc | yes | outputs-match | ENC-4 | cases | 3 | 4.2 |"), md);
        assertTrue(md.contains("| `eps_omitted` | no eps | **no** |"), md);
        List<String> csv = MutationMain.csv(m);
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("rint_truncation,\"rint -> trunc\",true,outputs-match,ENC-4,"), csv.get(1));
    }
}
