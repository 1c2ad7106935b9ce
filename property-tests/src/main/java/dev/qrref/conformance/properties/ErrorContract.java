package dev.qrref.conformance.properties;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.InvalidStateException;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalLong;

/** Bad input gets the documented exception, through both interface levels, on every backend. */
public final class ErrorContract implements SuiteProperty {
    @Override
    public String name() {
        return "error-contract";
    }

    @Override
    public String description() {
        return "wrong world size, rank, N, sizes, call order, use after close and double close raise the documented exceptions";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.API_ARGS, Rule.API_STATE);
    }

    private interface Call {
        void run() throws Exception;
    }

    private void expect(Sink sink, Target t, String label, Class<? extends QrException> type, Rule rule, Call call) {
        try {
            call.run();
            sink.fail(Failure.message(rule, name(), "-", label + ": no exception, expected " + type.getSimpleName(), repro(t)));
        } catch (QrException e) {
            if (type.isInstance(e) && e.getMessage() != null && !e.getMessage().isBlank()) {
                sink.pass(label);
            } else {
                sink.fail(Failure.message(rule, name(), "-", label + ": got " + e.getClass().getSimpleName() + " '" + e.getMessage()
                        + "', expected " + type.getSimpleName(), repro(t)));
            }
        } catch (Exception | Error e) {
            sink.fail(Failure.message(rule, name(), "-", label + ": got " + e + ", expected " + type.getSimpleName(), repro(t)));
        }
    }

    private static String repro(Target t) {
        return "./qr conformance --backend " + t.name() + " --property error-contract";
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        Profile p = t.profiles().iterator().next();
        expect(sink, t, "group W=3", InvalidArgumentException.class, Rule.API_ARGS, () -> t.group(3, 1 << 20, p, 0).close());
        expect(sink, t, "group W=6", InvalidArgumentException.class, Rule.API_ARGS, () -> t.group(6, 1 << 20, p, 0).close());
        expect(sink, t, "group max size not a multiple of 16", InvalidArgumentException.class, Rule.API_ARGS,
                () -> t.group(2, 1000, p, 0).close());
        try (Arena arena = Arena.ofShared()) {
            MemorySegment s = arena.allocate(1 << 18, 16);
            List<MemorySegment> two = List.of(s, s);
            GroupComms g = t.group(2, 1 << 17, p, 0);
            expect(sink, t, "N not a multiple of 8", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> g.allreduce(two, List.of(arena.allocate(1 << 18), arena.allocate(1 << 18)), 12, DType.FP16, QuantLevel.F16, false));
            expect(sink, t, "N = 0", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> g.allreduce(two, two, 0, DType.FP16, QuantLevel.INT4, false));
            expect(sink, t, "N above the max problem size", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> g.allreduce(two, two, (1 << 16) + 8, DType.FP16, QuantLevel.INT4, false));
            expect(sink, t, "one input for W=2", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> g.allreduce(List.of(s), two, 8, DType.FP16, QuantLevel.INT4, false));
            expect(sink, t, "input shorter than 2N bytes", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> g.allreduce(List.of(arena.allocate(16), arena.allocate(16)), two, 64, DType.FP16, QuantLevel.INT4, false));
            g.close();
            expect(sink, t, "group use after close", InvalidStateException.class, Rule.API_STATE,
                    () -> g.allreduce(two, two, 8, DType.FP16, QuantLevel.INT4, false));
            expect(sink, t, "group double close", InvalidStateException.class, Rule.API_STATE, g::close);

            DeviceComms c = t.backend().newComms(t.options(p, 0));
            expect(sink, t, "rank init W=5", InvalidArgumentException.class, Rule.API_ARGS, () -> c.init(5, 0, OptionalLong.empty()));
            expect(sink, t, "rank init rank=W", InvalidArgumentException.class, Rule.API_ARGS, () -> c.init(4, 4, OptionalLong.empty()));
            expect(sink, t, "rank init rank=-1", InvalidArgumentException.class, Rule.API_ARGS, () -> c.init(4, -1, OptionalLong.empty()));
            expect(sink, t, "handle before init", InvalidStateException.class, Rule.API_STATE, c::handle);
            c.init(2, 0, OptionalLong.of(1 << 20));
            expect(sink, t, "init twice", InvalidStateException.class, Rule.API_STATE, () -> c.init(2, 0, OptionalLong.of(1 << 20)));
            expect(sink, t, "allreduce before the handles are opened", InvalidStateException.class, Rule.API_STATE,
                    () -> c.allreduce(s, s, 1024, DType.FP16, QuantLevel.INT4, false));
            expect(sink, t, "wrong number of handles", InvalidArgumentException.class, Rule.API_ARGS,
                    () -> c.openIpcHandles(List.of(c.handle())));
            c.close();
            if (c.status() == CommsState.CLOSED) {
                sink.pass("status after close");
            } else {
                sink.fail(Failure.message(Rule.API_STATE, name(), "-", "status after close is " + c.status(), repro(t)));
            }
            expect(sink, t, "rank use after close", InvalidStateException.class, Rule.API_STATE, c::handle);
            expect(sink, t, "rank double close", InvalidStateException.class, Rule.API_STATE, c::close);
        }
    }
}
