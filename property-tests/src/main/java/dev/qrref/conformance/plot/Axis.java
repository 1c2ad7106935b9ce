package dev.qrref.conformance.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * One axis of a plot: the range in plot units, where its ticks go and how they are labelled. A logarithmic quantity is
 * plotted as its log10 (the caller passes log10 values), with ticks labelled as the quantity.
 *
 * @param lo     lower end, plot units
 * @param hi     upper end, plot units
 * @param ticks  tick positions, plot units
 * @param label  the label of a tick
 */
public record Axis(double lo, double hi, List<Double> ticks, DoubleFunction<String> label) {

    /** A linear axis with about five round-numbered ticks. */
    public static Axis linear(double lo, double hi) {
        return new Axis(lo, hi, niceTicks(lo, hi), t -> plain(Math.rint(t * 1e6) / 1e6));
    }

    /** A linear axis with ticks every {@code step} from {@code lo}, labelled by {@code label}. */
    public static Axis linear(double lo, double hi, double step, DoubleFunction<String> label) {
        List<Double> t = new ArrayList<>();
        for (double v = lo; v <= hi + 1e-9 * Math.abs(step); v += step) {
            t.add(v);
        }
        return new Axis(lo, hi, t, label);
    }

    /** Values are log10 of the quantity; a tick at every integer, labelled {@code 1eK}. */
    public static Axis log10(double lo, double hi) {
        return log10(lo, hi, k -> "1e" + (long) Math.rint(k));
    }

    /** Values are log10 of the quantity; a tick at every integer, labelled by {@code label} (given the exponent). */
    public static Axis log10(double lo, double hi, DoubleFunction<String> label) {
        List<Double> t = new ArrayList<>();
        for (double k = Math.ceil(lo); k <= hi + 1e-9; k++) {
            t.add(k);
        }
        return new Axis(lo, hi, t, label);
    }

    /** The same range with other ticks. */
    public Axis withTicks(List<Double> ticks, DoubleFunction<String> label) {
        return new Axis(lo, hi, ticks, label);
    }

    /** Fraction of the way from lo to hi. */
    public double fraction(double v) {
        return (v - lo) / (hi - lo);
    }

    static List<Double> niceTicks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 5)));
        if (span / step > 10) {
            step *= 2;
        }
        if (span / step > 10) {
            step *= 2.5;
        }
        for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
            out.add(Math.abs(t) < 1e-12 ? 0 : t);
        }
        return out;
    }

    /** A number without a trailing ".0" and without exponent for everyday magnitudes. */
    static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
