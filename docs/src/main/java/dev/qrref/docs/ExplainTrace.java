package dev.qrref.docs;

import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

/**
 * The {@code qr explain} teaching trace of one group, produced by the CLI's own trace code
 * ({@code dev.qrref.cli.explain.GroupTrace} and {@code TraceText}) during the build. Writes {@code explain-int4.adoc}.
 */
final class ExplainTrace {
    private ExplainTrace() {
    }

    static final String GROUP_TRACE = "dev.qrref.cli.explain.GroupTrace";
    static final String TRACE_TEXT = "dev.qrref.cli.explain.TraceText";
    /** The dossier's worked example (a group holding 3.0 and -2.9, and a few small values). */
    static final double[] VALUES = {3, -2.9, 1, 0.5, 0, -1.4};

    static void write(Out out) {
        Optional<Class<?>> trace = Plugins.type(GROUP_TRACE);
        Optional<Class<?>> text = Plugins.type(TRACE_TEXT);
        String command = "./qr explain --codec int4 --values 3,-2.9,1,0.5,0,-1.4";
        if (trace.isEmpty() || text.isEmpty()) {
            out.adoc("explain-int4.adoc", "NOTE: The `qr explain` trace is not part of this build: class `"
                    + (trace.isEmpty() ? GROUP_TRACE : TRACE_TEXT) + "` was not found on the docs module's class path. "
                    + "The hand computation below uses the model's step methods directly.\n\n");
            out.adoc("explain-attrs.adoc", Adoc.attr("explain-command", command) + Adoc.attr("explain-present", "no"));
            return;
        }
        short[] span = new short[64];
        for (int m = 0; m < VALUES.length; m++) {
            span[2 * m] = Float.floatToFloat16((float) VALUES[m]);
        }
        Object t = Plugins.call(trace.get(), "of", new Class<?>[]{QuantLevel.class, DataPath.class, Profile.class, short[].class},
                QuantLevel.INT4, DataPath.FP16, Profile.CUDA, span);
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw);
        Plugins.call(text.get(), "print", new Class<?>[]{trace.get(), String.class, PrintWriter.class}, t,
                VALUES.length + " value(s) from --values rounded to fp16, padded with zeros; the odd group is all zeros", pw);
        pw.flush();
        out.adoc("explain-int4.adoc", Adoc.literal("Output of `" + command + "` (computed during the documentation build)",
                "$ " + command + "\n" + sw));
        out.adoc("explain-attrs.adoc", Adoc.attr("explain-command", command) + Adoc.attr("explain-present", "yes"));
    }
}
