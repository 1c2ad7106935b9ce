package dev.qrref.conformance.properties;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.QrNative;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.Constant;
import dev.qrref.spec.Constants;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.LayoutQuery;
import dev.qrref.spec.QrException;
import dev.qrref.spec.Rule;
import java.util.List;

/**
 * The library under test was compiled from this spec: every constant (the ABI codes of every closed list included) and
 * the buffer-layout arithmetic the library computes equal the spec's. A stale build is caught before any case runs.
 */
public final class CompiledSpec implements SuiteProperty {
    @Override
    public String name() {
        return "compiled-spec";
    }

    @Override
    public String description() {
        return "every spec constant and ABI code compiled into the library, and its layout arithmetic, equal the spec's";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.BUF_REGIONS, Rule.BUF_SLOTS);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        GpuBackend gpu = GpuOnly.of(t, sink, "it reads the native library's compiled constants");
        if (gpu == null) {
            return;
        }
        QrNative nat = gpu.nativeLibrary();
        String repro = "./qr conformance --backend " + t.name() + " --property " + name();
        int ok = 0;
        for (Constant c : Constants.all()) {
            long v;
            try {
                v = nat.specConstant(c.name());
            } catch (QrException e) {
                sink.fail(Failure.message(Rule.BUF_REGIONS, name(), "-", "the library lacks spec constant " + c.name()
                        + ": rebuild it after ./qr gen-header", repro));
                return;
            }
            if (v != c.value()) {
                sink.fail(Failure.message(Rule.BUF_REGIONS, name(), "-", "spec constant " + c.name() + ": library " + v + ", spec "
                        + c.value(), repro));
                return;
            }
            ok++;
        }
        sink.pass(ok + " constants");
        for (int w : Geometry.WORLD_SIZES) {
            BufferLayout l = new BufferLayout(w, 132, 1L << 24);
            for (LayoutQuery q : LayoutQuery.values()) {
                long lib = nat.layoutQuery(w, 132, 1L << 24, q);
                if (lib != q.of(l)) {
                    sink.fail(Failure.message(Rule.BUF_REGIONS, name(), "-", "layout " + q + " W=" + w + ": library " + lib + ", spec "
                            + q.of(l), repro));
                    return;
                }
            }
        }
        sink.pass("layout arithmetic");
    }
}
