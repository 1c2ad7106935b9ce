package dev.qrref.conformance.checks;

import dev.qrref.conformance.CaseCheck;
import dev.qrref.conformance.CaseRun;
import dev.qrref.conformance.CaseSpec;
import dev.qrref.conformance.Expected;
import dev.qrref.conformance.Failure;
import dev.qrref.conformance.Target;
import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.oracle.ElementwiseModel;
import dev.qrref.cpu.oracle.Recipe;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.BufferLayout.Phase;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Rule;
import java.util.List;
import java.util.Optional;

/**
 * The phase-1 scale words in every receiver's buffer, read back and compared with the definition: for block 0's last
 * tile, sender s's segment for receiver r, each thread group's word must hold T(M·SF) of its even group in the low half
 * and of its odd group in the high half, M taken straight from sender s's input (after the cast). This checks the
 * buffer bytes against the spec directly, on every backend, the CPU model included.
 */
public final class ScaleWordsMatch implements CaseCheck {
    @Override
    public String name() {
        return "scale-words";
    }

    @Override
    public String description() {
        return "phase-1 scale words in the buffers hold T(M*SF) (FP8: T(absmax*SF)) of the even (low half) and odd (high half) "
                + "groups, stored once per thread group";
    }

    @Override
    public List<Rule> rules() {
        return List.of(Rule.ENC_LEADER, Rule.GRP_INTERLEAVE, Rule.ENC_SCALE, Rule.BUF_SLOTS);
    }

    @Override
    public boolean appliesTo(Target target, CaseSpec spec) {
        return spec.level().quantized();
    }

    @Override
    public boolean needsBuffers() {
        return true;
    }

    @Override
    public Optional<Failure> check(Target target, CaseRun run, Expected expected) {
        CaseSpec s = run.spec();
        BufferLayout l = run.layout();
        int w = s.worldSize();
        int ra = Geometry.rankAtoms(w);
        long tiles = Geometry.numTiles(s.n());
        int grid = Geometry.grid(tiles, l.maxBlocks());
        long tile = (Geometry.iterations(0, tiles, grid) - 1L) * grid; // block 0's last iteration
        NumericsProfile profile = NumericsProfile.of(s.profile());
        // the scale from the element-wise model's own quantizer, not the model's
        Recipe recipe = Recipe.of(s.level(), s.path().compute, s.profile());
        Arith16 arith = profile.arith(s.path().compute);
        CodecLayout cl = s.level().layout();
        int[] members = new int[Geometry.GROUP_SIZE];
        for (int sender = 0; sender < w; sender++) {
            for (int receiver = 0; receiver < w; receiver++) {
                byte[] buf = run.buffers()[receiver];
                long slot = l.slotOffset(Phase.ONE, s.level(), 0, sender);
                for (int k = 0; k < ra; k++) {
                    int atom = receiver * ra + k;
                    long atomBase = tile * Geometry.TILE_ELEMENTS + (long) atom * Geometry.ATOM_ELEMENTS;
                    for (int g = 0; g < Geometry.THREAD_GROUPS; g++) {
                        int want = 0;
                        for (int half = 0; half < 2; half++) {
                            long first = atomBase + (long) g * Geometry.GROUP_SPAN + half;
                            for (int m = 0; m < Geometry.GROUP_SIZE; m++) {
                                long e = first + 2L * m;
                                int x = e < s.n() ? run.inputs()[sender][(int) e] & 0xFFFF : 0;
                                members[m] = s.path().casts() ? profile.castBf16ToFp16(x) : x;
                            }
                            want |= ElementwiseModel.decodingScale(members, recipe, arith) << (16 * half);
                        }
                        long off = slot + (long) k * cl.stride() + cl.scaleOffset() + 4L * g;
                        int got = (buf[(int) off] & 0xFF) | (buf[(int) off + 1] & 0xFF) << 8 | (buf[(int) off + 2] & 0xFF) << 16
                                | (buf[(int) off + 3] & 0xFF) << 24;
                        if (!sameHalves(s, got, want)) {
                            return Optional.of(Failure.message(Rule.ENC_LEADER, name(), s.id(), String.format(
                                    "receiver=%d sender=%d atom=%d thread-group=%d (tile %d) scale word got=0x%08X want=0x%08X",
                                    receiver, sender, atom, g, tile, got, want), CaseCheck.repro(target, s)));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean sameHalves(CaseSpec s, int a, int b) {
        var f = s.path().compute;
        for (int half = 0; half < 2; half++) {
            int x = (a >>> (16 * half)) & 0xFFFF;
            int y = (b >>> (16 * half)) & 0xFFFF;
            if (x != y && !(f.isNaN(x) && f.isNaN(y))) {
                return false;
            }
        }
        return true;
    }
}
