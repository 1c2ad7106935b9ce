package dev.qrref.docs;

import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.Profile;
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
        out.adoc("profiles-attrs.adoc", Adoc.attr("facts-measured", Integer.toString(counts[0]))
                + Adoc.attr("facts-documented", Integer.toString(counts[1]))
                + Adoc.attr("facts-assumed", Integer.toString(counts[2])));
    }
}
