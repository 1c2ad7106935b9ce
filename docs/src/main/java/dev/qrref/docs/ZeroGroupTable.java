package dev.qrref.docs;

import dev.qrref.conformance.checks.ZeroGroupSign;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * What an all-zero group of sums comes out as, per codec, data path and profile: the value the conformance check
 * {@code zero-group-sign} requires, computed by the same function ({@link ZeroGroupSign#expected}).
 */
final class ZeroGroupTable {
    private ZeroGroupTable() {
    }

    static void write(Out out) {
        List<String> header = new ArrayList<>(List.of("Codec"));
        StringBuilder cols = new StringBuilder("2");
        for (DataPath d : DataPath.values()) {
            for (Profile p : Profile.values()) {
                header.add(d.id() + " " + p.id());
                cols.append(",1");
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (QuantLevel q : QuantLevel.values()) {
            List<String> row = new ArrayList<>(List.of(Adoc.mono(q.cliName())));
            for (DataPath d : DataPath.values()) {
                for (Profile p : Profile.values()) {
                    int v = ZeroGroupSign.expected(q, d, p);
                    Format16 f = d.dtype.format;
                    row.add(Adoc.mono(Format16.hex(v)) + (f.isNaN(v) ? " (NaN)" : v == 0x8000 ? " (−0)" : " (+0)"));
                }
            }
            rows.add(row);
        }
        out.adoc("zero-groups.adoc", Adoc.table("Output of a span that is zero on every rank (computed by the conformance check's rule)",
                cols.toString(), header, rows, "", "small"));
    }
}
