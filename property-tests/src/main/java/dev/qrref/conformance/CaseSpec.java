package dev.qrref.conformance;

import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;

/**
 * One conformance case: a configuration and a seeded input. Its {@link #id()} is all a repro command needs:
 * {@code w4.int4.bf16-cast.cuda.n16392.specials.b0.s0x0123456789ABCDEF}.
 *
 * @param worldSize W
 * @param level     codec
 * @param path      data path (dtype and cast)
 * @param profile   numerics profile
 * @param n         element count
 * @param kind      input kind
 * @param maxBlocks grid cap (0 = the backend's choice)
 * @param seed      input seed
 */
public record CaseSpec(int worldSize, QuantLevel level, DataPath path, Profile profile, long n, InputKind kind, int maxBlocks,
                       long seed) {

    public String id() {
        return "w" + worldSize + "." + level.cliName() + "." + path.id() + "." + profile.id() + ".n" + n + "." + kind.id()
                + ".b" + maxBlocks + ".s" + Seeds.hex(seed);
    }

    public static CaseSpec parse(String id) {
        String[] p = id.split("\\.");
        if (p.length != 8 || !p[0].startsWith("w") || !p[4].startsWith("n") || !p[6].startsWith("b") || !p[7].startsWith("s0x")) {
            throw new IllegalArgumentException("malformed case id '" + id
                    + "' (expected w<W>.<codec>.<path>.<profile>.n<N>.<kind>.b<maxBlocks>.s0x<seed>)");
        }
        return new CaseSpec(Integer.parseInt(p[0].substring(1)), QuantLevel.fromName(p[1]), DataPath.fromName(p[2]),
                Profile.fromName(p[3]), Long.parseLong(p[4].substring(1)), InputKind.fromId(p[5]), Integer.parseInt(p[6].substring(1)),
                Long.parseUnsignedLong(p[7].substring(3), 16));
    }

    public CaseSpec withN(long newN) {
        return new CaseSpec(worldSize, level, path, profile, newN, kind, maxBlocks, seed);
    }
}
