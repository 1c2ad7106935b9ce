package dev.qrref.conformance.mutation;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The mutation check of the conformance suite on the GPU: first the real library (the control: the suite must pass),
 * then every mutant library {@code libqr-NAME.so} of a folder, each in a child JVM ({@link MutantSuiteMain}) under a
 * time cap. Writes {@code gpu-mutants.md} and {@code gpu-mutants.csv}; exits 1 if the control fails or a mutant
 * survives.
 *
 * <pre>MutationMain OUT_DIR --control LIB --mutants DIR [--list mutants.h] [--cap-seconds 180] [--only a,b]</pre>
 */
public final class MutationMain {
    /** One child run. */
    record Outcome(String name, String description, Properties p, boolean capped, double wallSeconds) {
        boolean killed() {
            return capped || Boolean.parseBoolean(p.getProperty("killed", "false"));
        }

        String get(String k) {
            return p.getProperty(k, "");
        }
    }

    private static final Pattern ENTRY = Pattern.compile("^\\s*X\\(([a-z0-9_]+),\\s*\"(.*)\"\\)");

    /** Mutant names and descriptions from {@code kernels/src/mutants.h}, in the list's order. */
    static Map<String, String> readList(Path header) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(header)) {
            Matcher x = ENTRY.matcher(line);
            if (x.find()) {
                m.put(x.group(1), x.group(2));
            }
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].startsWith("-")) {
            System.err.println("usage: MutationMain OUT_DIR --control LIB --mutants DIR [--list mutants.h] [--cap-seconds S] [--only a,b]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Files.createDirectories(out);
        Path libs = Path.of(opt.getOrDefault("mutants", "native/mutants"));
        double cap = Double.parseDouble(opt.getOrDefault("cap-seconds", "180"));
        Map<String, String> list = new LinkedHashMap<>();
        Path header = Path.of(opt.getOrDefault("list", libs.resolve("mutants.h").toString()));
        if (Files.isRegularFile(header)) {
            list.putAll(readList(header));
        }
        try (Stream<Path> s = Files.list(libs)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libqr-") && n.endsWith(".so")).sorted()
                    .map(n -> n.substring("libqr-".length(), n.length() - ".so".length())).forEach(n -> list.putIfAbsent(n, ""));
        }
        if (opt.containsKey("only")) {
            List<String> only = List.of(opt.get("only").split(","));
            list.keySet().retainAll(only);
        }
        Outcome control = runChild(out, "control", "the real library", Path.of(opt.get("control")), cap, true);
        List<Outcome> mutants = new ArrayList<>();
        for (Map.Entry<String, String> e : list.entrySet()) {
            Path lib = libs.resolve("libqr-" + e.getKey() + ".so");
            if (!Files.isRegularFile(lib)) {
                System.err.println("mutant " + e.getKey() + ": " + lib + " is missing");
                Properties p = new Properties();
                p.setProperty("first_failure", "library missing: " + lib);
                mutants.add(new Outcome(e.getKey(), e.getValue(), p, false, 0));
                continue;
            }
            mutants.add(runChild(out, e.getKey(), e.getValue(), lib, cap, false));
        }
        String md = markdown(control, mutants, cap);
        Files.writeString(out.resolve("gpu-mutants.md"), md);
        Files.write(out.resolve("gpu-mutants.csv"), csv(mutants));
        long killed = mutants.stream().filter(Outcome::killed).count();
        System.out.printf(Locale.ROOT, "%-30s %-7s %-22s %7s %8s%n", "mutant", "killed", "killer", "cases", "seconds");
        for (Outcome o : mutants) {
            System.out.printf(Locale.ROOT, "%-30s %-7s %-22s %7s %8s%n", o.name(), o.killed() ? "yes" : "NO",
                    o.capped() ? "time cap" : o.get("killer"), o.get("cases"), o.get("seconds"));
        }
        boolean controlOk = !control.killed() && Boolean.parseBoolean(control.get("suite_ok"));
        System.out.printf(Locale.ROOT, "control (real library): %s; mutation score %d/%d%n", controlOk ? "suite passes" : "SUITE FAILS",
                killed, mutants.size());
        System.exit(controlOk && killed == mutants.size() ? 0 : 1);
    }

    static Outcome runChild(Path out, String name, String description, Path lib, double cap, boolean all) throws IOException,
            InterruptedException {
        Path result = out.resolve(name + ".properties");
        Path log = out.resolve(name + ".log");
        Files.deleteIfExists(result);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-Dqr.native.lib=" + lib.toAbsolutePath(), "-cp", System.getProperty("java.class.path"),
                MutantSuiteMain.class.getName(), result.toString()));
        if (all) {
            cmd.add("--all");
        }
        System.err.println("== " + name + ": " + lib);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(Math.round(cap * 1000), TimeUnit.MILLISECONDS);
        if (!done) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Properties props = new Properties();
        if (Files.isRegularFile(result)) {
            try (Reader r = Files.newBufferedReader(result)) {
                props.load(r);
            }
        } else if (done) {
            props.setProperty("killed", "false");
            // counted as a survivor: nothing shows that the suite caught anything (the log's end says what happened)
            List<String> lines = Files.readAllLines(log);
            props.setProperty("first_failure", "child exited " + p.exitValue() + " without a result; " + log.getFileName() + " ends: "
                    + String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
        }
        Outcome o = new Outcome(name, description, props, !done, wall);
        System.err.printf(Locale.ROOT, "   %s after %.1f s: %s%n", o.killed() ? "killed" : "survived", wall,
                !done ? "time cap of " + cap + " s" : o.get("killer") + " " + o.get("first_failure"));
        return o;
    }

    static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    static String markdown(Outcome control, List<Outcome> mutants, double cap) {
        long killed = mutants.stream().filter(Outcome::killed).count();
        StringBuilder md = new StringBuilder("# Mutation check of the conformance suite on the GPU\n\n");
        md.append("- device: ").append(control.get("device")).append('\n');
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- suite: level 1 (`qr conformance --level 1`: the case matrix with every case check, then the suite properties), "
                + "run by `dev.qrref.conformance.mutation.MutantSuiteMain` in one JVM per library, stopping at the first failure; "
                + "flag-wait timeout 5 s, time cap per library ").append(String.format(Locale.ROOT, "%.0f s", cap)).append('\n');
        md.append("- mutants: `kernels/src/mutants.h`, one `#if defined(QR_MUTANT_<name>)` defect each, built with "
                + "`kernels/build.sh --mutant all` (sm_90)\n");
        md.append("- control (the real library, whole suite): ").append(control.killed() ? "**failed**: " + control.get("first_failure")
                        : control.get("total_cases") + " cases and " + control.get("properties_run") + " checks/properties, "
                        + control.get("failures") + " failures, suite " + (Boolean.parseBoolean(control.get("suite_ok")) ? "passed" : "**not ok**"))
                .append(" (").append(control.get("seconds")).append(" s)\n");
        md.append(String.format(Locale.ROOT, "- **mutation score: %d / %d killed (%.0f %%)**%n%n", killed, mutants.size(),
                mutants.isEmpty() ? 0.0 : 100.0 * killed / mutants.size()));
        md.append("| mutant | defect | killed | killed by | rule | stage | cases run | seconds |\n|---|---|---|---|---|---|---:|---:|\n");
        for (Outcome o : mutants) {
            md.append("| `").append(o.name()).append("` | ").append(cell(o.description())).append(" | ").append(o.killed() ? "yes" : "**no**")
                    .append(" | ").append(o.capped() ? "time cap (hang)" : cell(o.get("killer"))).append(" | ").append(o.get("rule"))
                    .append(" | ").append(cell(o.get("stage"))).append(" | ").append(o.get("cases")).append(" | ")
                    .append(o.get("seconds").isEmpty() ? String.format(Locale.ROOT, "%.1f", o.wallSeconds()) : o.get("seconds")).append(" |\n");
        }
        md.append("\n\"cases run\" counts the case-matrix cases executed up to and including the killing one; a kill in a suite "
                + "property (stage = its name) comes after every case passed.\n\n## First failure of each mutant\n");
        for (Outcome o : mutants) {
            md.append("\n### ").append(o.name()).append("\n\n```\n").append(o.capped() ? "time cap reached" : o.get("first_failure"))
                    .append("\n```\n");
        }
        return md.toString();
    }

    static List<String> csv(List<Outcome> mutants) {
        List<String> rows = new ArrayList<>();
        rows.add("mutant,description,killed,killer,rule,stage,cases,seconds,first_failure");
        for (Outcome o : mutants) {
            rows.add(String.join(",", o.name(), q(o.description()), Boolean.toString(o.killed()), o.capped() ? "time cap" : o.get("killer"),
                    o.get("rule"), q(o.get("stage")), o.get("cases"), o.get("seconds"), q(o.get("first_failure"))));
        }
        return rows;
    }

    static String q(String s) {
        return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
    }
}
