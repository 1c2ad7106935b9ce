package dev.qrref.conformance.properties;

import dev.qrref.conformance.Failure;
import dev.qrref.conformance.SuiteConfig;
import dev.qrref.conformance.SuiteProperty;
import dev.qrref.conformance.Target;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.CommsState;
import dev.qrref.spec.DType;
import dev.qrref.spec.DeviceComms;
import dev.qrref.spec.IpcHandle;
import dev.qrref.spec.PeerTimeoutException;
import dev.qrref.spec.QuantLevel;
import dev.qrref.spec.Rule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A peer that never arrives: rank 0 calls, rank 1 does not. The call must fail with {@link PeerTimeoutException} within
 * a bound instead of hanging, and leave the communicator {@link CommsState#BROKEN}.
 */
public final class PeerTimeout implements SuiteProperty {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Override
    public String name() {
        return "peer-timeout";
    }

    @Override
    public String description() {
        return "a missing peer makes the call fail with a timeout (bounded wait), and the communicator is BROKEN";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.FLAG_WAIT);
    }

    @Override
    public void run(Target t, SuiteConfig config, Sink sink) {
        CommsOptions options = new CommsOptions(t.profiles().iterator().next(), 0, TIMEOUT);
        List<DeviceComms> ranks = new ArrayList<>();
        String repro = "./qr conformance --backend " + t.name() + " --property peer-timeout";
        try (Arena arena = Arena.ofShared()) {
            for (int r = 0; r < 2; r++) {
                DeviceComms c = t.backend().newComms(options);
                c.init(2, r, OptionalLong.of(1 << 20));
                ranks.add(c);
            }
            List<IpcHandle> handles = List.of(ranks.get(0).handle(), ranks.get(1).handle());
            for (DeviceComms c : ranks) {
                c.openIpcHandles(handles);
            }
            MemorySegment s = arena.allocate(1 << 16, 16);
            long t0 = System.nanoTime();
            try {
                ranks.get(0).allreduce(s, s, 4096, DType.FP16, QuantLevel.INT4, false);
                sink.fail(Failure.message(Rule.FLAG_WAIT, name(), "-", "the call returned although rank 1 never called", repro));
                return;
            } catch (PeerTimeoutException e) {
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (seconds > 30) {
                    sink.fail(Failure.message(Rule.FLAG_WAIT, name(), "-", "timed out only after " + seconds + " s (timeout "
                            + TIMEOUT.toMillis() + " ms)", repro));
                } else {
                    sink.pass("timeout after " + Math.round(seconds * 1000) + " ms: " + e.getMessage());
                }
            }
            if (ranks.get(0).status() == CommsState.BROKEN) {
                sink.pass("state BROKEN");
            } else {
                sink.fail(Failure.message(Rule.FLAG_WAIT, name(), "-", "state after the timeout is " + ranks.get(0).status(), repro));
            }
        } catch (RuntimeException e) {
            sink.fail(Failure.message(Rule.FLAG_WAIT, name(), "-", "unexpected " + e, repro));
        } finally {
            for (DeviceComms c : ranks) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // closing a broken communicator may report the break again
                }
            }
        }
    }
}
