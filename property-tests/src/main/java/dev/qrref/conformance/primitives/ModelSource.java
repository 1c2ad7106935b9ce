package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

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
    private final Map<ArithPolicy, List<Profile>> policies = new LinkedHashMap<>();

    /** The policies as an NVIDIA build assigns them: each profile's fp16 policy from its row, bf16 for every profile. */
    public ModelSource() {
        for (ArithPolicy a : ArithPolicy.values()) {
            List<Profile> implemented = java.util.Arrays.stream(Profile.values())
                    .filter(p -> a == ArithPolicy.BF16 || p.nvidiaFp16Policy() == a).toList();
            if (!implemented.isEmpty()) {
                policies.put(a, implemented);
            }
        }
    }

    @Override
    public String describe() {
        return "CPU model stand-in (no hardware: each policy computed by its first profile's model)";
    }

    @Override
    public Map<ArithPolicy, List<Profile>> policies() {
        return policies;
    }

    @Override
    public int[] run(Primitive op, ArithPolicy policy, Profile fp8As, int[] inputs) {
        Profile as = op.fp8() ? fp8As : policies.get(policy).get(0);
        int[] out = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            out[i] = ProfileModel.expected(op, policy.format, as, inputs[i]);
        }
        return out;
    }
}
