package dev.qrref.conformance.properties;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.LeakCheck;
import dev.qrref.spec.Rule;
import java.util.List;

/** Create/init/close cycles of communicators and groups leave neither host nor device memory behind. */
public final class LeakCycles implements SuiteProperty {
    @Override
    public String name() {
        return "leak";
    }

    @Override
    public String description() {
        return "thousands of create/init/all-reduce/close cycles: host RSS and device memory do not grow";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.API_STATE);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        GpuBackend gpu = GpuOnly.of(t, sink, "it measures device memory (the CPU model's buffers are JVM arenas)");
        if (gpu == null) {
            return;
        }
        LeakCheck.Result r = LeakCheck.run(gpu, config.level().pick(1000, 10000));
        if (r.ok()) {
            sink.pass(r.line());
        } else {
            sink.fail(Failure.message(Rule.API_STATE, name(), "-", r.line(), "./qr conformance --backend " + t.name() + " --property leak"));
        }
    }
}
