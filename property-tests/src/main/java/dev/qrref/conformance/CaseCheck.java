package dev.qrref.conformance;

import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/**
 * A property checked on every executed case: one body, whatever the backend. The suite executes each case once and
 * hands the run to every check that applies.
 */
public interface CaseCheck {

    /** Short kebab-case name, as reports print it. */
    String name();

    String description();

    /** The rules a pass of this check stands for. */
    List<Rule> rules();

    /** Whether the check says anything about this case on this target. */
    default boolean appliesTo(Target target, CaseSpec spec) {
        return true;
    }

    /** Said in the report when the check applied to no case of a run on {@code target}. */
    default String whyNotApplicable(Target target) {
        return "no case of this run applies";
    }

    /** Whether the check needs the communication buffers. */
    default boolean needsBuffers() {
        return false;
    }

    /** Empty when the case passes. */
    Optional<Failure> check(Target target, CaseRun run, Expected expected);

    /** {@code ./qr conformance --backend B --case ID}. */
    static String repro(Target target, CaseSpec spec) {
        return "./qr conformance --backend " + target.name() + " --case " + spec.id();
    }

    /** The inputs of every rank at one element. */
    static int[] inputsAt(short[][] inputs, long element) {
        int[] v = new int[inputs.length];
        for (int r = 0; r < inputs.length; r++) {
            v[r] = inputs[r][(int) element] & 0xFFFF;
        }
        return v;
    }
}
