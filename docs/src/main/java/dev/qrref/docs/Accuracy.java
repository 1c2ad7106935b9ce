package dev.qrref.docs;

import dev.qrref.conformance.plot.Axis;
import dev.qrref.conformance.plot.LinePlot;
import dev.qrref.conformance.plot.Stroke;
import dev.qrref.conformance.plot.Svg;
import dev.qrref.cpu.CpuBackend;
import dev.qrref.cpu.codec.Wire;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DType;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Accuracy measured on the CPU model during the build: every codec, W = 2, 4, 8, seeded N(0,1) fp16 inputs on every
 * rank, compared with the exact (binary64) sum of the same fp16 inputs. Writes the table ({@code accuracy-table.adoc}),
 * the run parameters ({@code accuracy-attrs.adoc}) and two plots of the error distribution.
 */
final class Accuracy {
    private Accuracy() {
    }

    static final Profile PROFILE = Profile.CUDA;
    static final long SEED = 1000;
    static final double HIST_RANGE = 0.6;
    static final int BINS = 121;

    /**
     * @param smallRms RMS error / σ over the elements whose exact sum is below {@link #SMALL} σ in magnitude
     * @param largeRms RMS error / σ over the elements whose exact sum is at least {@link #LARGE} σ in magnitude
     */
    record Result(int w, QuantLevel level, double sqnr, double relMae, double maxAbs, double exactFraction, long[] hist, long n,
                  double smallRms, double largeRms) {
    }

    /** Magnitude bands (in σ of the exact sum) in which the error of a uniform and of a floating grid differ. */
    static final double SMALL = 0.25;
    static final double LARGE = 1.5;

    /**
     * A figure expected of the upstream pipeline on Gaussian data, from outside the model, to compare the model with.
     *
     * @param source where the figure comes from, as the guide names it
     */
    record Reference(QuantLevel level, double sqnr, double relMae, String source) {
    }

    /** The research dossier's independent emulation of the fp16 pipeline (Gaussian inputs, W = 2, 4, 8), §10. */
    static final Reference INT3_EMULATION = new Reference(QuantLevel.INT3, 12.2, 0.246,
            "independent emulation of the fp16 pipeline in the project's research dossier");

    static void write(Out out) {
        int n = Integer.getInteger("qr.docs.accuracy.elements", 262144);
        n = Math.max(Geometry.SIZE_MULTIPLE_ELEMENTS, n - n % Geometry.SIZE_MULTIPLE_ELEMENTS);
        Map<QuantLevel, Map<Integer, Result>> res = new EnumMap<>(QuantLevel.class);
        CpuBackend backend = new CpuBackend();
        long t0 = System.nanoTime();
        for (int w : Geometry.WORLD_SIZES) {
            short[][] in = inputs(w, n);
            double[] exact = new double[n];
            double sigma = 0;
            for (int e = 0; e < n; e++) {
                double s = 0;
                for (int r = 0; r < w; r++) {
                    s += Format16.FP16.toDouble(in[r][e]);
                }
                exact[e] = s;
                sigma += s * s;
            }
            sigma = Math.sqrt(sigma / n);
            for (QuantLevel q : QuantLevel.values()) {
                short[] o = run(backend, in, n, q);
                res.computeIfAbsent(q, k -> new java.util.TreeMap<>()).put(w, measure(w, q, exact, sigma, o));
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;

        List<List<String>> rows = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            List<String> row = new ArrayList<>();
            row.add(Adoc.mono(q.name()));
            for (int w : Geometry.WORLD_SIZES) {
                Result r = res.get(q).get(w);
                row.add(Double.isInfinite(r.sqnr) ? "exact" : Num.fixed(r.sqnr, 2));
            }
            for (int w : Geometry.WORLD_SIZES) {
                row.add(Num.fixed(res.get(q).get(w).relMae, 4));
            }
            Result r8 = res.get(q).get(8);
            row.add(Num.fixed(r8.maxAbs, 4));
            row.add(Num.fixed(100 * r8.exactFraction, 1) + " %");
            rows.add(row);
        }
        out.adoc("accuracy-table.adoc", Adoc.table("Accuracy of the CPU model on N(0,1) fp16 inputs, " + String.format("%,d", n)
                        + " elements per rank, profile " + PROFILE.id() + " (measured during this build)", "2,1,1,1,1,1,1,2,2",
                List.of("Codec", "SQNR dB, W=2", "W=4", "W=8", "Rel. MAE, W=2", "W=4", "W=8", "Max |error| / σ, W=8",
                        "Outputs equal to the rounded exact sum, W=8"), rows));
        out.adoc("accuracy-attrs.adoc", Adoc.attr("acc-n", String.format("%,d", n)) + Adoc.attr("acc-seed", Long.toString(SEED))
                + Adoc.attr("acc-profile", PROFILE.id()) + Adoc.attr("acc-millis", Long.toString(millis))
                + perCodec(res) + reference(res, INT3_EMULATION) + fp8Placement(res) + Adoc.attr("acc-range", Num.g(HIST_RANGE)));
        out.adoc("accuracy-plots.adoc", Adoc.image(out.svg("error-by-codec", byCodec(res)), "Distribution of the output error by codec",
                "plot") + Adoc.image(out.svg("error-by-w", byWorld(res)), "Distribution of the INT4 output error for W = 2, 4, 8", "plot"));
    }

    /** {@code acc-<codec>-w8} (SQNR) and {@code acc-<codec>-mae-w8} (relative MAE) for every quantized codec. */
    static String perCodec(Map<QuantLevel, Map<Integer, Result>> res) {
        StringBuilder s = new StringBuilder();
        for (QuantLevel q : QuantLevel.values()) {
            if (q.quantized()) {
                Result r = res.get(q).get(8);
                s.append(Adoc.attr("acc-" + q.cliName() + "-w8", Num.fixed(r.sqnr, 1)))
                        .append(Adoc.attr("acc-" + q.cliName() + "-mae-w8", Num.fixed(r.relMae, 3)));
            }
        }
        return s.toString();
    }

    /**
     * How the model compares with a reference figure, over every W: {@code acc-<codec>-ref-sqnr}, {@code -ref-mae},
     * {@code -ref-source}, the measured range ({@code -sqnr-range}, {@code -mae-range}) and the largest deviations
     * ({@code -sqnr-dev} in dB, {@code -mae-dev} in percent of the reference value).
     */
    static String reference(Map<QuantLevel, Map<Integer, Result>> res, Reference ref) {
        String p = "acc-" + ref.level().cliName() + "-";
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double maeLo = Double.POSITIVE_INFINITY;
        double maeHi = Double.NEGATIVE_INFINITY;
        double dev = 0;
        double maeDev = 0;
        for (Result r : res.get(ref.level()).values()) {
            lo = Math.min(lo, r.sqnr);
            hi = Math.max(hi, r.sqnr);
            maeLo = Math.min(maeLo, r.relMae);
            maeHi = Math.max(maeHi, r.relMae);
            dev = Math.max(dev, Math.abs(r.sqnr - ref.sqnr()));
            maeDev = Math.max(maeDev, Math.abs(r.relMae - ref.relMae()) / ref.relMae());
        }
        return Adoc.attr(p + "ref-sqnr", Num.g(ref.sqnr())) + Adoc.attr(p + "ref-mae", Num.g(ref.relMae()))
                + Adoc.attr(p + "ref-source", ref.source())
                + Adoc.attr(p + "sqnr-range", Num.fixed(lo, 2) + " to " + Num.fixed(hi, 2))
                + Adoc.attr(p + "mae-range", Num.fixed(maeLo, 4) + " to " + Num.fixed(maeHi, 4))
                + Adoc.attr(p + "sqnr-dev", Num.fixed(dev, 2)) + Adoc.attr(p + "mae-dev", Num.fixed(100 * maeDev, 1));
    }

    /** "0.9 dB below" or "1.2 dB above": where {@code a} lies relative to {@code b}. */
    static String relation(double a, double b) {
        return Num.fixed(Math.abs(a - b), 1) + " dB " + (a < b ? "below" : "above");
    }

    /**
     * Where FP8 falls among the integer codecs at W = 8: {@code acc-fp8-vs-int6}, {@code acc-fp8-vs-int8} ("0.9 dB
     * below"), {@code acc-int4-minus-int3} (the dB one bit buys at the low end), and the RMS error in the small and large
     * magnitude bands for every quantized codec ({@code acc-<codec>-small-w8}, {@code acc-<codec>-large-w8}, in units of
     * σ/1000) with the band limits ({@code acc-small}, {@code acc-large}).
     */
    static String fp8Placement(Map<QuantLevel, Map<Integer, Result>> res) {
        Result fp8 = res.get(QuantLevel.FP8).get(8);
        StringBuilder s = new StringBuilder();
        s.append(Adoc.attr("acc-fp8-vs-int6", relation(fp8.sqnr, res.get(QuantLevel.INT6).get(8).sqnr)))
                .append(Adoc.attr("acc-fp8-vs-int8", relation(fp8.sqnr, res.get(QuantLevel.INT8).get(8).sqnr)))
                .append(Adoc.attr("acc-int4-minus-int3", Num.fixed(res.get(QuantLevel.INT4).get(8).sqnr
                        - res.get(QuantLevel.INT3).get(8).sqnr, 1)))
                .append(Adoc.attr("acc-small", Num.g(SMALL))).append(Adoc.attr("acc-large", Num.g(LARGE)));
        for (QuantLevel q : QuantLevel.values()) {
            if (q.quantized()) {
                Result r = res.get(q).get(8);
                s.append(Adoc.attr("acc-" + q.cliName() + "-small-w8", Num.fixed(1000 * r.smallRms, 1)))
                        .append(Adoc.attr("acc-" + q.cliName() + "-large-w8", Num.fixed(1000 * r.largeRms, 1)));
            }
        }
        return s.toString();
    }

    static short[][] inputs(int w, int n) {
        short[][] in = new short[w][n];
        for (int r = 0; r < w; r++) {
            Random rnd = new Random(SEED * 31 + 1000L * w + r);
            for (int e = 0; e < n; e++) {
                in[r][e] = Float.floatToFloat16((float) rnd.nextGaussian());
            }
        }
        return in;
    }

    static short[] run(CpuBackend backend, short[][] in, int n, QuantLevel q) {
        int w = in.length;
        try (Arena arena = Arena.ofShared(); GroupComms g = backend.newGroup(w, 2L * n, CommsOptions.of(PROFILE))) {
            List<MemorySegment> ins = new ArrayList<>();
            List<MemorySegment> outs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                MemorySegment s = arena.allocate(2L * n);
                MemorySegment.copy(in[r], 0, s, Wire.SHORT, 0, n);
                ins.add(s);
                outs.add(arena.allocate(2L * n));
            }
            g.allreduce(ins, outs, n, DType.FP16, q, false);
            short[] o = new short[n];
            MemorySegment.copy(outs.get(0), Wire.SHORT, 0, o, 0, n);
            for (int r = 1; r < w; r++) {
                short[] other = new short[n];
                MemorySegment.copy(outs.get(r), Wire.SHORT, 0, other, 0, n);
                if (!java.util.Arrays.equals(o, other)) {
                    throw new IllegalStateException("accuracy run: rank " + r + " output differs from rank 0 (" + q + ", W=" + w + ")");
                }
            }
            return o;
        }
    }

    static Result measure(int w, QuantLevel q, double[] exact, double sigma, short[] o) {
        double sig = 0;
        double noise = 0;
        double absErr = 0;
        double absRef = 0;
        double max = 0;
        long same = 0;
        double smallSq = 0;
        long smallN = 0;
        double largeSq = 0;
        long largeN = 0;
        long[] hist = new long[BINS];
        for (int e = 0; e < exact.length; e++) {
            double y = Format16.FP16.toDouble(o[e]);
            double err = y - exact[e];
            sig += exact[e] * exact[e];
            noise += err * err;
            absErr += Math.abs(err);
            absRef += Math.abs(exact[e]);
            max = Math.max(max, Math.abs(err) / sigma);
            double z0 = Math.abs(exact[e]) / sigma;
            if (z0 < SMALL) {
                smallSq += err * err;
                smallN++;
            } else if (z0 >= LARGE) {
                largeSq += err * err;
                largeN++;
            }
            if ((Float.floatToFloat16((float) exact[e]) & 0xFFFF) == (o[e] & 0xFFFF)) {
                same++;
            }
            double z = err / sigma;
            int bin = (int) Math.floor((z + HIST_RANGE) / (2 * HIST_RANGE) * BINS);
            if (bin >= 0 && bin < BINS) {
                hist[bin]++;
            }
        }
        double sqnr = noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(sig / noise);
        return new Result(w, q, sqnr, absErr / absRef, max, (double) same / exact.length, hist, exact.length,
                Math.sqrt(smallSq / Math.max(1, smallN)) / sigma, Math.sqrt(largeSq / Math.max(1, largeN)) / sigma);
    }

    static double[] centres() {
        double[] x = new double[BINS];
        for (int i = 0; i < BINS; i++) {
            x[i] = -HIST_RANGE + (i + 0.5) * (2 * HIST_RANGE) / BINS;
        }
        return x;
    }

    static double[] density(Result r) {
        double[] y = new double[BINS];
        double width = 2 * HIST_RANGE / BINS;
        for (int i = 0; i < BINS; i++) {
            y[i] = r.hist[i] == 0 ? Double.NaN : Math.log10(r.hist[i] / (r.n * width));
        }
        return y;
    }

    static Svg byCodec(Map<QuantLevel, Map<Integer, Result>> res) {
        LinePlot p = new LinePlot("Output error of one all-reduce, W = 4, N(0,1) fp16 inputs", "error / σ of the exact sum",
                "density (log scale)", Axis.linear(-HIST_RANGE, HIST_RANGE), Axis.log10(-4, 2.5));
        int c = 0;
        for (QuantLevel q : QuantLevel.values()) {
            if (q.quantized()) {
                p.series(q.name(), centres(), density(res.get(q).get(4)), Stroke.solid(Svg.colour(c)));
                c++;
            }
        }
        return p.render();
    }

    static Svg byWorld(Map<QuantLevel, Map<Integer, Result>> res) {
        LinePlot p = new LinePlot("INT4 output error for W = 2, 4, 8 (same inputs per rank distribution)", "error / σ of the exact sum",
                "density (log scale)", Axis.linear(-HIST_RANGE, HIST_RANGE), Axis.log10(-4, 1.5));
        int c = 0;
        for (int w : Geometry.WORLD_SIZES) {
            String colour = Svg.colour(c * 2 + 1);
            p.series("W = " + w, centres(), density(res.get(QuantLevel.INT4).get(w)), c == 1 ? Stroke.dashed(colour) : Stroke.solid(colour));
            c++;
        }
        return p.render();
    }
}
