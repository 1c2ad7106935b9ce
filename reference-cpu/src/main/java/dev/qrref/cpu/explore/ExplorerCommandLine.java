package dev.qrref.cpu.explore;

import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.QrException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Argument parsing and the entry point for manual runs ({@code qr explore …} delegates here or builds an
 * {@link ExplorerConfig} itself).
 *
 * <pre>
 * qr explore --scenario variable-size-race
 * qr explore --world 2 --blocks 2 --call 1t:fp --call 2t:fp --layout pre-fix --colours host
 * qr explore --world 8 --blocks 2 --call 2t --call 5t:int4 --mode random --seed 7 --schedules 500
 * </pre>
 */
public final class ExplorerCommandLine {
    private ExplorerCommandLine() {
    }

    /** Exit codes of {@link #run}. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_VIOLATION = 1;
    public static final int EXIT_INCOMPLETE = 3;
    public static final int EXIT_USAGE = 2;

    public static String usage() {
        return """
                usage: qr explore [options]
                  --scenario NAME        start from a named configuration: %s
                  --world W              ranks: 2, 4 or 8 (default 2)
                  --blocks B             grid cap maxBlocks (default 1)
                  --call N[:codec]       a call, repeatable, in order; N in elements, or with suffix t (tiles), k, m;
                                         codec fp|int8|int6|int4 (default fp). --calls a,b,c sets the whole list
                  --layout L             fixed | pre-fix (default fixed)
                  --colours C            device | host | graph-replay (default device)
                  --mode M               exhaustive | random (default exhaustive)
                  --seed S               random mode seed, decimal or 0x-hex (default 1)
                  --schedules N          random mode: schedules to run (default %d)
                  --max-states N         exhaustive mode: state budget (default %d)
                  --time-limit MS        wall-clock cap (default none)
                  --check I,I,...        invariants to check (default all): %s
                  --fault F              plant a bug (repeatable): %s
                  --no-reduction         exhaustive mode without partial-order reduction
                  --no-minimize          report the counterexample as found
                  --plantuml             also print the counterexample as a PlantUML sequence diagram
                  --help
                exit status: 0 no violation, 1 violation, 3 budget exhausted, 2 usage error
                """.formatted(String.join(", ", Scenarios.named().keySet()), ExplorerConfig.DEFAULT_MAX_SCHEDULES,
                ExplorerConfig.DEFAULT_MAX_STATES, invariantNames(), faultNames());
    }

    private static String invariantNames() {
        List<String> out = new ArrayList<>();
        for (Invariant i : Invariant.values()) {
            out.add(i.id.substring(4).toLowerCase(Locale.ROOT));
        }
        return String.join(", ", out);
    }

    private static String faultNames() {
        List<String> out = new ArrayList<>();
        for (Fault f : Fault.values()) {
            out.add(f.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return String.join(", ", out);
    }

    /** Parsed options: the configuration plus output switches. */
    public record Options(ExplorerConfig config, boolean plantUml, boolean help) {
    }

    /** The options that take a value; anything else that is not a switch is unknown, whatever follows it. */
    private static final Set<String> VALUE_OPTIONS = Set.of("--scenario", "--world", "-w", "--blocks", "-b", "--call", "--calls",
            "--layout", "--colours", "--colors", "--mode", "--seed", "--schedules", "--max-states", "--time-limit", "--check",
            "--fault");

    public static Options parse(String... args) {
        ExplorerConfig.Builder b = ExplorerConfig.builder();
        List<CallSpec> calls = new ArrayList<>();
        boolean plantUml = false;
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                v = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--help", "-h" -> {
                    return new Options(null, false, true);
                }
                case "--plantuml" -> plantUml = true;
                case "--no-reduction" -> b.reduction(false);
                case "--no-minimize" -> b.minimize(false);
                default -> {
                    if (!VALUE_OPTIONS.contains(a)) {
                        throw new InvalidArgumentException("unknown option " + a);
                    }
                    if (v == null) {
                        if (i + 1 >= args.length) {
                            throw new InvalidArgumentException("option " + a + " needs a value");
                        }
                        v = args[++i];
                    }
                    switch (a) {
                        case "--scenario" -> {
                            ExplorerConfig base = Scenarios.byName(v);
                            b = base.toBuilder();
                            calls = new ArrayList<>(base.calls());
                            faults.addAll(base.faults());
                        }
                        case "--world", "-w" -> b.worldSize(parseInt(a, v));
                        case "--blocks", "-b" -> b.maxBlocks(parseInt(a, v));
                        case "--call" -> calls.add(CallSpec.parse(v));
                        case "--calls" -> {
                            calls.clear();
                            for (String c : v.split(",")) {
                                calls.add(CallSpec.parse(c));
                            }
                        }
                        case "--layout" -> b.layout(LayoutScheme.fromName(v));
                        case "--colours", "--colors" -> b.colours(ColourScheme.fromName(v));
                        case "--mode" -> b.mode(SearchMode.fromName(v));
                        case "--seed" -> b.seed(parseSeed(a, v));
                        case "--schedules" -> b.maxSchedules(parseLong(a, v));
                        case "--max-states" -> b.maxStates(parseLong(a, v));
                        case "--time-limit" -> b.maxMillis(parseLong(a, v));
                        case "--check" -> {
                            Set<Invariant> inv = EnumSet.noneOf(Invariant.class);
                            for (String name : v.split(",")) {
                                inv.add(invariant(name.trim()));
                            }
                            b.invariants(inv);
                        }
                        case "--fault" -> faults.add(fault(v));
                        default -> throw new InvalidArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (calls.isEmpty()) {
            throw new InvalidArgumentException("no calls given (use --call N[:codec] or --scenario NAME)");
        }
        b.calls(calls).faults(faults);
        return new Options(b.build(), plantUml, false);
    }

    private static Invariant invariant(String name) {
        for (Invariant i : Invariant.values()) {
            if (i.id.equalsIgnoreCase(name) || i.id.substring(4).equalsIgnoreCase(name) || i.name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new InvalidArgumentException("unknown invariant '" + name + "' (expected one of " + invariantNames() + ")");
    }

    private static Fault fault(String name) {
        for (Fault f : Fault.values()) {
            if (f.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return f;
            }
        }
        throw new InvalidArgumentException("unknown fault '" + name + "' (expected one of " + faultNames() + ")");
    }

    private static int parseInt(String opt, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("option " + opt + " expects an integer, got '" + v + "'");
        }
    }

    private static long parseLong(String opt, String v) {
        try {
            return Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("option " + opt + " expects an integer, got '" + v + "'");
        }
    }

    private static long parseSeed(String opt, String v) {
        try {
            return Seeds.parse(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("option " + opt + ": " + e.getMessage());
        }
    }

    /** Parses, explores, prints the report; returns the exit status. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Options o;
        try {
            o = parse(args);
        } catch (QrException e) {
            err.println("error: " + e.getMessage());
            err.print(usage());
            return EXIT_USAGE;
        }
        if (o.help()) {
            out.print(usage());
            return EXIT_OK;
        }
        ExplorerResult r = Explorer.run(o.config());
        out.print(r.render());
        if (o.plantUml()) {
            r.counterexample().ifPresent(c -> out.print("\n" + c.toPlantUml()));
        }
        return switch (r.verdict()) {
            case NO_VIOLATION -> EXIT_OK;
            case VIOLATION -> EXIT_VIOLATION;
            case INCOMPLETE -> EXIT_INCOMPLETE;
        };
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }
}
