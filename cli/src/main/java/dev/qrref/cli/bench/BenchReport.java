package dev.qrref.cli.bench;

import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's outputs: a fixed-width table (nccl-tests style), CSV, and a Markdown report with the bound of every
 * row, the targets of issue 17 checked against what was measured, and the small-message table under graph replay.
 */
public final class BenchReport {
    /** Sizes at and above this count for the large-size targets. */
    public static final long TARGET_MIN_ELEMENTS = 64L << 20;
    /** INT4, INT6: at least this fraction of the bound; FP: of its L2 term. */
    public static final double TARGET_INT = 0.80;
    public static final double TARGET_FP_L2 = 0.85;
    /** INT4 within this factor of the W concurrent copies. */
    public static final double TARGET_VS_COPY = 1.25;
    /** Small messages under graph replay, at or below 256 KiB per rank. */
    public static final double TARGET_SMALL_US = 6.0;
    public static final long SMALL_MAX_BYTES = 256L << 10;

    private BenchReport() {
    }

    /** The explanation printed with every table. */
    public static final String BOUND_NOTE = "bound = max(t0, (W*2N + max(0, W*2N - C)) / B_HBM, W*(4 + 4b)*N / B_L2): every rank's "
            + "input (2N bytes) comes from HBM (the calls rotate over input sets several L2 sizes large); the outputs are the "
            + "same buffers every call, so up to the L2 size C of them can stay in L2 and only the rest must reach HBM; every "
            + "byte passes through L2: input, output and the slots (phase 1 and 2 written and read, 4bN bytes per rank, b = "
            + "stride/2048 wire bytes per element with the scales). B_HBM and B_L2: the fastest of cudaMemcpy, a 16-byte copy "
            + "kernel and a 16-byte read kernel, on 1 GiB buffers and on an 8 MiB pair that stays in L2 (the kernels sweep it "
            + "repeatedly in one launch and load past L1), measured in the same process; t0: the fastest 8-element call (one tile: W launches and two flag round trips). The terms are combined "
            + "by max, not summed: later ranks' launches and flag waits overlap the data movement of ranks already running. "
            + "ratio = bound / measured (at most 100 %); copies = W concurrent cudaMemcpyAsync of each rank's input to its "
            + "output over the same inputs, timed the same way.";

    /** The measured rates, one line. */
    public static String ratesLine(GpuBench.Rates r) {
        return String.format(Locale.ROOT, "B_HBM = %.0f GB/s (1 GiB: memcpy %.0f, copy kernel %.0f, read kernel %.0f), "
                        + "B_L2 = %.0f GB/s (8 MiB: memcpy %.0f, copy kernel %.0f, read kernel %.0f), C = %.1f MiB",
                r.hbmGbps(), r.hbm().memcpyGbps(), r.hbm().copyKernelGbps(), r.hbm().readKernelGbps(), r.l2Gbps(), r.l2().memcpyGbps(),
                r.l2().copyKernelGbps(), r.l2().readKernelGbps(), r.l2Bytes() / 1048576.0);
    }

    public static String header(String device, GpuBench.Rates rates) {
        return String.format(Locale.ROOT, "# qr bench: %s%n# %s%n"
                        + "# %s%n#%n# %2s %-5s %-9s %11s %9s %10s %9s %9s %8s %9s %9s %4s %7s %9s %6s%n", device, ratesLine(rates),
                BOUND_NOTE, "W", "codec", "path", "elements", "MiB/rank", "time(us)", "p10(us)", "p90(us)", "t0(us)", "HBM(us)",
                "L2(us)", "bind", "ratio", "copies(us)", "x copy");
    }

    public static String line(BenchRow r) {
        return String.format(Locale.ROOT, "  %3d %-5s %-9s %11d %9.3f %10.2f %9.2f %9.2f %8.2f %9.2f %9.2f %4s %6.1f%% %9.2f %6.2f%n",
                r.worldSize(), r.codec().cliName(), r.path().id(), r.n(), 2.0 * r.n() / (1 << 20), r.medianUs(), r.p10Us(), r.p90Us(),
                r.bound().t0Us(), r.hbmUs(), r.l2Us(), r.binding(), 100 * r.ratio(), r.copyUs(), r.vsCopy());
    }

    public static String graphHeader() {
        return String.format(Locale.ROOT, "# small messages, CUDA-graph replay (no host launch cost), fp16, profile cuda%n"
                + "# %2s %-5s %11s %10s %13s %9s %9s%n", "W", "codec", "elements", "KiB/rank", "us/call", "p10", "p90");
    }

    public static String graphLine(GpuBench.GraphRow g) {
        return String.format(Locale.ROOT, "  %3d %-5s %11d %10.1f %13.2f %9.2f %9.2f%n", g.worldSize(), g.codec().cliName(), g.n(),
                2.0 * g.n() / 1024, g.perCallUs(), g.p10Us(), g.p90Us());
    }

    public static List<String> csv(String device, List<BenchRow> rows) {
        List<String> out = new ArrayList<>();
        out.add("device,world,codec,path,elements,bytes_per_rank,median_us,p10_us,p90_us,iters,input_sets,algbw_gbps,hbm_gbps,l2_gbps,"
                + "t0_us,hbm_term_us,l2_term_us,binding,bound_us,bound_ratio,copies_us,vs_copies,grid_cap,slot_bytes");
        for (BenchRow r : rows) {
            out.add(String.format(Locale.ROOT, "\"%s\",%d,%s,%s,%d,%d,%.3f,%.3f,%.3f,%d,%d,%.2f,%.1f,%.1f,%.3f,%.3f,%.3f,%s,%.3f,%.4f,%.3f,%.4f,%d,%d",
                    device.replace("\"", "'"), r.worldSize(), r.codec().cliName(), r.path().id(), r.n(), 2 * r.n(), r.medianUs(), r.p10Us(),
                    r.p90Us(), r.iters(), r.sets(), r.algbwGbps(), r.bound().hbmGbps(), r.bound().l2Gbps(), r.bound().t0Us(), r.hbmUs(),
                    r.l2Us(), r.binding(), r.boundUs(), r.ratio(), r.copyUs(), r.vsCopy(), r.gridCap(), r.slotBytes()));
        }
        return out;
    }

    public static List<String> graphCsv(String device, List<GpuBench.GraphRow> rows) {
        List<String> out = new ArrayList<>();
        out.add("device,world,codec,elements,bytes_per_rank,calls_per_graph,us_per_call,p10_us,p90_us");
        for (GpuBench.GraphRow g : rows) {
            out.add(String.format(Locale.ROOT, "\"%s\",%d,%s,%d,%d,%d,%.3f,%.3f,%.3f", device.replace("\"", "'"), g.worldSize(),
                    g.codec().cliName(), g.n(), 2 * g.n(), g.callsPerGraph(), g.perCallUs(), g.p10Us(), g.p90Us()));
        }
        return out;
    }

    /** Every row whose ratio exceeds 100 %: the bound would be wrong there. */
    public static List<BenchRow> boundViolations(List<BenchRow> rows) {
        return rows.stream().filter(r -> r.ratio() > 1.0).toList();
    }

    /** Markdown: machine, method, the targets, the full table and the small-message table. */
    public static String markdown(String device, String when, GpuBench.Rates rates, String method, List<BenchRow> rows,
                                  List<GpuBench.GraphRow> graphs) {
        StringBuilder md = new StringBuilder("# All-reduce time on one GPU, all ranks co-resident\n\n");
        md.append("- machine: ").append(device).append('\n');
        md.append("- date: ").append(when).append('\n');
        md.append("- rates (this run; copies count bytes read + written, the read kernel bytes read): ").append(ratesLine(rates))
                .append('\n');
        md.append("- method: ").append(method).append("\n\n");
        md.append(BOUND_NOTE).append("\n\n");
        List<BenchRow> bad = boundViolations(rows);
        md.append(bad.isEmpty() ? "No row exceeds its bound (every ratio is at most 100 %).\n\n"
                : "**" + bad.size() + " row(s) exceed their bound: the bound is wrong there.**\n\n");
        md.append("## Targets (N >= 64 Mi elements per rank)\n\n| W | codec | path | elements | time us | bound us | binds | ratio | "
                + "target | copies us | x copy | met |\n|---:|---|---|---:|---:|---:|---|---:|---|---:|---:|---|\n");
        int met = 0;
        int checked = 0;
        for (BenchRow r : rows) {
            if (r.n() < TARGET_MIN_ELEMENTS) {
                continue;
            }
            String target;
            boolean ok;
            if (r.codec() == QuantLevel.F16) {
                double l2Ratio = r.l2Us() / r.medianUs();
                target = String.format(Locale.ROOT, "L2 term >= %.0f %% (%.0f %%)", 100 * TARGET_FP_L2, 100 * l2Ratio);
                ok = l2Ratio >= TARGET_FP_L2;
            } else if (r.codec() == QuantLevel.INT4) {
                target = String.format(Locale.ROOT, ">= %.0f %%, <= %.2fx copy", 100 * TARGET_INT, TARGET_VS_COPY);
                ok = r.ratio() >= TARGET_INT && r.vsCopy() <= TARGET_VS_COPY;
            } else if (r.codec() == QuantLevel.INT6) {
                target = String.format(Locale.ROOT, ">= %.0f %%", 100 * TARGET_INT);
                ok = r.ratio() >= TARGET_INT;
            } else {
                continue;
            }
            checked++;
            met += ok ? 1 : 0;
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %.1f | %.1f | %s | %.0f %% | %s | %.1f | %.2f | %s |%n",
                    r.worldSize(), r.codec().cliName(), r.path().id(), r.n(), r.medianUs(), r.boundUs(), r.binding(), 100 * r.ratio(),
                    target, r.copyUs(), r.vsCopy(), ok ? "yes" : "**no**"));
        }
        md.append(String.format(Locale.ROOT, "%nTargets met: %d of %d rows.%n", met, checked));
        if (!graphs.isEmpty()) {
            md.append(String.format(Locale.ROOT, "%n## Small messages under CUDA-graph replay: target <= %.0f us at <= %d KiB per rank%n%n",
                    TARGET_SMALL_US, SMALL_MAX_BYTES >> 10));
            md.append("| W | codec | KiB/rank | us/call | p10 | p90 | met |\n|---:|---|---:|---:|---:|---:|---|\n");
            for (GpuBench.GraphRow g : graphs) {
                boolean small = 2 * g.n() <= SMALL_MAX_BYTES;
                md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.2f | %.2f | %.2f | %s |%n", g.worldSize(), g.codec().cliName(),
                        2.0 * g.n() / 1024, g.perCallUs(), g.p10Us(), g.p90Us(),
                        !small ? "-" : g.perCallUs() <= TARGET_SMALL_US ? "yes" : "**no**"));
            }
        }
        md.append("\n## Every size\n\n```\n").append(header(device, rates));
        for (BenchRow r : rows) {
            md.append(line(r));
        }
        if (!graphs.isEmpty()) {
            md.append('\n').append(graphHeader());
            for (GpuBench.GraphRow g : graphs) {
                md.append(graphLine(g));
            }
        }
        md.append("```\n");
        return md.toString();
    }
}
