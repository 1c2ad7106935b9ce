package dev.qrref.cpu.codec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.gen.Level;
import dev.qrref.cpu.gen.Random16;
import dev.qrref.cpu.gen.Seeds;
import dev.qrref.cpu.gen.SpecialValues;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The codecs' Vector API path against their scalar reference path, bit for bit, for every quantized codec, profile and
 * compute format the spec lists:
 * <ul>
 *   <li>encode, all 2^16 inputs per element position: a span of background values with one position swept over every
 *       pattern (so it is the group's absmax, an ordinary element, a NaN, an infinity, a subnormal, ...); level 1 sweeps
 *       the 8 positions of one thread and 4 more across the vectors, level 2 all 64; backgrounds: Gaussian, zeros, special values;</li>
 *   <li>decode, exhaustively: every 16-bit decoding scale with every code, in both groups;</li>
 *   <li>whole atoms through the codec's bytes: seeded random atoms mixing normal, special and zero groups.</li>
 * </ul>
 * A mismatch prints one line: codec, profile, format, position, input and scale in hex, got and want, seed, repro.
 */
class VectorPathTest {
    private static final Level LEVEL = Level.current();
    private static final int SPAN = Geometry.GROUP_SPAN;
    private static final int KEEP = 20;

    @BeforeAll
    static void vectorApi() {
        assumeTrue(FastPath.available(), "jdk.incubator.vector is not loaded (--add-modules jdk.incubator.vector)");
    }

    /** A vector quantizer and its scalar reference, for one codec and arithmetic. */
    private record Pair(QuantLevel level, Profile profile, Format16 format, GroupQuantizer vector, GroupQuantizer scalar) {
        String name() {
            return level.cliName() + " " + profile.id() + " " + format.id();
        }
    }

    /** Every codec with a vector path, under every profile and compute format. */
    private static List<Pair> pairs() {
        List<Pair> out = new ArrayList<>();
        for (QuantLevel level : QuantLevel.values()) {
            for (Profile p : Profile.values()) {
                for (Format16 f : Format16.values()) {
                    Arith16 a = NumericsProfile.of(p).arith(f);
                    if (level.kind != QuantLevel.Kind.INTEGER) {
                        continue; // the vector path is the integer span pipeline; FP8 runs its scalar one
                    }
                    GroupQuantizer v = new GroupQuantizer(level, a, true);
                    if (v.vectorized()) {
                        out.add(new Pair(level, p, f, v, new GroupQuantizer(level, a, false)));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyIntegerCodecHasAVectorPath() {
        // the fast path must not silently fall back: every integer codec (codes 0..2L-1) fits it
        for (QuantLevel level : QuantLevel.values()) {
            if (level.layout().levels() <= 0) {
                continue;
            }
            for (Profile p : Profile.values()) {
                for (Format16 f : Format16.values()) {
                    assertTrue(new GroupQuantizer(level, NumericsProfile.of(p).arith(f), true).vectorized(),
                            level + " " + p + " " + f + " runs the scalar path although the Vector API is loaded");
                }
            }
        }
    }

    /** Counts and keeps the first mismatch lines; fails at the end. */
    private static final class Report {
        final String what;
        final AtomicLong checked = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        final List<String> lines = new ArrayList<>();

        Report(String what) {
            this.what = what;
        }

        void add(String line) {
            wrong.incrementAndGet();
            synchronized (lines) {
                if (lines.size() < KEEP) {
                    lines.add(line);
                }
            }
        }

        void verdict() {
            System.out.printf("[codec] %s: %,d cases checked, %,d mismatches%n", what, checked.get(), wrong.get());
            if (wrong.get() > 0) {
                lines.forEach(System.out::println);
                fail(what + ": " + wrong.get() + " mismatches; first:\n" + String.join("\n", lines));
            }
        }
    }

    private static String hex(int v) {
        return String.format("0x%04X", v & 0xFFFF);
    }

    private static String repro(long seed) {
        return "seed=" + Seeds.hex(seed) + " repro: ./mvnw -pl reference-cpu -am test -Dtest=VectorPathTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dqr.seed=" + Seeds.hex(Seeds.base()) + (LEVEL == Level.QUICK ? "" : " -Dqr.level=2");
    }

    /** Three backgrounds: Gaussian values, zeros, and a mix of special values. */
    private static short[][] backgrounds(Format16 f, SplittableRandom r) {
        short[] gauss = new short[SPAN];
        short[] zeros = new short[SPAN];
        short[] specials = new short[SPAN];
        int[] table = SpecialValues.of(f);
        for (int i = 0; i < SPAN; i++) {
            float x = (float) r.nextGaussian();
            gauss[i] = (short) (f == Format16.FP16 ? Float.floatToFloat16(x) : Float.floatToRawIntBits(x) >>> 16);
            specials[i] = (short) table[r.nextInt(table.length)];
        }
        return new short[][]{gauss, zeros, specials};
    }

    @Test
    void encodeEveryPatternAtEveryPosition() {
        long seed = Seeds.of("VectorPathTest.encode");
        int[] positions = LEVEL == Level.QUICK ? new int[]{0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 33, SPAN - 1} : IntStream.range(0, SPAN).toArray();
        Report report = new Report("encode, vector vs scalar, all 2^16 patterns at " + positions.length
                + " positions x 3 backgrounds, every codec/profile/format");
        pairs().parallelStream().forEach(pair -> {
            short[][] backs = backgrounds(pair.format, new SplittableRandom(seed));
            short[] span = new short[SPAN];
            int[] cv = new int[SPAN];
            int[] cs = new int[SPAN];
            for (short[] back : backs) {
                for (int pos : positions) {
                    System.arraycopy(back, 0, span, 0, SPAN);
                    for (int x = 0; x < 1 << 16; x++) {
                        span[pos] = (short) x;
                        int sv = pair.vector.encodeSpan(span, 0, cv);
                        int ss = pair.scalar.encodeSpan(span, 0, cs);
                        if (sv != ss || !Arrays.equals(cv, cs)) {
                            int at = Arrays.mismatch(cv, cs);
                            report.add("op=encode codec=" + pair.name() + " position=" + pos + " x=" + hex(x) + " => "
                                    + (sv != ss ? "scale word got 0x" + Integer.toHexString(sv) + " want 0x" + Integer.toHexString(ss)
                                    : "code[" + at + "] (in=" + hex(span[at]) + ") got " + cv[at] + " want " + cs[at])
                                    + " background=" + Arrays.asList(backs).indexOf(back) + " " + repro(seed));
                        }
                    }
                    report.checked.addAndGet(1 << 16);
                }
            }
        });
        report.verdict();
    }

    @Test
    void decodeEveryScaleWithEveryCode() {
        Report report = new Report("decode, vector vs scalar, every 16-bit scale x every code, both groups, every codec/profile/format");
        pairs().parallelStream().forEach(pair -> {
            int codes = 2 * pair.level.layout().levels();
            int[] c = new int[SPAN];
            short[] got = new short[SPAN];
            short[] want = new short[SPAN];
            for (int d = 0; d < 1 << 16; d++) {
                // the even group takes scale d, the odd group its negation; 32 codes per group per span
                int word = d | ((d ^ 0x8000) << 16);
                for (int first = 0; first < codes; first += SPAN / 2) {
                    for (int i = 0; i < SPAN; i++) {
                        c[i] = (first + i / 2 + (i & 1) * 7) % codes;
                    }
                    pair.vector.decodeSpan(c, word, got, 0);
                    pair.scalar.decodeSpan(c, word, want, 0);
                    if (!Arrays.equals(got, want)) {
                        int at = Arrays.mismatch(got, want);
                        report.add("op=decode codec=" + pair.name() + " scale=" + hex(at % 2 == 0 ? d : d ^ 0x8000) + " code=" + c[at]
                                + " position=" + at + " => got " + hex(got[at]) + " want " + hex(want[at]));
                    }
                    report.checked.addAndGet(SPAN);
                }
            }
        });
        report.verdict();
    }

    @Test
    void atomsThroughTheBytes() {
        long seed = Seeds.of("VectorPathTest.atoms");
        int atoms = LEVEL.pick(200, 5000);
        Report report = new Report(atoms + " random atoms per codec/profile/format through encodeAtom/decodeAtom, vector vs scalar");
        for (QuantLevel level : QuantLevel.values()) {
            if (!level.quantized()) {
                continue;
            }
            for (Profile p : Profile.values()) {
                for (Format16 f : Format16.values()) {
                    Codec vector = Codec.of(level, NumericsProfile.of(p), f, true);
                    Codec scalar = Codec.of(level, NumericsProfile.of(p), f, false);
                    int stride = vector.layout().stride();
                    SplittableRandom r = new SplittableRandom(seed ^ (level.ordinal() * 31L + p.ordinal()) * 17 + f.ordinal());
                    int[] table = SpecialValues.of(f);
                    short[] values = new short[Geometry.ATOM_ELEMENTS];
                    short[] backV = new short[values.length];
                    short[] backS = new short[values.length];
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment bv = arena.allocate(stride);
                        MemorySegment bs = arena.allocate(stride);
                        for (int k = 0; k < atoms; k++) {
                            for (int g = 0; g < values.length; g += SPAN) {
                                int kind = r.nextInt(6);
                                for (int i = g; i < g + SPAN; i++) {
                                    values[i] = (short) switch (kind) {
                                        case 0 -> 0;                                                    // zero span
                                        case 1 -> table[r.nextInt(table.length)];                       // specials only
                                        case 2 -> r.nextInt(8) == 0 ? table[r.nextInt(table.length)] : Random16.finite(f, r);
                                        case 3 -> Random16.pattern(r);                                  // any pattern
                                        case 4 -> r.nextInt(4) == 0 ? Random16.nan(f, r) : Random16.finite(f, r);
                                        default -> Random16.finite(f, r);
                                    };
                                }
                            }
                            vector.encodeAtom(values, 0, bv, 0);
                            scalar.encodeAtom(values, 0, bs, 0);
                            long at = bv.mismatch(bs);
                            if (at >= 0) {
                                report.add("op=encodeAtom codec=" + level.cliName() + " " + p.id() + " " + f.id() + " atom=" + k
                                        + " byte=" + at + " got 0x" + Integer.toHexString(bv.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) & 0xFF)
                                        + " want 0x" + Integer.toHexString(bs.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at) & 0xFF) + " " + repro(seed));
                            }
                            vector.decodeAtom(bs, 0, backV, 0);
                            scalar.decodeAtom(bs, 0, backS, 0);
                            int e = Arrays.mismatch(backV, backS);
                            if (e >= 0) {
                                report.add("op=decodeAtom codec=" + level.cliName() + " " + p.id() + " " + f.id() + " atom=" + k
                                        + " element=" + e + " in=" + hex(values[e]) + " got " + hex(backV[e]) + " want " + hex(backS[e]) + " " + repro(seed));
                            }
                            report.checked.addAndGet(values.length);
                        }
                    }
                }
            }
        }
        report.verdict();
    }
}
