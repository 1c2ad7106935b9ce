package dev.qrref.conformance;

import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The cases a suite run executes. Level 1 gives every (W, codec, data path) two input kinds, rotating profiles and
 * sizes, so CI sees every combination in minutes; level 2 crosses every kind, profile and size, and adds 16 Mi-element
 * cases for the main input kinds.
 */
public final class CaseMatrix {
    private CaseMatrix() {
    }

    /** Sizes in elements: tiny, one atom row, one tile, one tile plus a vector, a tail of several tiles. */
    static final long[] QUICK_SIZES = {8, 2048, 16384, 16392, 40008, 3 * 16384 + 104};
    static final long[] THOROUGH_SIZES = {8, 2048, 16384, 16392, 1048600};
    static final long LARGE = 16777216;

    public static List<CaseSpec> cases(Target target, SuiteConfig config) {
        if (config.caseId() != null) {
            return List.of(CaseSpec.parse(config.caseId()));
        }
        List<Profile> profiles = new ArrayList<>();
        for (Profile p : Profile.values()) {
            if (config.profiles().contains(p) && target.profiles().contains(p)) {
                profiles.add(p);
            }
        }
        if (profiles.isEmpty()) {
            return List.of();
        }
        // the CPU model takes a small grid cap, so that blocks run several grid-stride iterations and reuse their slots;
        // a GPU picks its own (the blocks resident at once)
        int maxBlocks = target.isModel() ? 2 : 0;
        InputKind[] kinds = InputKind.values();
        List<CaseSpec> out = new ArrayList<>();
        int i = 0;
        for (int w : config.worldSizes()) {
            for (QuantLevel q : QuantLevel.values()) {
                if (!config.codecs().contains(q)) {
                    continue;
                }
                for (DataPath path : DataPath.values()) {
                    if (!config.paths().contains(path)) {
                        continue;
                    }
                    if (config.level() == Level.QUICK) {
                        for (int k = 0; k < 2; k++, i++) {
                            // the FP codec's second case is always exact integers (data movement apart from rounding)
                            InputKind kind = k == 1 && q == QuantLevel.F16 ? InputKind.SMALL_INTEGERS : kinds[i % kinds.length];
                            Profile p = profiles.get(i % profiles.size());
                            long n = QUICK_SIZES[i % QUICK_SIZES.length];
                            // a GPU's own grid cap is larger than the tiles of these sizes: its second case takes the
                            // model's small cap, so that blocks reuse their slots over several grid-stride iterations
                            out.add(spec(config, w, q, path, p, n, kind, k == 1 ? 2 : maxBlocks));
                        }
                        if (q.kind == QuantLevel.Kind.FP8) {
                            // the FP8 reciprocal hazard (issue 16): zero and low-amplitude groups under every profile
                            for (Profile p : profiles) {
                                for (InputKind kind : new InputKind[]{InputKind.ZERO_GROUPS, InputKind.LOW_AMPLITUDE}) {
                                    out.add(spec(config, w, q, path, p, 16392, kind, maxBlocks));
                                }
                            }
                        }
                        continue;
                    }
                    for (Profile p : profiles) {
                        for (InputKind kind : kinds) {
                            for (long n : THOROUGH_SIZES) {
                                out.add(spec(config, w, q, path, p, n, kind, maxBlocks));
                            }
                        }
                    }
                    for (InputKind kind : new InputKind[]{InputKind.GAUSSIAN, InputKind.SPECIALS, InputKind.SMALL_INTEGERS}) {
                        out.add(spec(config, w, q, path, profiles.get(0), LARGE, kind, target.isModel() ? 64 : 0));
                    }
                }
            }
        }
        return out;
    }

    private static CaseSpec spec(SuiteConfig config, int w, QuantLevel q, DataPath path, Profile p, long n, InputKind kind, int maxBlocks) {
        String label = "case/w" + w + "/" + q + "/" + path + "/" + p + "/" + n + "/" + kind;
        return new CaseSpec(w, q, path, p, n, kind, maxBlocks, Seeds.derive(config.baseSeed(), label));
    }
}
