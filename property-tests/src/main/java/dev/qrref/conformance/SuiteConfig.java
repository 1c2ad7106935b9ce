package dev.qrref.conformance;

import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a suite run covers.
 *
 * @param level      1 (quick, CI) or 2 (thorough)
 * @param worldSizes world sizes to run
 * @param codecs     codecs to run
 * @param paths      data paths to run
 * @param profiles   profiles to run (intersected with the target's)
 * @param caseId     run only this case (null: the whole matrix)
 * @param isolate    with {@code caseId}: zero every input outside the 64-element span of this element (-1: off)
 * @param properties run only these properties and checks by name (empty: all)
 * @param baseSeed   base seed of the case matrix
 * @param budgetSeconds wall time the case matrix may take (0: no limit); with a budget the cases run smallest first,
 *                   so every configuration is reached before the large sizes, and the cases left are reported
 */
public record SuiteConfig(Level level, List<Integer> worldSizes, Set<QuantLevel> codecs, Set<DataPath> paths, Set<Profile> profiles,
                          String caseId, long isolate, Set<String> properties, long baseSeed, double budgetSeconds) {

    public static SuiteConfig defaults(Level level) {
        return new SuiteConfig(level, Geometry.WORLD_SIZES, EnumSet.allOf(QuantLevel.class), EnumSet.allOf(DataPath.class),
                EnumSet.allOf(Profile.class), null, -1, Set.of(), Seeds.base(), 0);
    }

    public SuiteConfig withSeed(long seed) {
        return new SuiteConfig(level, worldSizes, codecs, paths, profiles, caseId, isolate, properties, seed, budgetSeconds);
    }

    public SuiteConfig withBudget(double seconds) {
        return new SuiteConfig(level, worldSizes, codecs, paths, profiles, caseId, isolate, properties, baseSeed, seconds);
    }

    public boolean wants(String property) {
        return properties.isEmpty() || properties.contains(property);
    }

    public SuiteConfig withCase(String id, long isolateElement) {
        return new SuiteConfig(level, worldSizes, codecs, paths, profiles, id, isolateElement, properties, baseSeed, budgetSeconds);
    }

    public SuiteConfig withProperties(Set<String> names) {
        return new SuiteConfig(level, worldSizes, codecs, paths, profiles, caseId, isolate, names, baseSeed, budgetSeconds);
    }

    public SuiteConfig withWorldSizes(List<Integer> ws) {
        return new SuiteConfig(level, ws, codecs, paths, profiles, caseId, isolate, properties, baseSeed, budgetSeconds);
    }

    public SuiteConfig withCodecs(Set<QuantLevel> cs) {
        return new SuiteConfig(level, worldSizes, cs, paths, profiles, caseId, isolate, properties, baseSeed, budgetSeconds);
    }

    public SuiteConfig withPaths(Set<DataPath> ps) {
        return new SuiteConfig(level, worldSizes, codecs, ps, profiles, caseId, isolate, properties, baseSeed, budgetSeconds);
    }

    public SuiteConfig withProfiles(Set<Profile> ps) {
        return new SuiteConfig(level, worldSizes, codecs, paths, ps, caseId, isolate, properties, baseSeed, budgetSeconds);
    }
}
