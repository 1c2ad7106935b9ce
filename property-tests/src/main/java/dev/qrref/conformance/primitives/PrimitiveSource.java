package dev.qrref.conformance.primitives;

import dev.qrref.spec.Profile;
import java.util.List;
import java.util.Map;

/** Where the tables come from: the GPU ({@link GpuPrimitiveSource}), or a stand-in built from the CPU model. */
public interface PrimitiveSource {
    /** One line naming the device (or model) the tables come from. */
    String describe();

    /** The policies this source can run, each with the profiles it implements there (empty: emulation or raw view only). */
    Map<Policy, List<Profile>> policies();

    /** Runs {@code op} under {@code policy} over {@code inputs} (elements as {@link Primitive#input} says). */
    int[] run(Primitive op, Policy policy, int[] inputs);
}
