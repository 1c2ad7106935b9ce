package dev.qrref.cli.audit;

import dev.qrref.cli.data.ErrorStatistics;
import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.Bf16;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.cpu.codec.GroupStatistics;
import dev.qrref.spec.CodecConstants;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hazards of one tile (16384 elements of every rank) under one codec and profile, found with the CPU model's own
 * steps: the profile's cast, the codec's encode and decode of each atom row (the bytes that go on the wire, scale words
 * included), the reduction in the profile's arithmetic from +0 in sender order, and the codec's encode and decode of
 * the sum. That reconstruction must give the model's real all-reduce output bit for bit (NaN payloads apart, which the
 * model does not promise); a difference is an internal error, never a silent disagreement.
 *
 * <p>For each group the analysis looks at the values that enter an encode, the decoding scale {@code d} the codec
 * stored, the encoding scale {@code e = rcp(d + EPS)}, and the values that come back. Whether a result overflowed is
 * decided by repeating the operation in the same format without saturation.
 */
final class TileAnalysis {
    static final int TILE = Geometry.TILE_ELEMENTS;
    static final int GROUP = Geometry.GROUP_SIZE;
    /** Groups of one tile: 8 atoms x 32 thread groups x (even, odd). */
    static final int GROUPS = TILE / GROUP;
    private static final int GROUPS_PER_ATOM = Geometry.ATOM_ELEMENTS / GROUP;
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final byte SUM_OVERFLOWED = 1;
    private static final byte SUM_SATURATED = 2;

    private final QuantLevel level;
    private final Profile profile;
    private final DataPath path;
    private final NumericsProfile np;
    private final Arith16 a;
    /** The same format without saturation: what a result would have been had nothing saturated. */
    private final Arith16 plain;
    /** Compute format and memory format. */
    private final Format16 f;
    private final Format16 mf;
    private final Codec codec;
    private final boolean quantized;
    private final int eps;
    private final int scaleOffset;
    private final int worldSize;
    private final int keep;

    TileAnalysis(QuantLevel level, Profile profile, DataPath path, int worldSize, int keep) {
        this.level = level;
        this.profile = profile;
        this.path = path;
        this.np = NumericsProfile.of(profile);
        this.f = path.compute;
        this.mf = path.dtype.format;
        this.a = np.arith(f);
        this.plain = new Arith16(f, false);
        this.codec = Codec.of(level, np, f);
        this.quantized = level.quantized();
        this.eps = quantized ? CodecConstants.of(level, f).epsilon() : 0;
        this.scaleOffset = level.layout().scaleOffset();
        this.worldSize = worldSize;
        this.keep = keep;
    }

    /** One set of work arrays per thread, shared by every codec and profile (they run one after another). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread work arrays of one tile. */
    private static final class Scratch {
        final short[][] x;
        final short[][] c;
        final int[][] d1;
        final short[] acc = new short[TILE];
        final short[] y = new short[TILE];
        final int[] d2 = new int[GROUPS];
        final byte[] sumFlags = new byte[TILE];
        final double[] sumExact = new double[TILE];
        final MemorySegment block;
        final int[][] masks = new int[Hazard.values().length][GROUPS];
        final double[] gSse = new double[GROUPS];
        final double[] gSsr = new double[GROUPS];
        final double[] gSae = new double[GROUPS];
        final double[] gSar = new double[GROUPS];
        final double[] gMax = new double[GROUPS];
        final int[] gFinite = new int[GROUPS];
        final int[] gLost = new int[GROUPS];

        Scratch() {
            int w = java.util.Collections.max(Geometry.WORLD_SIZES);
            x = new short[w][TILE];
            c = new short[w][TILE];
            d1 = new int[w][GROUPS];
            block = MemorySegment.ofArray(new byte[CodecLayout.maxStride()]);
        }
    }

    /** What one group shows in one encode, gathered in one pass over its 32 members. */
    private static final class Facts {
        int phase;
        int rank;
        int gi;
        int first;
        int inMask;
        int zeros;
        int nanMask;
        int infMask;
        int castInfMask;
        int satMask;
        int ovfMask;
        int spreadMask;
        double absMax;
        double sxx;
        double sxc;
        double sdd;
        /** Members finite both before and after the round trip (what sxx, sxc and sdd sum over). */
        int finitePairs;
        /** Largest magnitude among the overflowing or saturating values, before they overflowed. */
        double overMax;
        int d;
    }

    /**
     * Analyses one tile.
     *
     * @param mem       memory bits of every rank; the tile starts at {@code off}; values at or beyond {@code present} are 0
     * @param present   elements of the tile inside the call (16384 except in the last tile)
     * @param out       the model's output (rank 0's; every rank holds the same bits), memory bits, tile at {@code off}
     * @param ref       the exact sum of this tile's elements (index 0 = the tile's first element)
     * @param tileFirst index (in the call) of the tile's first element
     */
    SetupTally analyze(short[][] mem, int off, int present, short[] out, double[] ref, long tileFirst, int call, String callName) {
        Scratch s = SCRATCH.get();
        SetupTally t = new SetupTally(level, profile, keep);
        for (int[] m : s.masks) {
            Arrays.fill(m, 0);
        }
        // load (and cast), then each rank's encode and decode: the contribution it sends
        for (int r = 0; r < worldSize; r++) {
            short[] x = s.x[r];
            for (int i = 0; i < TILE; i++) {
                int m = mem[r][off + i] & 0xFFFF;
                x[i] = (short) (path.casts() ? np.castBf16ToFp16(m) : m);
            }
            if (quantized) {
                roundTrip(x, s.c[r], s.d1[r], s.block);
            }
        }
        reduce(s);
        short[] sum = s.acc;
        if (quantized) {
            roundTrip(sum, s.y, s.d2, s.block);
        } else {
            System.arraycopy(sum, 0, s.y, 0, TILE);
        }
        for (int i = 0; i < present; i++) {
            int want = s.y[i] & 0xFFFF;
            if (path.casts()) {
                want = np.castFp16ToBf16(want);
            }
            int got = out[off + i] & 0xFFFF;
            // NaN payloads are not part of the model's contract (binary32 arithmetic on two NaNs may return either)
            if (got != want && !(mf.isNaN(got) && mf.isNaN(want))) {
                throw new IllegalStateException("audit: the reconstruction of " + level.cliName() + " under " + profile.id()
                        + " gives " + Format16.hex(want) + " at element " + (tileFirst + i) + " where the model's all-reduce gives "
                        + Format16.hex(got) + "; the audit is out of date with the model");
            }
        }
        groupErrors(s, out, off, present, ref, t);

        Facts g = new Facts();
        for (int r = 0; r < worldSize; r++) {
            short[] x = s.x[r];
            short[] c = quantized ? s.c[r] : x;
            for (int gi = 0; gi < GROUPS; gi++) {
                if (first(gi) >= present) {
                    continue;
                }
                gather(g, 1, r, gi, x, c, quantized ? s.d1[r][gi] : 0, mem[r], off, present, s);
                classify(g, t, s, x, c, mem[r], off, tileFirst, call, callName);
            }
        }
        for (int gi = 0; gi < GROUPS; gi++) {
            if (first(gi) >= present) {
                continue;
            }
            gather(g, 2, -1, gi, sum, s.y, quantized ? s.d2[gi] : 0, null, off, present, s);
            classify(g, t, s, sum, s.y, null, off, tileFirst, call, callName);
        }
        positions(s, t, call);
        t.accuracy = ErrorStatistics.compare(ref, slice(out, off, present), tileFirst, present, path.dtype);
        return t;
    }

    private static short[] slice(short[] a, int off, int n) {
        return off == 0 && n == a.length ? a : Arrays.copyOfRange(a, off, off + n);
    }

    /** Element index (in the tile) of member 0 of group {@code gi}. */
    static int first(int gi) {
        int atom = gi / GROUPS_PER_ATOM;
        int inAtom = gi % GROUPS_PER_ATOM;
        return atom * Geometry.ATOM_ELEMENTS + (inAtom / 2) * Geometry.GROUP_SPAN + (inAtom & 1);
    }

    /** The codec's encode and decode of every atom row; records each group's decoding scale from the scale words. */
    private void roundTrip(short[] in, short[] back, int[] scales, MemorySegment block) {
        for (int atom = 0; atom < Geometry.ATOMS; atom++) {
            int base = atom * Geometry.ATOM_ELEMENTS;
            codec.encodeAtom(in, base, block, 0);
            for (int tg = 0; tg < Geometry.THREAD_GROUPS; tg++) {
                int word = block.get(WORD, scaleOffset + (long) tg * Geometry.SCALE_WORD_BYTES);
                scales[atom * GROUPS_PER_ATOM + 2 * tg] = word & 0xFFFF;
                scales[atom * GROUPS_PER_ATOM + 2 * tg + 1] = word >>> 16;
            }
            codec.decodeAtom(block, 0, back, base);
        }
    }

    /** Phase 1B: +0, then the contribution of sender 0, 1, ... added in T; notes every add that overflowed. */
    private void reduce(Scratch s) {
        Arrays.fill(s.acc, (short) 0);
        Arrays.fill(s.sumFlags, (byte) 0);
        Arrays.fill(s.sumExact, 0);
        int big = f.maxFinite;
        for (int r = 0; r < worldSize; r++) {
            short[] c = quantized ? s.c[r] : s.x[r];
            for (int i = 0; i < TILE; i++) {
                int p = s.acc[i] & 0xFFFF;
                int q = c[i] & 0xFFFF;
                int sum = a.add(p, q);
                if ((sum & 0x7FFF) >= big && f.isFinite(p) && f.isFinite(q)) {
                    double exact = Math.abs(val(f, p) + val(f, q));
                    if (f.isInfinite(sum)) {
                        s.sumFlags[i] |= SUM_OVERFLOWED;
                        s.sumExact[i] = Math.max(s.sumExact[i], exact);
                    } else if (f.isInfinite(plain.add(p, q))) {
                        s.sumFlags[i] |= SUM_SATURATED;
                        s.sumExact[i] = Math.max(s.sumExact[i], exact);
                    }
                }
                s.acc[i] = (short) sum;
            }
        }
    }

    /** Error of the model's output per group, against the exact sum. */
    private void groupErrors(Scratch s, short[] out, int off, int present, double[] ref, SetupTally t) {
        for (int gi = 0; gi < GROUPS; gi++) {
            double sse = 0;
            double ssr = 0;
            double sae = 0;
            double sar = 0;
            double max = 0;
            int finite = 0;
            int lost = 0;
            for (int m = 0, i = first(gi); m < GROUP && i < present; m++, i += 2) {
                double r = ref[i];
                double o = val(mf, out[off + i] & 0xFFFF);
                if (!Double.isFinite(r)) {
                    continue;
                }
                if (!Double.isFinite(o)) {
                    lost++;
                    continue;
                }
                double e = Math.abs(o - r);
                sse += e * e;
                ssr += r * r;
                sae += e;
                sar += Math.abs(r);
                max = Math.max(max, e);
                finite++;
            }
            s.gSse[gi] = sse;
            s.gSsr[gi] = ssr;
            s.gSae[gi] = sae;
            s.gSar[gi] = sar;
            s.gMax[gi] = max;
            s.gFinite[gi] = finite;
            s.gLost[gi] = lost;
        }
    }

    private void gather(Facts g, int phase, int rank, int gi, short[] x, short[] c, int d, short[] mem, int off, int present, Scratch s) {
        g.phase = phase;
        g.rank = rank;
        g.gi = gi;
        g.first = first(gi);
        g.inMask = 0;
        g.zeros = 0;
        g.nanMask = 0;
        g.infMask = 0;
        g.castInfMask = 0;
        g.satMask = 0;
        g.ovfMask = 0;
        g.spreadMask = 0;
        g.absMax = 0;
        g.sxx = 0;
        g.sxc = 0;
        g.sdd = 0;
        g.finitePairs = 0;
        g.overMax = 0;
        g.d = d;
        for (int m = 0; m < GROUP; m++) {
            int i = g.first + 2 * m;
            int xv = x[i] & 0xFFFF;
            if (f.isZero(xv)) {
                g.zeros++; // padding beyond the call reads as zero in the kernel too
            }
            if (i >= present) {
                continue;
            }
            int bit = 1 << m;
            g.inMask |= bit;
            boolean castOverflowed = false;
            if (phase == 1 && path.casts()) {
                int mv = mem[off + i] & 0xFFFF;
                if (mf.isFinite(mv) && f.isInfinite(Fp16.fromFloatRne(Bf16.toFloat(mv)))) {
                    castOverflowed = true;
                    g.overMax = Math.max(g.overMax, Math.abs(mf.toDouble(mv)));
                    if (f.isInfinite(xv)) {
                        g.castInfMask |= bit;
                    } else {
                        g.satMask |= bit;
                    }
                }
            }
            if (phase == 2) {
                byte flags = s.sumFlags[i];
                if ((flags & SUM_OVERFLOWED) != 0) {
                    g.ovfMask |= bit;
                }
                if ((flags & SUM_SATURATED) != 0) {
                    g.satMask |= bit;
                }
                if (flags != 0) {
                    g.overMax = Math.max(g.overMax, s.sumExact[i]);
                }
            }
            if (phase == 2 && !quantized) {
                // the FP codec sends the sum as it is: its NaN and infinities were counted where they entered
                continue;
            }
            if (f.isNaN(xv)) {
                g.nanMask |= bit;
            } else {
                double xd = val(f, xv);
                g.absMax = Math.max(g.absMax, Math.abs(xd));
                if (f.isInfinite(xv) && !castOverflowed && (g.ovfMask & bit) == 0) {
                    g.infMask |= bit;
                }
            }
            int cv = c[i] & 0xFFFF;
            if (f.isFinite(xv) && !f.isFinite(cv)) {
                g.spreadMask |= bit;
            }
            if (f.isFinite(xv) && f.isFinite(cv)) {
                double xd = val(f, xv);
                double cd = val(f, cv);
                g.sxx += xd * xd;
                g.sxc += xd * cd;
                g.sdd += (cd - xd) * (cd - xd);
                g.finitePairs++;
            }
        }
    }

    private void classify(Facts g, SetupTally t, Scratch s, short[] x, short[] c, short[] mem, int off, long tileFirst, int call,
                          String callName) {
        int spread = Integer.bitCount(g.spreadMask);
        boolean noInf = (g.infMask | g.castInfMask | g.ovfMask) == 0;
        if (quantized) {
            int sumEps = a.add(g.d, eps);
            int e = a.rcp(sumEps);
            boolean allZero = g.zeros == GROUP;
            if (allZero) {
                hit(Hazard.ZERO_GROUP, g, Integer.bitCount(g.inMask), g.inMask, g.inMask, spread, spread, t, s, x, c, mem, off,
                        tileFirst, call, callName, e);
            } else if (noInf && g.absMax > 0) {
                if (f.isInfinite(plain.rcp(sumEps))) {
                    hit(Hazard.RECIPROCAL_CLIFF, g, Integer.bitCount(g.inMask), g.inMask, g.inMask, spread, relativeError(g), t, s, x,
                            c, mem, off, tileFirst, call, callName, e);
                }
                if (f.isZero(g.d) || f.isSubnormal(g.d)) {
                    hit(Hazard.SCALE_UNDERFLOW, g, Integer.bitCount(g.inMask), g.inMask, g.inMask, spread, relativeError(g), t, s, x,
                            c, mem, off, tileFirst, call, callName, e);
                }
            }
            if (noInf && spread > 0) {
                // finite values came back NaN or +-inf: through an infinite encoding scale, or else through the decode
                hit(f.isInfinite(e) ? Hazard.RCP_OVERFLOW_NONFINITE : Hazard.DECODE_OVERFLOW, g, Integer.bitCount(g.inMask),
                        g.inMask, g.inMask, spread, spread, t, s, x, c, mem, off, tileFirst, call, callName, e);
            }
        }
        if (g.nanMask != 0) {
            int sp = noInf ? spread : 0;
            hit(Hazard.NAN_INPUT, g, Integer.bitCount(g.nanMask), g.nanMask | (noInf ? g.spreadMask : 0), g.nanMask, sp,
                    Integer.bitCount(g.nanMask) + sp, t, s, x, c, mem, off, tileFirst, call, callName, 0);
        }
        if (g.infMask != 0) {
            hit(Hazard.INF_INPUT, g, Integer.bitCount(g.infMask), g.infMask | g.spreadMask, g.infMask, spread,
                    Integer.bitCount(g.infMask) + spread, t, s, x, c, mem, off, tileFirst, call, callName, 0);
        }
        if (g.castInfMask != 0) {
            hit(Hazard.CAST_OVERFLOW, g, Integer.bitCount(g.castInfMask), g.castInfMask | g.spreadMask, g.castInfMask, spread,
                    g.overMax, t, s, x, c, mem, off, tileFirst, call, callName, 0);
        }
        if (g.satMask != 0) {
            hit(Hazard.FP16_OVFL_SATURATION, g, Integer.bitCount(g.satMask), g.satMask | g.spreadMask, g.satMask, spread,
                    g.overMax, t, s, x, c, mem, off, tileFirst, call, callName, 0);
        }
        if (g.ovfMask != 0) {
            hit(Hazard.SUM_OVERFLOW, g, Integer.bitCount(g.ovfMask), g.ovfMask | g.spreadMask, g.ovfMask, spread, g.overMax, t,
                    s, x, c, mem, off, tileFirst, call, callName, 0);
        }
    }

    /** Σx·x̂ / Σx² of the group's round trip over its finite values: the factor the group came back scaled by. */
    private static double gain(Facts g) {
        return g.sxx == 0 ? Double.NaN : g.sxc / g.sxx;
    }

    /**
     * "gain G, round-trip error E" over the members that stayed finite; when none did (a whole group decoded NaN), the
     * ratios are undefined and the text says so instead of printing NaN and 0 %.
     */
    private static String roundTrip(Facts g) {
        if (g.finitePairs == 0) {
            return "no finite value of the group decoded finite (gain and round-trip error undefined)";
        }
        return "gain " + num(gain(g)) + ", round-trip error " + percent(relativeError(g));
    }

    /** sqrt(Σ(x̂ - x)² / Σx²) of the group's round trip over its finite values. */
    private static double relativeError(Facts g) {
        return g.sxx == 0 ? 0 : Math.sqrt(g.sdd / g.sxx);
    }

    /**
     * Counts one occurrence of {@code h} in the group of {@code g}: {@code elements} values, touching the positions of
     * {@code touched}; {@code trigger} holds the members that show it.
     */
    private void hit(Hazard h, Facts g, int elements, int touched, int trigger, int spread, double severity, SetupTally t,
                     Scratch s, short[] x, short[] c, short[] mem, int off, long tileFirst, int call, String callName, int e) {
        HazardTally ht = t.hazards.get(h);
        if (g.phase == 1) {
            ht.groups1++;
            ht.elements1 += elements;
            ht.spread1 += spread;
        } else {
            ht.groups2++;
            ht.elements2 += elements;
            ht.spread2 += spread;
        }
        s.masks[h.ordinal()][g.gi] |= touched;
        if (keep == 0 || !ht.worst.wants(severity)) {
            return;
        }
        int m0 = h.elementLevel() ? Integer.numberOfTrailingZeros(trigger) : absMaxMember(g, x);
        long element = tileFirst + g.first;
        long triggerElement = element + 2L * m0;
        double gain = h == Hazard.RECIPROCAL_CLIFF || h == Hazard.SCALE_UNDERFLOW ? gain(g) : Double.NaN;
        ht.worst.offer(new WorstGroup(h, g.phase, g.rank, call, callName, element, triggerElement, severity, gain,
                detail(h, g, spread, x, c, mem, off, m0, e), explain(g, x, mem, off)));
    }

    private int absMaxMember(Facts g, short[] x) {
        for (int m = 0; m < GROUP; m++) {
            int xv = x[g.first + 2 * m] & 0xFFFF;
            if (((g.inMask >>> m) & 1) != 0 && !f.isNaN(xv) && Math.abs(f.toDouble(xv)) == g.absMax) {
                return m;
            }
        }
        return 0;
    }

    private String detail(Hazard h, Facts g, int spread, short[] x, short[] c, short[] mem, int off, int m0, int e) {
        int i = g.first + 2 * m0;
        int xv = x[i] & 0xFFFF;
        int cv = c[i] & 0xFFFF;
        String spreadText = spread == 0 ? "" : "; " + spread + " finite value(s) of the group came out NaN or +-inf";
        return switch (h) {
            case CAST_OVERFLOW -> "bf16 " + num(mf.toDouble(mem[off + i] & 0xFFFF)) + " (" + Format16.hex(mem[off + i])
                    + ") became " + value(f, xv) + " in the cast" + spreadText;
            case FP16_OVFL_SATURATION -> (g.phase == 1
                    ? "bf16 " + num(mf.toDouble(mem[off + i] & 0xFFFF)) + " (" + Format16.hex(mem[off + i]) + ") saturated to "
                    : "a partial sum of " + num(g.overMax) + " saturated to ") + value(f, xv) + spreadText;
            case SUM_OVERFLOW -> "a partial sum of " + num(g.overMax) + " overflowed to " + value(f, xv) + spreadText;
            case RECIPROCAL_CLIFF -> scales(g, x, e) + ", 1/(d+EPS) = " + num(1 / f.toDouble(a.add(g.d, eps)))
                    + " does not fit " + f.id() + ": e " + (f.isInfinite(e) ? "overflowed to " : "saturated to ") + value(f, e)
                    + "; " + roundTrip(g) + spreadText;
            case SCALE_UNDERFLOW -> scales(g, x, e) + "; d is " + (f.isZero(g.d) ? "zero: every value decodes to zero" : "subnormal")
                    + "; " + roundTrip(g) + spreadText;
            case RCP_OVERFLOW_NONFINITE, DECODE_OVERFLOW -> scales(g, x, e) + ": " + spread + " of " + Integer.bitCount(g.inMask)
                    + " finite values came out NaN or +-inf (e.g. " + spreadExample(g, x, c) + ")";
            case ZERO_GROUP -> "all values +-0, d " + Format16.hex(g.d) + ", e " + value(f, e) + ": decoded as " + value(f, cv)
                    + spreadText;
            case NAN_INPUT -> Integer.bitCount(g.nanMask) + " NaN value(s), decoded as " + value(f, cv) + spreadText;
            case INF_INPUT -> Integer.bitCount(g.infMask) + " infinite value(s) (" + value(f, xv) + ")" + spreadText;
        };
    }

    private String spreadExample(Facts g, short[] x, short[] c) {
        int i = g.first + 2 * Integer.numberOfTrailingZeros(g.spreadMask);
        return value(f, x[i] & 0xFFFF) + " -> " + value(f, c[i] & 0xFFFF);
    }

    private String scales(Facts g, short[] x, int e) {
        int span = g.first & ~(Geometry.GROUP_SPAN - 1);
        int m = GroupStatistics.signedAbsMax(a, x, span, g.first & 1);
        return "M " + value(f, m) + ", d " + value(f, g.d) + ", e " + value(f, e);
    }

    /** {@code qr explain} of this group: phase 1 from the rank's memory values, phase 2 from the sum in T. */
    private String explain(Facts g, short[] x, short[] mem, int off) {
        if (!quantized) {
            return null;
        }
        int[] v = new int[GROUP];
        int last = 0;
        for (int m = 0; m < GROUP; m++) {
            int i = g.first + 2 * m;
            v[m] = g.phase == 1 ? mem[off + i] & 0xFFFF : x[i] & 0xFFFF;
            if (v[m] != 0) {
                last = m;
            }
        }
        StringBuilder sb = new StringBuilder("./qr explain --codec ").append(level.cliName()).append(" --profile ").append(profile.id());
        if (g.phase == 1) {
            sb.append(" --dtype ").append(path.dtype.id()).append(path.casts() ? " --cast-bf16-to-fp16" : "");
        } else {
            sb.append(" --dtype ").append(f.id());
        }
        sb.append(" --values ");
        for (int m = 0; m <= last; m++) {
            sb.append(m == 0 ? "" : ",").append(String.format(Locale.ROOT, "0x%04X", v[m]));
        }
        return sb.toString();
    }

    /** Positions touched by each hazard in this tile, and the output error in their groups. */
    private void positions(Scratch s, SetupTally t, int call) {
        for (Hazard h : Hazard.values()) {
            int[] masks = s.masks[h.ordinal()];
            HazardTally ht = t.hazards.get(h);
            long groupsBefore = ht.positionGroups;
            long elementsBefore = ht.positionElements;
            for (int gi = 0; gi < GROUPS; gi++) {
                if (masks[gi] == 0) {
                    continue;
                }
                ht.positionGroups++;
                ht.positionElements += Integer.bitCount(masks[gi]);
                ht.finite += s.gFinite[gi];
                ht.sumSquaredError += s.gSse[gi];
                ht.sumSquaredRef += s.gSsr[gi];
                ht.sumAbsError += s.gSae[gi];
                ht.sumAbsRef += s.gSar[gi];
                ht.maxAbsError = Math.max(ht.maxAbsError, s.gMax[gi]);
                ht.lostFinite += s.gLost[gi];
            }
            if (ht.positionGroups > groupsBefore) {
                ht.byCall.put(call, new long[]{ht.positionGroups - groupsBefore, ht.positionElements - elementsBefore});
            }
        }
    }

    /** The exact value of a 16-bit pattern (the conversions to binary32 are exact and cheap). */
    private static double val(Format16 f, int bits) {
        return f == Format16.FP16 ? Float.float16ToFloat((short) bits) : Float.intBitsToFloat(bits << 16);
    }

    static String value(Format16 f, int bits) {
        return num(f.toDouble(bits)) + " (" + Format16.hex(bits) + ")";
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+inf" : "-inf";
        }
        String t = String.format(Locale.ROOT, "%.6g", v);
        // 65504.0 -> 65504, 1.50000 -> 1.5; exponents (1.00000e+30) keep their digits up to the 'e'
        int e = t.indexOf('e');
        String mantissa = e < 0 ? t : t.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + t.substring(e);
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.3g %%", 100 * v);
    }
}
