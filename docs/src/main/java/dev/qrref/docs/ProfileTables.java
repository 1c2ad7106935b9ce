package dev.qrref.docs;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.Profile;
import dev.qrref.spec.ProfileIsa;
import java.util.ArrayList;
import java.util.List;

/**
 * The numerics profiles: what each one asserts, operation by operation, with how sure the project is of each entry
 * ({@link NumericsProfile#facts()}); and the list of entries that are assumed rather than measured or documented.
 */
final class ProfileTables {
    private ProfileTables() {
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    static void write(Out out) {
        List<List<String>> summary = new ArrayList<>();
        for (Profile p : Profile.values()) {
            summary.add(List.of(Adoc.mono(p.id()), Integer.toString(p.code), Adoc.text(p.summary())));
        }
        out.adoc("profiles-summary.adoc", Adoc.table("Numerics profiles (dev.qrref.spec.Profile)", "1,1,8",
                List.of("Profile", "Code", "Stands for"), summary));

        List<List<String>> columns = new ArrayList<>();
        for (Profile p : Profile.values()) {
            columns.add(List.of(Adoc.mono(p.id()), yes(p.fp16OverflowSaturates()), yes(p.castSaturates()), Adoc.mono(p.fp8Format().id()),
                    p.fp8Saturates() ? "saturate to ±max" : "NaN", Adoc.mono(p.nvidiaFp16Policy().id())
                            + (p.nvidiaNativeFp8() ? ", native fp8" : ", fp8 emulated"),
                    p.amdArch().isEmpty() ? "–" : Adoc.mono(p.amdArch() + "*")));
        }
        out.adoc("profiles-columns.adoc", Adoc.table("The profile rows: every column the model and the kernels read", "1,1,1,1,2,3,1",
                List.of("Profile", "fp16 overflow saturates", "cast saturates", "fp8 format", "fp8 out of range", "on NVIDIA",
                        "native on AMD"), columns));

        List<List<String>> rows = new ArrayList<>();
        List<List<String>> assumed = new ArrayList<>();
        int counts[] = new int[3];
        for (Profile p : Profile.values()) {
            for (Profile.Fact f : p.facts()) {
                String status = switch (f.status()) {
                    case "measured" -> "[.measured]#measured#";
                    case "documented" -> "[.documented]#documented#";
                    case "assumed" -> "[.assumed]#assumed#";
                    default -> Adoc.text(f.status());
                };
                switch (f.status()) {
                    case "measured" -> counts[0]++;
                    case "documented" -> counts[1]++;
                    case "assumed" -> counts[2]++;
                    default -> { }
                }
                rows.add(List.of(Adoc.mono(p.id()), Adoc.text(f.operation()), Adoc.text(f.behaviour()), status, Adoc.text(f.source())));
                if (f.status().equals("assumed")) {
                    assumed.add(List.of(Adoc.mono(p.id()), Adoc.text(f.operation()), Adoc.text(f.behaviour()), Adoc.text(f.source())));
                }
            }
        }
        out.adoc("profiles-facts.adoc", Adoc.table("Operation × profile × behaviour × status (NumericsProfile.facts())", "1,2,4,1,4",
                List.of("Profile", "Operation", "Behaviour modelled", "Status", "Source"), rows, "", "small"));
        out.adoc("profiles-assumed.adoc", assumed.isEmpty() ? "Every entry of every profile is measured or documented.\n\n"
                : Adoc.table("Entries the model assumes (not measured, not documented)", "1,2,4,4",
                List.of("Profile", "Operation", "What the model does", "Why it is open"), assumed, "", "small"));
        writeIsa(out);
        out.adoc("profiles-attrs.adoc", Adoc.attr("facts-measured", Integer.toString(counts[0]))
                + Adoc.attr("facts-documented", Integer.toString(counts[1]))
                + Adoc.attr("facts-assumed", Integer.toString(counts[2])));
    }

    /** The instructions each AMD profile assumes ({@link ProfileIsa}), as {@code qr isa-check} verifies them. */
    private static void writeIsa(Out out) {
        List<List<String>> targets = new ArrayList<>();
        for (Profile p : Profile.values()) {
            ProfileIsa isa = p.isa();
            targets.add(List.of(Adoc.mono(p.id()), isa.targets().isEmpty() ? Adoc.text("none (no AMD code object)") : Adoc.text(String.join(", ", isa.targets())),
                    isa.targets().isEmpty() ? "none" : isa.modeWrite() == ProfileIsa.ModeWrite.SET_AT_ENTRY
                            ? Adoc.mono(ProfileIsa.MODE_WRITE) + " before the first branch and the first fp16 instruction of every kernel"
                            : "no write of MODE bit 23 in any kernel"));
        }
        out.adoc("profiles-isa-targets.adoc", Adoc.table("AMD targets and the FP16_OVFL mode write per profile (ProfileIsa)", "1,2,6",
                List.of("Profile", "Native targets", "Mode write"), targets));
        List<List<String>> rows = new ArrayList<>();
        for (ProfileIsa.InstructionClass c : Profile.CDNA3.isa().classes()) {
            String scope = switch (c.scope()) {
                case SOURCE -> "instructions from " + String.join(", ", c.functions().stream().map(Adoc::mono).toList());
                case KERNEL -> "the whole kernel";
                case KERNEL_EXCEPT -> "the kernel except " + String.join(", ", c.functions().stream().map(Adoc::mono).toList());
            };
            rows.add(List.of(Adoc.text(c.name()), String.join(", ", c.policies().stream().map(Adoc::mono).toList()), scope,
                    c.expected().isEmpty() ? "none" : String.join(", ", c.expected().stream().map(Adoc::mono).toList()),
                    String.join(", ", c.forbidden().stream().map(Adoc::mono).toList()), Adoc.text(c.presence().name().toLowerCase())));
        }
        out.adoc("profiles-isa-classes.adoc", Adoc.table("Instruction classes of the AMD profiles (cdna3 and cdna4 share them)",
                "2,2,3,2,4,1", List.of("Class", "Policies", "Looks at", "Expected", "Forbidden", "Expected required in"), rows, "", "small"));
    }
}
