package dev.qrref.conformance.primitives;

import dev.qrref.spec.ArithPolicy;
import dev.qrref.spec.Primitive;

import dev.qrref.hip.GpuBackend;
import dev.qrref.hip.QrNative;
import dev.qrref.spec.DType;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QrException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables from the GPU: {@code qr_capture_primitive} runs the kernels' own policy functions on the device. Which
 * policy implements which profile comes from the library ({@code qr_profile_arith}); every policy is captured, so the
 * raw hardware view (the native policy) is there even for profiles that run emulated.
 */
public final class GpuPrimitiveSource implements PrimitiveSource {
    private final GpuBackend gpu;
    private final QrNative nat;

    public GpuPrimitiveSource(GpuBackend gpu) {
        this.gpu = gpu;
        this.nat = gpu.nativeLibrary();
    }

    @Override
    public String describe() {
        return gpu.describe();
    }

    @Override
    public Map<ArithPolicy, List<Profile>> policies() {
        Map<ArithPolicy, List<Profile>> out = new LinkedHashMap<>();
        for (ArithPolicy p : ArithPolicy.values()) {
            out.put(p, new ArrayList<>());
        }
        for (Profile prof : Profile.values()) {
            for (DType d : DType.values()) {
                try {
                    out.get(ArithPolicy.fromCode(nat.profileArith(gpu.device(), prof, d.code))).add(prof);
                } catch (QrException e) {
                    // the profile cannot run on this device: no policy implements it
                }
            }
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    @Override
    public int[] run(Primitive op, ArithPolicy policy, Profile fp8As, int[] inputs) {
        int inBytes = Primitive.bytes(op.input);
        int outBytes = Primitive.bytes(op.output);
        long n = inputs.length;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment in = a.allocate(n * inBytes, 16);
            MemorySegment out = a.allocate(n * outBytes, 16);
            for (int i = 0; i < n; i++) {
                if (inBytes == 2) {
                    in.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) inputs[i]);
                } else {
                    in.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, inputs[i]);
                }
            }
            nat.capturePrimitive(gpu.device(), policy.code, op.code, fp8As.fp8Format().code, fp8As.fp8Saturates(), in, n, out);
            int[] res = new int[inputs.length];
            for (int i = 0; i < n; i++) {
                res[i] = outBytes == 2 ? out.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) & 0xFFFF
                        : out.getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i);
            }
            return res;
        }
    }
}
