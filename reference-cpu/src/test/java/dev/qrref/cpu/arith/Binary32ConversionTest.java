package dev.qrref.cpu.arith;

import static dev.qrref.cpu.arith.Mismatches.hex;
import static dev.qrref.cpu.arith.Mismatches.hex32;

import dev.qrref.cpu.gen.Binary32Cases;
import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.spec.Format16;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * binary32 → fp16 / bf16 against the slow model: every 16-bit value, every midpoint and midpoint ± 1 binary32 ulp,
 * the overflow and subnormal thresholds, binary32 specials, then random inputs up to 2^20 (level 1) or 2^24 (level 2).
 * Checked: the IEEE conversion ({@code Fp16.fromFloatRne}, {@code Bf16.fromFloatRne}) and each profile's
 * {@code fromFloat}, which saturates finite overflow under cdna3 in fp16.
 */
class Binary32ConversionTest {
    private static final Level LEVEL = Level.current();
    private static final int TOTAL = LEVEL.pick(1 << 20, 1 << 24);
    private static final int CHUNK = 1 << 14;
    private static final ProfileRules IEEE = new ProfileRules("ieee", null, false);

    @ParameterizedTest
    @EnumSource(Format16.class)
    void fromBinary32(Format16 f) {
        long seed = Seeds.of("binary32-to-" + f.id());
        int structured = Binary32Cases.structured(f).length;
        int[] in = Binary32Cases.all(f, seed, TOTAL);
        Mismatches m = new Mismatches(String.format(
                "binary32->%s (%,d structured + %,d random inputs) x (IEEE + %d profiles), %s",
                f.id(), structured, in.length - structured, ProfileRules.ALL.size(), LEVEL));
        ExactModel.Fmt fmt = ExactModel.of(f);
        Coverage cov = new Coverage("binary32->" + f.id());
        IntStream.range(0, (in.length + CHUNK - 1) / CHUNK).parallel().forEach(c -> {
            for (int i = c * CHUNK, end = Math.min(in.length, i + CHUNK); i < end; i++) {
                int x = in[i];
                ExactModel.Result want = ExactModel.convert(ExactModel.F32, x, fmt);
                classify(cov, f, x, want);
                float v = Float.intBitsToFloat(x);
                int ieee = f == Format16.FP16 ? Fp16.fromFloatRne(v) : Bf16.fromFloatRne(v);
                compare(m, f, IEEE, x, ieee, want.bits(IEEE.rules(f)), seed);
                for (ProfileRules p : ProfileRules.ALL) {
                    compare(m, f, p, x, p.arith(f).fromFloat(v), want.bits(p.rules(f)), seed);
                }
            }
        });
        m.checked((long) in.length * (1 + ProfileRules.ALL.size()));
        m.verdict();
        cov.require("exact", "inexact", "tie", "overflow", "subnormal", "underflow to zero", "NaN");
    }

    private static void classify(Coverage cov, Format16 f, int x, ExactModel.Result r) {
        int bits = (int) r.ieeeBits();
        if (f.isNaN(bits)) {
            cov.hit("NaN");
            return;
        }
        cov.hit(r.finiteOverflow() ? "overflow" : r.tie() ? "tie" : r.inexact() ? "inexact" : "exact");
        if (f.isSubnormal(bits)) {
            cov.hit("subnormal");
        }
        if (f.isZero(bits) && (x & 0x7FFFFFFF) != 0) {
            cov.hit("underflow to zero");
        }
    }

    private static void compare(Mismatches m, Format16 f, ProfileRules p, int x, int got, long want, long seed) {
        boolean ok = f.isNaN((int) want) ? f.isNaN(got) : got == want;
        if (!ok) {
            m.add("op=fromFloat fmt=" + f.id() + " profile=" + p.name() + " a=" + hex32(x) + " => got " + hex(got) + " want "
                    + hex(want) + " seed=" + Seeds.hex(seed));
        }
    }
}
