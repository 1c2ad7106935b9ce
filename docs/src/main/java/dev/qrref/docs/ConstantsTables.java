package dev.qrref.docs;

import dev.qrref.spec.Constant;
import dev.qrref.spec.Constants;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every constant of {@link Constants#all()}, one table per group, in registry order. Writes
 * {@code constants-<group>.adoc} for each group and {@code constants-all.adoc} with all of them.
 */
final class ConstantsTables {
    private ConstantsTables() {
    }

    static Map<String, List<Constant>> groups() {
        Map<String, List<Constant>> g = new LinkedHashMap<>();
        for (Constant c : Constants.all()) {
            g.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
        }
        return g;
    }

    static void write(Out out) {
        StringBuilder all = new StringBuilder();
        int count = 0;
        for (Map.Entry<String, List<Constant>> e : groups().entrySet()) {
            out.adoc("constants-" + Adoc.id(e.getKey()) + ".adoc", table(e.getKey(), e.getValue(), false));
            all.append("[discrete]\n==== ").append(Adoc.text(capitalise(e.getKey()))).append("\n\n")
                    .append(table(e.getKey(), e.getValue(), true));
            count += e.getValue().size();
        }
        out.adoc("constants-all.adoc", all.toString());
        List<List<String>> status = new ArrayList<>();
        for (dev.qrref.spec.Status st : dev.qrref.spec.Status.values()) {
            String exception = st == dev.qrref.spec.Status.OK ? "–" : Adoc.mono(st.toException("").getClass().getSimpleName());
            status.add(List.of(Adoc.mono(st.name()), Integer.toString(st.code), exception, Adoc.text(st.meaning)));
        }
        out.adoc("api-status.adoc", Adoc.table("Status codes of the C ABI and the Java exceptions they become (dev.qrref.spec.Status)",
                "2,1,2,6", List.of("Status", "Code", "Java exception", "Meaning"), status));
        out.adoc("constants-summary.adoc", Adoc.attr("constants-count", Integer.toString(count))
                + Adoc.attr("constants-groups", String.join(", ", groups().keySet())));
    }

    /** The table of one group; {@code anchors} gives every row the id {@code const-NAME} (only in the appendix). */
    static String table(String group, List<Constant> cs, boolean anchors) {
        List<List<String>> rows = new ArrayList<>();
        for (Constant c : cs) {
            String decimal = c.widthBits() == 16 ? "" : String.format("%,d", c.value());
            rows.add(List.of((anchors ? "[[const-" + c.name() + "]]" : "") + Adoc.mono(c.name()), Adoc.mono(c.hex()), decimal,
                    Adoc.text(c.meaning()), Adoc.text(c.derivation())));
        }
        return Adoc.table("Constants: " + group + " (from dev.qrref.spec.Constants.all())", "3,2,2,3,4",
                List.of("Name", "Bits", "Decimal", "Meaning", "Derivation"), rows, "", "small");
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
