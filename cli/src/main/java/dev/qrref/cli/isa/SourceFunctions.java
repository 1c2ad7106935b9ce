package dev.qrref.cli.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which function of a kernel header each line belongs to: {@code qr_compat.h} defines its device functions as
 * {@code QR_DEVICE type name(...) {} ... } closed by a {@code }} in column 0, so a line maps to the function whose body
 * holds it. The ISA check uses it to tell, for example, the instructions of {@code qr_slot_store4} from the rest.
 */
public final class SourceFunctions {
    private record Range(String name, int first, int last) {
    }

    private static final Pattern START = Pattern.compile("^(?:QR_DEVICE|QR_HOST_DEVICE|static inline|__device__)\\b[^(]*?\\b([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");

    private final List<Range> ranges;

    private SourceFunctions(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses the header text (lines numbered from 1, as the debug line table counts them). */
    public static SourceFunctions parse(String text) {
        List<Range> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = START.matcher(lines[i]);
            if (!m.find() || lines[i].strip().endsWith(";")) {
                continue;  // a declaration, not a definition
            }
            int end = i;
            while (end < lines.length && !lines[end].equals("}")) {
                if (end == i && lines[i].strip().endsWith("}")) {
                    break;  // a one-line body
                }
                end++;
            }
            if (end == lines.length) {
                end = i;
            }
            out.add(new Range(m.group(1), i + 1, end + 1));
            i = end;
        }
        return new SourceFunctions(List.copyOf(out));
    }

    /** The function whose definition holds line {@code line}, or null. */
    public String at(int line) {
        for (Range r : ranges) {
            if (line >= r.first && line <= r.last) {
                return r.name;
            }
        }
        return null;
    }

    /** Whether the header defines a function of that name. */
    public boolean defines(String name) {
        return ranges.stream().anyMatch(r -> r.name.equals(name));
    }
}
