package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

import dev.qrref.spec.Profile;
import java.util.List;
import java.util.Map;

/** Where the tables come from: the GPU ({@link GpuPrimitiveSource}), or a stand-in built from the CPU model. */
public interface PrimitiveSource {
    /** One line naming the device (or model) the tables come from. */
    String describe();

    /** The policies this source can run, each with the profiles it implements there (empty: emulation or raw view only). */
    Map<ArithPolicy, List<Profile>> policies();

    /**
     * Runs {@code op} under {@code policy} over {@code inputs} (elements as {@link Primitive#input} says); the fp8
     * primitives convert as profile {@code fp8As}'s columns say (ignored by the others).
     */
    int[] run(Primitive op, ArithPolicy policy, Profile fp8As, int[] inputs);
}
