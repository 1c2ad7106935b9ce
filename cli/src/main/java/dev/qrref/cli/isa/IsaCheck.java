package dev.qrref.cli.isa;

import dev.qrref.spec.Profile;
import dev.qrref.spec.ProfileIsa;
import dev.qrref.spec.ProfileIsa.InstructionClass;
import dev.qrref.spec.ProfileIsa.Presence;
import dev.qrref.spec.ProfileIsa.Scope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks the kernels of one disassembled code object against a profile's row of {@link ProfileIsa}: the MODE write,
 * then every instruction class of the kernel's arithmetic policy. A mismatch is one line naming the target, the
 * object, the kernel, the instruction found (with its address and source line) and the one the profile assumes.
 */
public final class IsaCheck {

    /** One kernel checked: its short name and the mismatches found in it. */
    public record KernelResult(String kernel, boolean checked, List<String> mismatches) {
    }

    private IsaCheck() {
    }

    /**
     * Checks every function of {@code dis}. {@code sources} gives the function map of a source file named in the line
     * table (by its path as printed); the classes' functions live in {@code qr_compat.h}.
     */
    public static List<KernelResult> check(String target, String object, Disassembly dis, Profile profile,
                                           Function<String, SourceFunctions> sources) {
        ProfileIsa row = profile.isa();
        List<KernelResult> out = new ArrayList<>();
        for (Disassembly.Function f : dis.functions()) {
            KernelName k = KernelName.of(f.name());
            if (k.policy() == null) {
                out.add(new KernelResult(f.name(), false, List.of()));
                continue;
            }
            String prefix = target + " " + object + " " + k.shortName(f.name()) + ": ";
            List<String> mismatches = new ArrayList<>();
            checkMode(row, f, prefix, mismatches);
            for (InstructionClass c : row.classes()) {
                if (c.policies().contains(k.policy())) {
                    checkClass(row, c, k, f, sources, prefix, mismatches);
                }
            }
            out.add(new KernelResult(k.shortName(f.name()), true, List.copyOf(mismatches)));
        }
        return out;
    }

    private static void checkMode(ProfileIsa row, Disassembly.Function f, String prefix, List<String> mismatches) {
        String profile = row.profile().id();
        Disassembly.Instruction write = null;
        Disassembly.Instruction firstSensitive = null;
        Disassembly.Instruction firstBranch = null;
        for (Disassembly.Instruction i : f.instructions()) {
            if (i.mnemonic().startsWith("s_setreg") && i.operands().contains("HW_REG_MODE")) {
                if (row.modeWrite() == ProfileIsa.ModeWrite.NEVER) {
                    mismatches.add(prefix + "FP16_OVFL: found " + i.text() + " at " + i.where() + ", profile " + profile
                            + " assumes no MODE write");
                } else if (!i.text().replaceAll("\\s+", " ").equals(ProfileIsa.MODE_WRITE)) {
                    mismatches.add(prefix + "FP16_OVFL: found " + i.text() + " at " + i.where() + ", profile " + profile
                            + " assumes " + ProfileIsa.MODE_WRITE);
                } else if (write == null) {
                    write = i;
                }
                continue;
            }
            if (firstSensitive == null && matchesAny(ProfileIsa.MODE_SENSITIVE, i)) {
                firstSensitive = i;
            }
            if (firstBranch == null && (i.mnemonic().startsWith("s_branch") || i.mnemonic().startsWith("s_cbranch")
                    || i.mnemonic().startsWith("s_setpc") || i.mnemonic().startsWith("s_swappc"))) {
                firstBranch = i;
            }
        }
        if (row.modeWrite() != ProfileIsa.ModeWrite.SET_AT_ENTRY) {
            return;
        }
        if (write == null) {
            mismatches.add(prefix + "FP16_OVFL: no MODE write" + (firstSensitive == null ? ""
                    : " (first fp16 instruction " + firstSensitive.text() + " at " + firstSensitive.where() + ")")
                    + ", profile " + profile + " assumes " + ProfileIsa.MODE_WRITE + " at kernel entry");
            return;
        }
        if (firstSensitive != null && firstSensitive.address() < write.address()) {
            mismatches.add(prefix + "FP16_OVFL: found " + firstSensitive.text() + " at " + firstSensitive.where()
                    + " before the MODE write at " + write.where() + ", profile " + profile + " assumes the write first");
        }
        if (firstBranch != null && firstBranch.address() < write.address()) {
            mismatches.add(prefix + "FP16_OVFL: found " + firstBranch.text() + " at " + firstBranch.where()
                    + " before the MODE write at " + write.where() + ", profile " + profile
                    + " assumes the write in the entry block");
        }
    }

    private static void checkClass(ProfileIsa row, InstructionClass c, KernelName k, Disassembly.Function f,
                                   Function<String, SourceFunctions> sources, String prefix, List<String> mismatches) {
        String assumes = String.join(" or ", c.expected().isEmpty() ? List.of("none of " + String.join(", ", c.forbidden()))
                : c.expected());
        boolean present = false;
        Set<String> reported = new LinkedHashSet<>();
        for (Disassembly.Instruction i : f.instructions()) {
            if (!inScope(c, i, sources)) {
                continue;
            }
            if (matchesAny(c.forbidden(), i)) {
                // one line per distinct instruction and source line: a loop unrolled 8 times is one finding
                String key = i.base() + "@" + i.file() + ":" + i.line();
                if (reported.add(key)) {
                    mismatches.add(prefix + c.name() + ": found " + i.text() + " at " + i.where() + ", profile "
                            + row.profile().id() + " assumes " + assumes);
                }
            } else if (matchesAny(c.expected(), i)) {
                present = true;
            }
        }
        if (!present && required(c.presence(), k)) {
            mismatches.add(prefix + c.name() + ": found no " + String.join(" or ", c.expected())
                    + (c.scope() == Scope.SOURCE ? " from " + String.join(", ", c.functions()) : "") + ", profile "
                    + row.profile().id() + " assumes " + assumes);
        }
    }

    private static boolean inScope(InstructionClass c, Disassembly.Instruction i, Function<String, SourceFunctions> sources) {
        if (c.scope() == Scope.KERNEL) {
            return true;
        }
        boolean fromFunctions = false;
        if (i.file() != null) {
            SourceFunctions map = sources.apply(i.file());
            String fn = map == null ? null : map.at(i.line());
            fromFunctions = fn != null && c.functions().contains(fn);
        }
        return c.scope() == Scope.SOURCE ? fromFunctions : !fromFunctions;
    }

    private static boolean required(Presence p, KernelName k) {
        boolean capture = k.family().equals("capture");
        return switch (p) {
            case EVERY_KERNEL -> true;
            case QUANTIZED -> capture || k.codec().quantized();
            case CLAMPING -> capture || k.codec().kind == dev.qrref.spec.QuantLevel.Kind.INTEGER;
            case CAST_PATH -> capture || k.path().casts();
            case ALL_REDUCE -> !capture;
            case FP8_CODEC -> capture || k.codec() == dev.qrref.spec.QuantLevel.FP8;
            case NONE -> false;
        };
    }

    static boolean matchesAny(List<String> patterns, Disassembly.Instruction i) {
        for (String p : patterns) {
            if (matches(p, i)) {
                return true;
            }
        }
        return false;
    }

    /** {@link ProfileIsa}'s pattern syntax: a mnemonic glob, then optionally {@code nt} or {@code !nt}. */
    static boolean matches(String pattern, Disassembly.Instruction i) {
        String[] parts = pattern.strip().split("\\s+");
        if (parts.length > 1) {
            boolean wantNt = parts[1].equals("nt");
            if (!wantNt && !parts[1].equals("!nt")) {
                throw new IllegalArgumentException("instruction pattern '" + pattern + "': expected nt or !nt after the mnemonic");
            }
            if (i.nontemporal() != wantNt) {
                return false;
            }
        }
        return glob(parts[0]).matcher(i.base()).matches() || glob(parts[0]).matcher(i.mnemonic()).matches();
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char ch : g.toCharArray()) {
            re.append(ch == '*' ? ".*" : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString());
    }
}
