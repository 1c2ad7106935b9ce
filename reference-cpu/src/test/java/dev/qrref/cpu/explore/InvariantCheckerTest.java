package dev.qrref.cpu.explore;

import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker on planted bugs: states are tampered with (a block re-executing an action, a flag or slot holding a
 * foreign message) and the step that meets the damage must report the right invariant; planted protocol faults must
 * be found by the explorer.
 */
class InvariantCheckerTest {

    private static final int R0 = 0; // pid of rank0 block0 with one block
    private static final int R1 = 1; // pid of rank1 block0

    private static Model model(int calls) {
        ExplorerConfig.Builder b = ExplorerConfig.builder().worldSize(2).maxBlocks(1);
        for (int i = 0; i < calls; i++) {
            b.call(CallSpec.tiles(1, QuantLevel.F16));
        }
        return new Model(b.build());
    }

    /** Executes the next action of pid, which must be enabled and clean. */
    private static Action step(Model m, int[] s, int pid) {
        assertTrue(m.enabled(s, pid), () -> m.processName(pid) + " is not enabled at " + m.next(s, pid));
        Action a = m.next(s, pid);
        assertNull(m.execute(s, pid), () -> "unexpected violation at " + a);
        return a;
    }

    private static void steps(Model m, int[] s, int pid, int n) {
        for (int i = 0; i < n; i++) {
            step(m, s, pid);
        }
    }

    /** Runs every enabled process round-robin until nothing is enabled; returns the first violation, or null. */
    private static Violation runOut(Model m, int[] s) {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int p = 0; p < m.processes; p++) {
                if (m.enabled(s, p)) {
                    Violation v = m.execute(s, p);
                    if (v != null) {
                        return v;
                    }
                    progress = true;
                }
            }
        }
        return m.checkStuck(s);
    }

    /** rank0 writes and flags phase 1 to both ranks; rank1 does the same and waits for rank0's flag. */
    private static int[] rank1ReadyToReadSender0(Model m) {
        int[] s = m.initialState();
        steps(m, s, R0, 4); // write ->r0, write ->r1, store ->r0, store ->r1
        steps(m, s, R1, 5); // write ->r0, write ->r1, store ->r0, store ->r1, wait flag[0][0]
        assertEquals(Action.Kind.READ_SLOT, m.next(s, R1).kind());
        return s;
    }

    @Test
    void cleanRunHasNoViolation() {
        Model m = model(3);
        int[] s = m.initialState();
        assertNull(runOut(m, s));
        assertTrue(m.allFinished(s));
    }

    @Test
    void rewrittenUnreadSlotIsReported() {
        Model m = model(1);
        int[] s = m.initialState();
        steps(m, s, R0, 2);
        s[R0] = 1; // planted: rank0 sends its phase-1 segment to rank1 a second time before rank1 read the first
        Violation v = m.execute(s, R0);
        assertNotNull(v);
        assertEquals(Invariant.NO_OVERWRITE_BEFORE_READ, v.invariant());
        assertTrue(v.summary().contains("not yet read by rank1 block0"), v.summary());
    }

    @Test
    void rewritingAConsumedSlotIsAllowed() {
        Model m = model(1);
        int[] s = rank1ReadyToReadSender0(m);
        step(m, s, R1); // rank1 consumes rank0's segment
        s[R0] = 1;
        assertNull(m.execute(s, R0));
    }

    @Test
    void readOfAForeignMessageIsReported() {
        Model m = model(1);
        int[] s = rank1ReadyToReadSender0(m);
        Action read = m.next(s, R1);
        int foreign = java.util.Arrays.stream(m.program[R0])
                .filter(a -> a.kind() == Action.Kind.WRITE_SLOT && a.phase() == 2).findFirst().orElseThrow().tagId();
        s[m.oData + read.loc()] = (foreign + 1) * 2;
        Violation v = m.execute(s, R1);
        assertEquals(Invariant.READ_SEES_OWN_WRITE, v.invariant());
        assertTrue(v.summary().contains("sees " + m.tags.get(foreign)), v.summary());
    }

    @Test
    void readOfPartlyOverwrittenBytesIsReported() {
        Model m = model(1);
        int[] s = rank1ReadyToReadSender0(m);
        Action read = m.next(s, R1);
        s[m.oData + read.loc()] = Model.DAMAGED;
        Violation v = m.execute(s, R1);
        assertEquals(Invariant.READ_SEES_OWN_WRITE, v.invariant());
        assertTrue(v.summary().contains("partly overwritten"), v.summary());
    }

    @Test
    void readOfNeverWrittenBytesIsReported() {
        Model m = model(1);
        int[] s = rank1ReadyToReadSender0(m);
        s[m.oData + m.next(s, R1).loc()] = Model.EMPTY;
        Violation v = m.execute(s, R1);
        assertEquals(Invariant.READ_SEES_OWN_WRITE, v.invariant());
        assertTrue(v.summary().contains("never written"), v.summary());
    }

    @Test
    void waitPassingOnAFlagFromAnEarlierCallIsReported() {
        Model m = model(2);
        int[] s = m.initialState();
        // rank1 finishes call 1's phase-1 writes and flags, then call 2 is planted: rank1 jumps to call 2
        int call2 = m.callStart[R1][1];
        s[R1] = call2;
        s[m.oCounter + R1] = 2; // as if call 1 had run
        steps(m, s, R1, 4);
        Action wait = m.next(s, R1);
        assertEquals(Action.Kind.WAIT_FLAG, wait.kind());
        // the flag word still holds rank0's call-1 store with the colour call 2 expects (a repeated colour)
        int call1Store = m.program[R0][3].tagId(); // call1 store P1 flag rank0 -> rank1
        s[m.oFlagVal + wait.loc()] = 2;
        s[m.oFlagTag + wait.loc()] = (call1Store + 1) * 2 + 1;
        assertTrue(m.enabled(s, R1));
        Violation v = m.execute(s, R1);
        assertEquals(Invariant.NO_STALE_FLAG, v.invariant());
        assertTrue(v.summary().contains("(an earlier call)"), v.summary());
    }

    @Test
    void waitPassingOnTheInitialValueIsReported() {
        Model m = model(1);
        int[] s = m.initialState();
        steps(m, s, R1, 4);
        Action wait = m.next(s, R1);
        s[m.oFlagVal + wait.loc()] = 1; // planted: the zeroed flag word reads as colour 1
        Violation v = m.execute(s, R1);
        assertEquals(Invariant.NO_STALE_FLAG, v.invariant());
        assertTrue(v.summary().contains("initial value"), v.summary());
    }

    @Test
    void flagStoredOverAnUnobservedFlagIsReported() {
        Model m = model(1);
        int[] s = m.initialState();
        steps(m, s, R0, 4);
        s[R0] = 3; // planted: store P1 flag -> rank1 again before rank1 waited
        Violation v = m.execute(s, R0);
        assertEquals(Invariant.NO_OVERWRITE_BEFORE_READ, v.invariant());
        assertTrue(v.summary().contains("not yet observed"), v.summary());
    }

    @Test
    void lostFlagDeadlocks() {
        Model m = model(1);
        int[] s = m.initialState();
        steps(m, s, R0, 4);
        Action store = m.program[R0][3];
        s[m.oFlagVal + store.loc()] = 99; // planted: the flag rank1 waits for holds garbage
        Violation v = runOut(m, s);
        assertEquals(Invariant.NO_DEADLOCK, v.invariant());
        assertTrue(String.join("\n", v.details()).contains("holds 99"), v.details().toString());
    }

    @Test
    void unreadSlotAndDivergentCountersAtTheEndAreReported() {
        Model m = model(1);
        int[] s = m.initialState();
        assertNull(runOut(m, s));
        Action write = m.program[R0][0];
        s[m.oData + write.loc()] = (write.tagId() + 1) * 2; // planted: never consumed
        s[m.oCounter + R1] = 7;
        Violation v = m.checkStuck(s);
        assertEquals(Invariant.EVERY_CALL_ENDS, v.invariant());
        String d = String.join("\n", v.details());
        assertTrue(d.contains("never read") && d.contains("counter[block0] differs"), d);
    }

    @Test
    void uncheckedInvariantsDoNotStopTheRun() {
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(1).call(CallSpec.tiles(1, QuantLevel.F16))
                .invariants(EnumSet.of(Invariant.NO_DEADLOCK)).build();
        Model m = new Model(cfg);
        int[] s = m.initialState();
        steps(m, s, R0, 2);
        s[R0] = 1;
        assertNull(m.execute(s, R0));
    }

    @Test
    void plantedProtocolFaultsAreFound() {
        Map<Fault, Invariant> expected = Map.of(
                Fault.FLAG_BEFORE_DATA, Invariant.READ_SEES_OWN_WRITE,
                Fault.SKIP_COUNTER_UPDATE, Invariant.NO_STALE_FLAG,
                Fault.NO_LAUNCH_BARRIER, Invariant.NO_OVERWRITE_BEFORE_READ);
        for (Map.Entry<Fault, Invariant> e : expected.entrySet()) {
            ExplorerResult r = Explorer.run(Scenarios.project().toBuilder().fault(e.getKey()).build());
            assertEquals(ExplorerResult.Verdict.VIOLATION, r.verdict(), e.getKey().name());
            assertEquals(e.getValue(), r.counterexample().orElseThrow().violation().invariant(), e.getKey().name());
        }
    }
}
