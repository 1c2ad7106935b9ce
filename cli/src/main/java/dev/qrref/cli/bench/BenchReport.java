package dev.qrref.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's outputs: a fixed-width table (nccl-tests style), CSV, and a Markdown summary. */
public final class BenchReport {
    /** Sizes at and above this count for the 75 % target. */
    public static final long TARGET_MIN_ELEMENTS = 16L << 20;
    public static final double TARGET_RATIO = 0.75;

    private BenchReport() {
    }

    /** The explanation printed with every table. */
    public static final String RATIO_NOTE = "roofline = W*(4N + 8N/c) bytes / B (input read + output written per rank, and each "
            + "phase's slots written and read at compression c = 4096/stride), B = measured device-to-device copy bandwidth "
            + "(read + write). ratio = roofline / measured: 1.0 means the call moved its minimum bytes at copy speed. The slots "
            + "are reused by every grid-stride iteration: all ranks' slots together (W x grid x 8 x stride x 2 phases, the "
            + "slots column) can stay in the 50 MB L2, and then part of the 8N/c slot traffic never reaches HBM, so ratios "
            + "above 1 are possible; the HBM floor is then nearer W*4N / B.";

    public static String header(String device, double copyGbps) {
        return String.format(Locale.ROOT, "# qr bench: %s%n# B = %.0f GB/s (device-to-device copy, read + write)%n"
                        + "# %s%n#%n# %2s %-5s %-9s %11s %9s %10s %9s %9s %10s %10s %7s%n", device, copyGbps, RATIO_NOTE, "W", "codec",
                "path", "elements", "MiB/rank", "time(us)", "p10(us)", "p90(us)", "algbw(GB/s)", "roof(us)", "ratio");
    }

    public static String line(BenchRow r) {
        return String.format(Locale.ROOT, "  %3d %-5s %-9s %11d %9.3f %10.2f %9.2f %9.2f %10.1f %10.2f %6.1f%%%n", r.worldSize(),
                r.codec().cliName(), r.path().id(), r.n(), 2.0 * r.n() / (1 << 20), r.medianUs(), r.p10Us(), r.p90Us(), r.algbwGbps(),
                r.rooflineUs(), 100 * r.ratio());
    }

    public static List<String> csv(String device, List<BenchRow> rows) {
        List<String> out = new ArrayList<>();
        out.add("device,world,codec,path,elements,bytes_per_rank,median_us,p10_us,p90_us,iters,input_sets,algbw_gbps,copy_gbps,"
                + "roofline_bytes,roofline_us,roofline_ratio,grid_cap,slot_bytes");
        for (BenchRow r : rows) {
            out.add(String.format(Locale.ROOT, "\"%s\",%d,%s,%s,%d,%d,%.3f,%.3f,%.3f,%d,%d,%.2f,%.1f,%.0f,%.3f,%.4f,%d,%d",
                    device.replace("\"", "'"), r.worldSize(), r.codec().cliName(), r.path().id(), r.n(), 2 * r.n(), r.medianUs(), r.p10Us(),
                    r.p90Us(), r.iters(), r.sets(), r.algbwGbps(), r.copyGbps(), Roofline.bytes(r.worldSize(), r.n(), r.codec()),
                    r.rooflineUs(), r.ratio(), r.gridCap(), r.slotBytes()));
        }
        return out;
    }

    /** Markdown: machine, method, the full table and the target check for N >= 16 Mi. */
    public static String markdown(String device, String when, double copyGbps, String method, List<BenchRow> rows) {
        StringBuilder md = new StringBuilder("# All-reduce latency on one GPU, all ranks co-resident\n\n");
        md.append("- machine: ").append(device).append('\n');
        md.append("- date: ").append(when).append('\n');
        md.append(String.format(Locale.ROOT, "- B = %.0f GB/s (device-to-device copy, bytes read + written)%n", copyGbps));
        md.append("- method: ").append(method).append("\n\n");
        md.append(RATIO_NOTE).append("\n\n");
        md.append("## Large sizes (N >= 16 Mi elements): target ratio >= 75 %\n\n| W | codec | path | elements | time us | roofline us | ratio "
                + "| slots MB |\n|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (BenchRow r : rows) {
            if (r.n() >= TARGET_MIN_ELEMENTS) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.1f | %.1f | %s%.0f %%%s | %.1f |%n", r.worldSize(),
                        r.codec().cliName(), r.path().id(), r.n(), r.medianUs(), r.rooflineUs(), r.ratio() < TARGET_RATIO ? "**" : "",
                        100 * r.ratio(), r.ratio() < TARGET_RATIO ? "**" : "", r.slotBytes() / 1e6));
            }
        }
        md.append("\n## Every size\n\n```\n").append(header(device, copyGbps));
        for (BenchRow r : rows) {
            md.append(line(r));
        }
        md.append("```\n");
        return md.toString();
    }
}
