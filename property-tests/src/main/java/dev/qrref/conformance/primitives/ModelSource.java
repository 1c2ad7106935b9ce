package dev.qrref.conformance.primitives;

import dev.qrref.spec.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the hardware built from the CPU model: each policy computes as the model of the first profile it
 * implements (native fp16 as cuda, saturating fp16 as cdna3, bf16 as cuda). For runs without a GPU and for tests of
 * the comparison, which may plant differences by wrapping it.
 */
public class ModelSource implements PrimitiveSource {
    private final Map<Policy, List<Profile>> policies = new LinkedHashMap<>();

    public ModelSource() {
        policies.put(Policy.NATIVE_FP16, List.of(Profile.CUDA, Profile.CDNA4));
        policies.put(Policy.SATURATING_FP16, List.of(Profile.CDNA3));
        policies.put(Policy.BF16, List.of(Profile.CUDA, Profile.CDNA3, Profile.CDNA4));
    }

    @Override
    public String describe() {
        return "CPU model stand-in (no hardware: each policy computed by its first profile's model)";
    }

    @Override
    public Map<Policy, List<Profile>> policies() {
        return policies;
    }

    @Override
    public int[] run(Primitive op, Policy policy, int[] inputs) {
        Profile as = policies.get(policy).get(0);
        int[] out = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = ProfileModel.expected(op, policy.format, as, inputs[i]);
        }
        return out;
    }
}
