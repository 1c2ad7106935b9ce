package dev.qrref.conformance;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Coverage classes a suite run must hit (the suite fails when one is missed). Input classes are detected in the
 * generated tensors by {@link CoverageScanner}; configuration classes (one per world size, codec and data path) come from
 * the case itself and are derived from the spec's lists.
 *
 * @param name    upper-case identifier, e.g. {@code ZERO_GROUP} or {@code CODEC_INT3}
 * @param meaning what the class stands for
 */
public record Coverage(String name, String meaning) implements Comparable<Coverage> {
    public static final Coverage ZERO_GROUP = new Coverage("ZERO_GROUP", "a quantization group of zeros");
    public static final Coverage ZERO_SPAN = new Coverage("ZERO_SPAN", "a 64-element span that is zero on every rank");
    public static final Coverage SUBNORMAL = new Coverage("SUBNORMAL", "a subnormal input");
    public static final Coverage NAN = new Coverage("NAN", "a NaN input");
    public static final Coverage INF = new Coverage("INF", "an infinite input");
    public static final Coverage SATURATING_GROUP = new Coverage("SATURATING_GROUP", "a group whose fp16 sum or cast overflows");
    public static final Coverage ALL_EQUAL_GROUP = new Coverage("ALL_EQUAL_GROUP", "a group of 32 equal non-zero values");
    public static final Coverage LOW_AMPLITUDE_GROUP = new Coverage("LOW_AMPLITUDE_GROUP",
            "a non-zero group below the reciprocal cliff: |M| < L/65504 (FP8: absmax < 240/65504)");
    public static final Coverage TIE_GROUP = new Coverage("TIE_GROUP", "a group where +v and -v share the largest magnitude");
    public static final Coverage TAIL_TILE = new Coverage("TAIL_TILE", "N not a multiple of the tile size");
    public static final Coverage MULTI_ITERATION = new Coverage("MULTI_ITERATION", "a block running more than one grid-stride iteration");

    private static final List<Coverage> ALL = all();

    public static Coverage world(int w) {
        return new Coverage("W" + w, "world size " + w);
    }

    public static Coverage codec(QuantLevel q) {
        return new Coverage("CODEC_" + q.cName(), q.cliName() + ": " + q.summary);
    }

    public static Coverage path(DataPath p) {
        return new Coverage("PATH_" + p.name(), p.id() + " data path");
    }

    /** Every class, in report order. */
    public static List<Coverage> values() {
        return ALL;
    }

    private static List<Coverage> all() {
        List<Coverage> out = new ArrayList<>(List.of(ZERO_GROUP, ZERO_SPAN, SUBNORMAL, NAN, INF, SATURATING_GROUP,
                ALL_EQUAL_GROUP, LOW_AMPLITUDE_GROUP, TIE_GROUP, TAIL_TILE, MULTI_ITERATION));
        for (int w : Geometry.WORLD_SIZES) {
            out.add(world(w));
        }
        for (QuantLevel q : QuantLevel.values()) {
            out.add(codec(q));
        }
        for (DataPath p : DataPath.values()) {
            out.add(path(p));
        }
        return List.copyOf(out);
    }

    /** Lower-case id for reports. */
    public String id() {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public int compareTo(Coverage o) {
        return Integer.compare(ALL.indexOf(this), ALL.indexOf(o));
    }

    @Override
    public String toString() {
        return name;
    }
}
