package dev.qrref.cpu.arith;

import static dev.qrref.cpu.arith.Mismatches.hex;
import static dev.qrref.cpu.arith.Mismatches.hex32;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.gen.SpecialValues;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API conversions and add ({@link Vector16}) against the scalar reference ({@link Arith16}), bit for bit:
 * binary32 → 16 bits on every pattern whose low half is a rounding boundary (level 1) or on all 2^32 patterns (level 2),
 * 16 bits → binary32 on all 2^16 patterns, the add on every pair of special values and on seeded random pairs; under
 * every profile's arithmetic. NaN payloads are compared too, except where both operands of an add are NaN (which NaN
 * an x86 add returns depends on the operand order the JIT picks, in the scalar path as well).
 */
class Vector16Test {
    private static final Level LEVEL = Level.current();
    private static final String REPRO = "repro: ./mvnw -pl reference-cpu -am test -Dtest=Vector16Test -Dsurefire.failIfNoSpecifiedTests=false";

    @BeforeAll
    static void vectorApi() {
        assumeTrue(FastPath.available(), "jdk.incubator.vector is not loaded (--add-modules jdk.incubator.vector)");
    }

    /** One arithmetic per distinct behaviour (format, saturation) among the profiles, named after the first profile. */
    private static Map<String, Arith16> distinctAriths() {
        Map<String, Arith16> out = new LinkedHashMap<>();
        for (Profile p : Profile.values()) {
            for (Format16 f : Format16.values()) {
                Arith16 a = NumericsProfile.of(p).arith(f);
                out.putIfAbsent(a.toString(), a);
            }
        }
        return out;
    }

    @Test
    void toFloatOfEveryPattern() {
        Mismatches m = new Mismatches("Vector16.toFloat vs Arith16.toFloat (all 2^16 patterns, both formats)");
        short[] in = new short[1 << 16];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) i;
        }
        float[] out = new float[in.length];
        for (Format16 f : Format16.values()) {
            Arith16 a = NumericsProfile.of(Profile.CUDA).arith(f);
            Vector16.toFloat(f, in, out, in.length);
            for (int i = 0; i < in.length; i++) {
                int want = Float.floatToRawIntBits(a.toFloat(i));
                int got = Float.floatToRawIntBits(out[i]);
                if (got != want) {
                    m.add("op=toFloat fmt=" + f.id() + " a=" + hex(i) + " => got " + hex32(got) + " want " + hex32(want) + " " + REPRO);
                }
            }
            m.checked(in.length);
        }
        m.verdict();
    }

    @Test
    void fromFloatAroundEveryRoundingBoundary() {
        // level 1: every binary32 whose low 16 bits lie on or next to a rounding boundary of either format, with all
        // 2^16 upper halves (signs, exponents, NaN payloads, the fp16 subnormal and overflow ranges); level 2: all 2^32
        int[] lows = LEVEL == Level.QUICK
                ? new int[]{0x0000, 0x0001, 0x0FFF, 0x1000, 0x1001, 0x1FFF, 0x2000, 0x2001, 0x3000, 0x5FFF, 0x6000, 0x7FFF, 0x8000,
                    0x8001, 0x9000, 0xA000, 0xBFFF, 0xC000, 0xE000, 0xF000, 0xFFFF}
                : IntStream.range(0, 1 << 16).toArray();
        for (Map.Entry<String, Arith16> e : distinctAriths().entrySet()) {
            Arith16 a = e.getValue();
            Mismatches m = new Mismatches("Vector16.fromFloat vs Arith16.fromFloat, " + e.getKey() + " (" + lows.length
                    + " low halves x 2^16 high halves)");
            IntStream.range(0, lows.length).parallel().forEach(k -> {
                float[] in = new float[1 << 16];
                short[] out = new short[in.length];
                for (int hi = 0; hi < in.length; hi++) {
                    in[hi] = Float.intBitsToFloat((hi << 16) | lows[k]);
                }
                Vector16.fromFloat(a, in, out, in.length);
                for (int i = 0; i < in.length; i++) {
                    int want = a.fromFloat(in[i]);
                    if ((out[i] & 0xFFFF) != want) {
                        m.add("op=fromFloat arith=" + a + " a=" + hex32(Float.floatToRawIntBits(in[i])) + " => got " + hex(out[i])
                                + " want " + hex(want) + " " + REPRO + (LEVEL == Level.QUICK ? "" : " -Dqr.level=2"));
                    }
                }
                m.checked(in.length);
            });
            m.verdict();
        }
    }

    @Test
    void addOfSpecialAndRandomPairs() {
        long seed = Seeds.of("Vector16Test.add");
        int random = LEVEL.pick(1 << 20, 1 << 24);
        for (Map.Entry<String, Arith16> e : distinctAriths().entrySet()) {
            Arith16 a = e.getValue();
            Format16 f = a.format();
            int[] specials = SpecialValues.of(f);
            List<int[]> pairs = new ArrayList<>();
            for (int x : specials) {
                for (int y : specials) {
                    for (int sx = 0; sx < 2; sx++) {
                        for (int sy = 0; sy < 2; sy++) {
                            pairs.add(new int[]{x | sx << 15, y | sy << 15});
                        }
                    }
                }
            }
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < random; i++) {
                pairs.add(new int[]{r.nextInt(1 << 16), r.nextInt(1 << 16)});
            }
            int n = (pairs.size() + Vector16.LANES - 1) / Vector16.LANES * Vector16.LANES;
            short[] acc = new short[n];
            short[] b = new short[n];
            for (int i = 0; i < pairs.size(); i++) {
                acc[i] = (short) pairs.get(i)[0];
                b[i] = (short) pairs.get(i)[1];
            }
            short[] sum = acc.clone();
            Vector16.addInto(a, sum, b, n);
            Mismatches m = new Mismatches("Vector16.addInto vs Arith16.add, " + e.getKey() + " (" + specials.length * 2
                    + "^2 special pairs, " + random + " random pairs, seed " + Seeds.hex(seed) + ")");
            for (int i = 0; i < n; i++) {
                int x = acc[i] & 0xFFFF;
                int y = b[i] & 0xFFFF;
                int want = a.add(x, y);
                int got = sum[i] & 0xFFFF;
                boolean same = f.isNaN(x) && f.isNaN(y) ? f.isNaN(got) && f.isNaN(want) : got == want;
                if (!same) {
                    m.add("op=add arith=" + a + " a=" + hex(x) + " b=" + hex(y) + " => got " + hex(got) + " want " + hex(want)
                            + " seed=" + Seeds.hex(seed) + " " + REPRO);
                }
            }
            m.checked(n);
            m.verdict();
        }
    }
}
