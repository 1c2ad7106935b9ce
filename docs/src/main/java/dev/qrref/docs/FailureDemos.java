package dev.qrref.docs;

import dev.qrref.conformance.plot.Axis;
import dev.qrref.conformance.plot.LinePlot;
import dev.qrref.conformance.plot.Stroke;
import dev.qrref.conformance.plot.Svg;
import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.GroupQuantizer;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.codec.Fp8Quantizer;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small experiments run on the model for the guide's failure stories: the bf16 → fp16 cast that overflows and poisons a
 * group, the low-amplitude reciprocal cliff, what the FP16_OVFL mode bit changes (cdna3 versus cdna4/cuda), and the FP8
 * codec's infinite encoding scale reaching its conversion. Every number is an output of {@link ElementwiseModel},
 * {@link GroupQuantizer} or {@link Fp8Quantizer} under the named profile.
 */
final class FailureDemos {
    private FailureDemos() {
    }

    static final int SPAN = 64;

    static void write(Out out) {
        out.adoc("demo-cast.adoc", cast());
        out.adoc("demo-cliff-attrs.adoc", cliffAttrs());
        out.adoc("demo-cliff.adoc", cliffTable() + Adoc.image(out.svg("cliff", cliffPlot()),
                "SQNR of one quantize/dequantize round trip against the group's amplitude", "plot"));
        out.adoc("demo-profiles.adoc", profiles());
        out.adoc("demo-fp8.adoc", fp8RoundTrips());
        out.adoc("demo-fp8-allreduce.adoc", fp8AllReduce());
        out.adoc("demo-fp8-attrs.adoc", fp8Attrs());
    }

    // ---- 1. bf16 -> fp16 cast overflow ------------------------------------------------------------------------------

    static String cast() {
        Random rnd = new Random(34473);
        short[][] in = new short[2][SPAN];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < SPAN; i++) {
                in[r][i] = (short) Bf16.fromFloatRne((float) rnd.nextGaussian());
            }
        }
        int big = Bf16.fromFloatRne(70000f);
        in[0][0] = (short) big;
        QuantLevel level = QuantLevel.INT8;
        List<List<String>> rows = new ArrayList<>();
        for (DataPath path : new DataPath[]{DataPath.BF16_CAST, DataPath.BF16}) {
            for (Profile p : Profile.values()) {
                NumericsProfile np = NumericsProfile.of(p);
                // rank 0's contribution after one round trip (phase 1), in the compute format
                short[] x0 = new short[SPAN];
                for (int i = 0; i < SPAN; i++) {
                    x0[i] = (short) (path.casts() ? np.castBf16ToFp16(in[0][i] & 0xFFFF) : in[0][i]);
                }
                short[] c0 = ElementwiseModel.roundTrip(x0, level, np, path.compute);
                int phase1Nan = 0;
                for (int m = 0; m < 32; m++) {
                    if (path.compute.isNaN(c0[2 * m] & 0xFFFF)) {
                        phase1Nan++;
                    }
                }
                short[] o = ElementwiseModel.allreduce(in, SPAN, level, path, np);
                int nonFinite = 0;
                int zero = 0;
                int oddNonFinite = 0;
                for (int m = 0; m < 32; m++) {
                    int bits = o[2 * m] & 0xFFFF;
                    if (!Format16.BF16.isFinite(bits)) {
                        nonFinite++;
                    } else if (Format16.BF16.isZero(bits)) {
                        zero++;
                    }
                    if (!Format16.BF16.isFinite(o[2 * m + 1] & 0xFFFF)) {
                        oddNonFinite++;
                    }
                }
                double exact2 = Format16.BF16.toDouble(in[0][2]) + Format16.BF16.toDouble(in[1][2]);
                rows.add(List.of(Adoc.mono(path.id()), Adoc.mono(p.id()),
                        path.casts() ? Adoc.mono(Num.show(Format16.FP16, np.castBf16ToFp16(big))) : "–",
                        phase1Nan + " / 32", Num.g(Format16.BF16.toDouble(o[0])), nonFinite + " / 32", zero + " / 32",
                        Num.g(Format16.BF16.toDouble(o[2])) + " (exact " + Num.g(exact2) + ")", oddNonFinite + " / 32"));
            }
        }
        return Adoc.table("W = 2, INT8, bf16 tensors: rank 0's element 0 is " + Num.g(Format16.BF16.toDouble(big))
                        + " (bf16 " + Format16.hex(big) + "), every other value N(0,1); the even group of that span",
                "2,1,3,2,2,2,2,3,2",
                List.of("Data path", "Profile", "Element 0 after the cast to fp16", "NaN in rank 0's phase-1 contribution",
                        "Output element 0", "Non-finite outputs in the group", "Zero outputs in the group", "Output element 2",
                        "Non-finite outputs in the odd group"),
                rows, "", "small");
    }

    // ---- 2. the low-amplitude reciprocal cliff ---------------------------------------------------------------------

    /** 32 seeded N(0,1) values scaled so that the largest magnitude is {@code a}, rounded to fp16. */
    static int[] group(double a) {
        Random rnd = new Random(40084);
        double[] x = new double[32];
        double max = 0;
        for (int m = 0; m < 32; m++) {
            x[m] = rnd.nextGaussian();
            max = Math.max(max, Math.abs(x[m]));
        }
        int[] g = new int[32];
        for (int m = 0; m < 32; m++) {
            g[m] = Fp16.fromFloatRne((float) (a * x[m] / max));
        }
        return g;
    }

    /** Decoded values of one round trip of {@code g} under profile {@code p}. */
    static int[] roundTrip(QuantLevel level, Profile p, int[] g) {
        Arith16 a = NumericsProfile.of(p).arith(Format16.FP16);
        GroupQuantizer q = new GroupQuantizer(level, a);
        int m = ElementwiseModel.signedAbsMax(Format16.FP16, g);
        int d = q.decodingScale(m);
        int e = q.encodingScale(d);
        int[] out = new int[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = q.decode(q.code(g[i], e), d);
        }
        return out;
    }

    static double sqnr(int[] x, int[] y) {
        double s = 0;
        double n = 0;
        for (int i = 0; i < x.length; i++) {
            double a = Format16.FP16.toDouble(x[i]);
            double b = Format16.FP16.toDouble(y[i]);
            s += a * a;
            n += (b - a) * (b - a);
        }
        if (Double.isNaN(n)) {
            return Double.NaN;
        }
        return n == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(s / n);
    }

    static String cliffTable() {
        QuantLevel level = QuantLevel.INT8;
        int levels = level.layout().levels();
        double cliff = levels / 65504.0;
        double amp = CLIFF_AMP;
        int[] g = group(amp);
        List<List<String>> rows = new ArrayList<>();
        int[][] outs = new int[Profile.values().length][];
        for (Profile p : Profile.values()) {
            outs[p.ordinal()] = roundTrip(level, p, g);
        }
        for (int m = 0; m < 6; m++) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(m));
            row.add(Num.g(Format16.FP16.toDouble(g[m])));
            for (Profile p : Profile.values()) {
                double dv = Format16.FP16.toDouble(outs[p.ordinal()][m]);
                double ratio = dv / Format16.FP16.toDouble(g[m]);
                row.add(Num.g(dv) + " (×" + Num.fixed(ratio, 3) + ")");
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("m", "x"));
        for (Profile p : Profile.values()) {
            header.add("decoded, " + p.id());
        }
        return Adoc.table("One INT8 round trip of a group with absmax " + Num.g(amp) + " (below the cliff at "
                + Num.g(cliff) + ") under each profile: first members", "1,2,3,3,3", header, rows, "", "small");
    }

    static final double CLIFF_AMP = 1e-3;

    /** Attributes for the prose: thresholds per codec and the example group's scales under each profile. */
    static String cliffAttrs() {
        QuantLevel level = QuantLevel.INT8;
        int[] g = group(CLIFF_AMP);
        Arith16 sat = NumericsProfile.of(Profile.CDNA3).arith(Format16.FP16);
        Arith16 inf = NumericsProfile.of(Profile.CUDA).arith(Format16.FP16);
        GroupQuantizer qs = new GroupQuantizer(level, sat);
        int mm = ElementwiseModel.signedAbsMax(Format16.FP16, g);
        int d = qs.decodingScale(mm);
        int max = Format16.FP16.maxFinite;
        double maxV = Format16.FP16.toDouble(max);
        StringBuilder sb = new StringBuilder();
        for (QuantLevel q : QuantLevel.values()) {
            if (q.kind == QuantLevel.Kind.INTEGER) {
                sb.append(Adoc.attr("cliff-" + q.cliName(), Num.g(q.layout().levels() / maxV)));
            }
        }
        // FP8: |d| = a × SF below 1/65504, i.e. a below (1/SF)/65504
        double sfFp8 = Format16.FP16.toDouble(CodecConstants.of(QuantLevel.FP8, Format16.FP16).scaleFactor());
        sb.append(Adoc.attr("cliff-fp8", Num.g(1 / sfFp8 / maxV)));
        int[] out = roundTrip(level, Profile.CDNA3, g);
        double ratioM = 0;
        for (int i = 0; i < g.length; i++) {
            if (g[i] == mm) {
                ratioM = Format16.FP16.toDouble(out[i]) / Format16.FP16.toDouble(g[i]);
            }
        }
        return sb + Adoc.attr("cliff-amp", Num.g(CLIFF_AMP))
                + Adoc.attr("cliff-M", Num.show(Format16.FP16, mm)) + Adoc.attr("cliff-d", Num.show(Format16.FP16, d))
                + Adoc.attr("cliff-recip", Num.g(1.0 / Format16.FP16.toDouble(d)))
                + Adoc.attr("cliff-e-sat", Num.show(Format16.FP16, qs.encodingScale(d)))
                + Adoc.attr("cliff-e-inf", Num.show(Format16.FP16, new GroupQuantizer(level, inf).encodingScale(d)))
                + Adoc.attr("cliff-ratio-M", Num.fixed(ratioM, 3));
    }

    static Svg cliffPlot() {
        double lo = -6;
        double hi = -1;
        int steps = 101;
        QuantLevel[] levels = {QuantLevel.INT8, QuantLevel.INT4};
        Profile[] profiles = {Profile.CDNA3, Profile.CUDA};
        LinePlot plot = new LinePlot("SQNR of one quantize/dequantize round trip vs group amplitude |M| (fp16)", "|M| (log scale)",
                "SQNR (dB)", Axis.log10(lo, hi), Axis.linear(-10, 60));
        int series = 0;
        for (QuantLevel level : levels) {
            for (Profile p : profiles) {
                double[] xs = new double[steps];
                double[] ys = new double[steps];
                for (int i = 0; i < steps; i++) {
                    double e = lo + (hi - lo) * i / (steps - 1);
                    int[] g = group(Math.pow(10, e));
                    double s = sqnr(g, roundTrip(level, p, g));
                    xs[i] = e;
                    ys[i] = Double.isNaN(s) ? -10 : Math.max(-10, Math.min(60, s));
                }
                String colour = Svg.colour(series == 0 ? 0 : series == 1 ? 2 : series == 2 ? 3 : 4);
                plot.series(level.name() + ", " + p.id(), xs, ys, p == Profile.CUDA ? Stroke.dashed(colour) : Stroke.solid(colour));
                series++;
            }
            double cliff = Math.log10(level.layout().levels() / 65504.0);
            plot.vline(cliff, level.name() + " cliff");
        }
        return plot.render();
    }

    // ---- 3. what FP16_OVFL changes -----------------------------------------------------------------------------------

    static String profiles() {
        List<List<String>> rows = new ArrayList<>();
        Profile[] ps = Profile.values();
        // FP codec: 60000 + 60000
        short[][] big = {{(short) Fp16.fromFloatRne(60000f)}, {(short) Fp16.fromFloatRne(60000f)}};
        rows.add(row("FP codec, W = 2: 60000 + 60000 (fp16)", ps, p -> {
            short[][] in = pad(big, 8);
            short[] o = ElementwiseModel.allreduce(in, 8, QuantLevel.F16, DataPath.FP16, NumericsProfile.of(p));
            return Num.show(Format16.FP16, o[0]);
        }));
        for (QuantLevel q : new QuantLevel[]{QuantLevel.INT4, QuantLevel.INT8}) {
            rows.add(row(q.name() + ", W = 2: all-zero input, output bits", ps, p -> {
                short[][] in = new short[2][8];
                short[] o = ElementwiseModel.allreduce(in, 8, q, DataPath.FP16, NumericsProfile.of(p));
                return Num.show(Format16.FP16, o[0]);
            }));
        }
        int b70k = Bf16.fromFloatRne(70000f);
        rows.add(row("bf16 → fp16 cast of " + Num.g(Format16.BF16.toDouble(b70k)) + " (bf16 " + Format16.hex(b70k) + ")", ps, p ->
                Num.show(Format16.FP16, NumericsProfile.of(p).castBf16ToFp16(Bf16.fromFloatRne(70000f)))));
        rows.add(row("rcp(d + EPS) of an all-zero group (fp16, d = -0)", ps, p -> {
            Arith16 a = NumericsProfile.of(p).arith(Format16.FP16);
            GroupQuantizer q = new GroupQuantizer(QuantLevel.INT4, a);
            return Num.show(Format16.FP16, q.encodingScale(q.decodingScale(0)));
        }));
        int[] g = group(1e-3);
        rows.add(row("INT8 round trip, group with |M| = 0.001: member 1 (x = " + Num.g(Format16.FP16.toDouble(g[1])) + ")", ps,
                p -> Num.g(Format16.FP16.toDouble(roundTrip(QuantLevel.INT8, p, g)[1]))));
        List<String> header = new ArrayList<>(List.of("Experiment"));
        for (Profile p : ps) {
            header.add(p.id());
        }
        return Adoc.table("The same inputs under the three profiles (outputs of the CPU model)", "4,2,2,2", header, rows, "", "small");
    }

    // ---- 4. FP8 without a clamp: an infinite encoding scale reaches the fp8 conversion ----------------------------

    /** The amplitude of the FP8 example group: below the FP8 cliff of the fp16 compute format. */
    static final float FP8_AMP = 1e-3f;
    /** The data paths the FP8 demo shows: the two compute formats (bf16-cast computes exactly as fp16 once cast). */
    static final DataPath[] FP8_PATHS = {DataPath.FP16, DataPath.BF16};

    /** {@code {+amp, -amp, 0, ..., 0}} in format {@code f}: the group of {@code qr explain --codec fp8 --values amp,-amp}. */
    static int[] fp8Group(Arith16 a) {
        int[] g = new int[32];
        g[0] = a.fromFloat(FP8_AMP);
        g[1] = a.fromFloat(-FP8_AMP);
        return g;
    }

    static Fp8Quantizer fp8Quantizer(Profile p, Format16 f) {
        NumericsProfile np = NumericsProfile.of(p);
        return new Fp8Quantizer(np.arith(f), np.fp8());
    }

    /** One element through the FP8 codec: "w → code (value) → decoded". */
    static String fp8Element(Fp8Quantizer q, int x, int e, int d) {
        Format16 f = q.arith().format();
        int w = q.scaled(x, e);
        int code = q.code(x, e);
        return Num.g(f.toDouble(w)) + " → " + Fp8Formats.hex8(code) + " (" + Num.g(q.fp8().toFloat(code)) + ") → "
                + Num.g(f.toDouble(q.decode(code, d)));
    }

    static String fp8RoundTrips() {
        List<List<String>> rows = new ArrayList<>();
        for (boolean zero : new boolean[]{false, true}) {
            for (DataPath path : FP8_PATHS) {
                for (Profile p : Profile.values()) {
                    Fp8Quantizer q = fp8Quantizer(p, path.compute);
                    Format16 f = path.compute;
                    int[] g = zero ? new int[32] : fp8Group(q.arith());
                    int a = ElementwiseModel.absMax(f, g);
                    int d = q.decodingScale(a);
                    int e = q.encodingScale(d);
                    rows.add(List.of(zero ? "all zero" : "±" + Num.g(FP8_AMP) + ", zeros", Adoc.mono(path.id()), Adoc.mono(p.id()),
                            Adoc.mono(p.fp8Format().id()), Num.g(f.toDouble(d)), Adoc.text(Num.g(f.toDouble(e))),
                            zero ? "–" : Adoc.text(fp8Element(q, g[0], e, d)), zero ? "–" : Adoc.text(fp8Element(q, g[1], e, d)),
                            Adoc.text(fp8Element(q, g[2], e, d))));
                }
            }
        }
        return Adoc.table("One FP8 round trip of the group {" + Num.g(FP8_AMP) + ", " + Num.g(-FP8_AMP)
                        + ", 0, ..., 0} and of an all-zero group (outputs of the CPU model's FP8 quantizer)", "2,1,1,1,2,2,4,4,4",
                List.of("Group", "Data path", "Profile", "fp8 format", "d = a × SF", "e = rcp(d + EPS)",
                        "x = " + Num.g(FP8_AMP) + ": w → code (value) → decoded", "x = " + Num.g(-FP8_AMP), "x = 0"),
                rows, "", "small");
    }

    /**
     * W = 2 all-reduces through the element-wise model: rank 0's even group of span 0 is all zero, or seeded N(0,1)
     * values scaled to absmax {@link #FP8_AMP}; rank 1 holds N(0,1) values. Counts the non-finite outputs of that group.
     */
    static String fp8AllReduce() {
        List<List<String>> rows = new ArrayList<>();
        for (DataPath path : DataPath.values()) {
            for (Profile p : Profile.values()) {
                List<String> row = new ArrayList<>(List.of(Adoc.mono(path.id()), Adoc.mono(p.id())));
                for (boolean zero : new boolean[]{true, false}) {
                    short[] o = ElementwiseModel.allreduce(fp8Inputs(path, zero), SPAN, QuantLevel.FP8, path, NumericsProfile.of(p));
                    int nonFinite = 0;
                    for (int m = 0; m < 32; m++) {
                        if (!path.dtype.format.isFinite(o[2 * m] & 0xFFFF)) {
                            nonFinite++;
                        }
                    }
                    row.add(nonFinite + " / 32");
                }
                rows.add(row);
            }
        }
        return Adoc.table("W = 2, FP8: rank 0's even group of span 0 is all zero, or seeded N(0,1) values scaled to absmax "
                        + Num.g(FP8_AMP) + "; every other input N(0,1). Non-finite outputs of that group on every rank "
                        + "(element-wise model)", "2,1,2,2",
                List.of("Data path", "Profile", "Rank 0's group all zero", "Rank 0's group with absmax " + Num.g(FP8_AMP)), rows, "", "small");
    }

    static short[][] fp8Inputs(DataPath path, boolean zeroGroup) {
        Random rnd = new Random(4070);
        Format16 f = path.dtype.format;
        short[][] in = new short[2][SPAN];
        for (int r = 0; r < 2; r++) {
            for (int i = 0; i < SPAN; i++) {
                float v = (float) rnd.nextGaussian();
                in[r][i] = (short) (f == Format16.FP16 ? Fp16.fromFloatRne(v) : Bf16.fromFloatRne(v));
            }
        }
        int[] quiet = group(FP8_AMP);
        for (int m = 0; m < 32; m++) {
            float v = zeroGroup ? 0f : (float) Format16.FP16.toDouble(quiet[m]);
            in[0][2 * m] = (short) (f == Format16.FP16 ? Fp16.fromFloatRne(v) : Bf16.fromFloatRne(v));
        }
        return in;
    }

    /**
     * Attributes for the FP8 story: the example's numbers under each profile ({@code fp8-demo-*}), and the exact edge
     * of the hazard in fp16 under {@code cuda}: the largest abs-max whose encoding scale is infinite
     * ({@code fp8-rcp-inf-last}; every smaller one, zero included, is infinite too).
     */
    static String fp8Attrs() {
        StringBuilder sb = new StringBuilder();
        sb.append(Adoc.attr("fp8-demo-amp", Num.g(FP8_AMP)));
        for (DataPath path : FP8_PATHS) {
            for (Profile p : Profile.values()) {
                Fp8Quantizer q = fp8Quantizer(p, path.compute);
                Format16 f = path.compute;
                int[] g = fp8Group(q.arith());
                int d = q.decodingScale(ElementwiseModel.absMax(f, g));
                int e = q.encodingScale(d);
                String k = "fp8-demo-" + path.id() + "-" + p.id() + "-";
                int dec = q.decode(q.code(g[0], e), d);
                int zeroDec = q.decode(q.code(0, q.encodingScale(q.decodingScale(0))), q.decodingScale(0));
                sb.append(Adoc.attr(k + "d", Num.g(f.toDouble(d))))
                        .append(Adoc.attr(k + "e", Num.g(f.toDouble(e))))
                        .append(Adoc.attr(k + "code", Fp8Formats.hex8(q.code(g[0], e))))
                        .append(Adoc.attr(k + "decoded", Num.g(f.toDouble(dec))))
                        .append(Adoc.attr(k + "ratio", Num.fixed(f.toDouble(dec) / f.toDouble(g[0]), 3)))
                        .append(Adoc.attr(k + "zero", Num.g(f.toDouble(zeroDec))));
            }
        }
        // the edge: scan every positive finite fp16 abs-max under the profile without saturation
        Fp8Quantizer q = fp8Quantizer(Profile.CUDA, Format16.FP16);
        int last = -1;
        for (int a = 0; a < Format16.FP16.positiveInfinity; a++) {
            if (Format16.FP16.isInfinite(q.encodingScale(q.decodingScale(a)))) {
                if (last != a - 1) {
                    throw new IllegalStateException("FP8: the abs-max values with an infinite encoding scale are not one range from 0");
                }
                last = a;
            }
        }
        sb.append(Adoc.attr("fp8-rcp-inf-last", Num.g(Format16.FP16.toDouble(last)) + " (" + Format16.hex(last) + ")"));
        return sb.toString();
    }

    interface Cell {
        String of(Profile p);
    }

    static List<String> row(String label, Profile[] ps, Cell c) {
        List<String> r = new ArrayList<>();
        r.add(Adoc.text(label));
        for (Profile p : ps) {
            r.add(Adoc.mono(c.of(p)));
        }
        return r;
    }

    static short[][] pad(short[][] in, int n) {
        short[][] out = new short[in.length][n];
        for (int r = 0; r < in.length; r++) {
            System.arraycopy(in[r], 0, out[r], 0, in[r].length);
        }
        return out;
    }
}
