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
        // The closed lists of the C ABI, each value with its explicit code (CHeaderGenerator also emits them as lists).
        for (QuantLevel q : QuantLevel.values()) {
            out.add(new Constant("QUANT_" + q.name(), q.code, 32, q.cliName(), "codec (QuantLevel)", "abi"));
        }
        for (DType d : DType.values()) {
            out.add(new Constant("DTYPE_" + d.name(), d.code, 32, d.id(), "element type (DType)", "abi"));
        }
        for (DataPath p : DataPath.values()) {
            out.add(new Constant("PATH_" + p.name(), p.code, 32, p.id(), "data path (DataPath)", "abi"));
        }
        for (Profile p : Profile.values()) {
            out.add(new Constant("PROFILE_" + p.name(), p.code, 32, p.id(), "numerics profile (Profile)", "abi"));
        }
        for (Fp8Format f : Fp8Format.values()) {
            out.add(new Constant("FP8_FORMAT_" + f.name(), f.code, 32, f.id(), "fp8 format (Fp8Format)", "abi"));
        }
        for (Status st : Status.values()) {
            out.add(new Constant("STATUS_" + st.name(), st.code, 32, st.meaning, "status code (Status)", "abi"));
        }
        for (CommsState st : CommsState.values()) {
            out.add(new Constant("STATE_" + st.name(), st.code, 32, st.description, "communicator state (CommsState)", "abi"));
        }
        for (LayoutQuery l : LayoutQuery.values()) {
            out.add(new Constant("LAYOUT_" + l.name(), l.code, 32, l.name().toLowerCase(java.util.Locale.ROOT),
                    "qr_layout_query (LayoutQuery)", "abi"));
        }
        for (Placement pl : Placement.values()) {
            out.add(new Constant("GROUP_" + pl.name(), pl.code, 32, pl.description, "group placement (Placement)", "abi"));
        }
        for (ArithPolicy a : ArithPolicy.values()) {
            out.add(new Constant("ARITH_" + a.name(), a.code, 32, a.id(), "arithmetic policy (ArithPolicy)", "abi"));
        }
        for (Primitive pr : Primitive.values()) {
            out.add(new Constant("PRIM_" + pr.name(), pr.code, 32, pr.id(), "captured primitive (Primitive)", "abi"));
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
