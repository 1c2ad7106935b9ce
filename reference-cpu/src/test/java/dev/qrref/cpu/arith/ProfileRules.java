package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.List;

/**
 * The profiles under test with the overflow rule the slow model applies to each, written down here from the profiles'
 * definitions rather than read from the code under test: cuda and cdna4 overflow to ±inf; cdna3 saturates finite fp16
 * overflow (and 1/±0) to ±65504, and leaves bf16 alone.
 */
record ProfileRules(String name, NumericsProfile profile, boolean saturatesFp16) {
    static final List<ProfileRules> ALL = List.of(
            new ProfileRules("cuda", NumericsProfile.of(Profile.CUDA), false),
            new ProfileRules("cdna3", NumericsProfile.of(Profile.CDNA3), true),
            new ProfileRules("cdna4", NumericsProfile.of(Profile.CDNA4), false));

    ExactModel.Rules rules(Format16 f) {
        return new ExactModel.Rules(name, saturatesFp16 && f == Format16.FP16);
    }

    Arith16 arith(Format16 f) {
        return profile.arith(f);
    }
}
