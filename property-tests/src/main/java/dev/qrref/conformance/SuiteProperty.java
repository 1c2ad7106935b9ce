package dev.qrref.conformance;

import dev.qrref.spec.Rule;
import java.util.List;

/** A property that is not a check on one executed case: a sequence of calls, the error contract, a timeout. */
public interface SuiteProperty {
    String name();

    String description();

    List<Rule> rules();

    void run(Target target, SuiteConfig config, Sink sink);

    /** Where a property reports its verdicts. */
    interface Sink {
        void pass(String label);

        void fail(Failure failure);

        void skip(String reason);
    }
}
