package dev.qrref.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The registry of every spec constant, in documentation order. */
public final class Constants {
    private Constants() {
    }

    public static List<Constant> all() {
        List<Constant> out = new ArrayList<>();
        out.addAll(Geometry.constants());
        out.addAll(CodecLayout.constants());
        out.addAll(CodecConstants.constants());
        out.addAll(BufferLayout.constants());
        out.addAll(FlagScheme.constants());
        out.add(new Constant("IPC_HANDLE_BYTES", IpcHandle.BYTES, 32, "64 bytes", "sizeof(cudaIpcMemHandle_t) = sizeof(hipIpcMemHandle_t)", "api"));
        for (Format16 f : Format16.values()) {
            String p = f.name() + "_";
            String g = "formats";
            out.add(new Constant(p + "EXPONENT_MASK", f.exponentMask, 16, f.exponentBits + " exponent bits", "((1 << e) - 1) << m", g));
            out.add(new Constant(p + "FRACTION_MASK", f.fractionMask, 16, f.fractionBits + " fraction bits", "(1 << m) - 1", g));
            out.add(new Constant(p + "MAX_FINITE", f.maxFinite, 16, Double.toString(f.toDouble(f.maxFinite)), "exponent mask - 1", g));
            out.add(new Constant(p + "INFINITY", f.positiveInfinity, 16, "+inf", "exponent all ones, fraction 0", g));
        }
        for (QuantLevel q : QuantLevel.values()) {
            out.add(new Constant("QUANT_" + q.name(), q.code, 32, q.cliName(), "seed's QuickReduceQuantLevel", "api"));
        }
        for (DType d : DType.values()) {
            out.add(new Constant("DTYPE_" + d.name(), d.code, 32, d.id(), "C ABI element type", "api"));
        }
        for (Profile p : Profile.values()) {
            out.add(new Constant("PROFILE_" + p.name(), p.code, 32, p.id(), "numerics profile", "api"));
        }
        for (Status s : Status.values()) {
            out.add(new Constant("STATUS_" + s.name(), s.code, 32, s.meaning, "C ABI status code", "api"));
        }
        Set<String> names = new HashSet<>();
        for (Constant c : out) {
            if (!names.add(c.name())) {
                throw new AssertionError("constant declared twice: " + c.name());
            }
        }
        return List.copyOf(out);
    }
}
