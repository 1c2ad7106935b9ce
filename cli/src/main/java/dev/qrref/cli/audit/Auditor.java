package dev.qrref.cli.audit;

import dev.qrref.cli.data.ErrorStatistics;
import dev.qrref.cli.data.Parallel;
import dev.qrref.conformance.Listener;
import dev.qrref.spec.Backend;
import dev.qrref.spec.CommsOptions;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Format16;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.GroupComms;
import dev.qrref.spec.Profile;
import dev.qrref.spec.QuantLevel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an audit: every call of the input, in chunks of whole tiles, through the backend's real all-reduce for every
 * codec and profile asked for, and through {@link TileAnalysis} for the hazards. A chunk is a complete all-reduce of its
 * own (tiles never interact and the last one is padded with zeros exactly as in the whole call), so the inputs stream
 * through memory in fixed-size pieces; chunk and tile boundaries do not depend on the thread count and every partial
 * result is added in tensor order, so the report is the same bits for any {@code --threads}.
 */
public final class Auditor {
    /** Tiles per chunk: 512 Ki elements (1 MiB) per rank. */
    public static final int DEFAULT_CHUNK_TILES = 32;
    private static final int TILE = Geometry.TILE_ELEMENTS;
    private static final ValueLayout.OfShort ELEMENT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Auditor() {
    }

    /**
     * What to audit.
     *
     * @param codecs     the codecs, in the order given
     * @param profiles   the profiles, in the order given
     * @param path       the data path (dtype and cast)
     * @param minSqnrDb  the SQNR a codec must reach for the recommendation
     * @param keep       worst groups kept per hazard, codec and profile
     * @param chunkTiles tiles per chunk
     */
    public record Options(List<QuantLevel> codecs, List<Profile> profiles, DataPath path, double minSqnrDb, int keep, int chunkTiles) {
        public Options {
            codecs = List.copyOf(codecs);
            profiles = List.copyOf(profiles);
            if (codecs.isEmpty() || profiles.isEmpty() || keep < 0 || chunkTiles < 1) {
                throw new IllegalArgumentException("audit options: at least one codec and profile, keep >= 0, chunkTiles >= 1");
            }
        }
    }

    public static AuditReport run(AuditInput in, Options o, Listener progress, Parallel parallel, Backend backend) {
        if (in.dtype() != o.path().dtype) {
            throw new IllegalArgumentException("inputs are " + in.dtype().id() + ", the data path is " + o.path().id());
        }
        int w = in.worldSize();
        List<SetupTally> totals = new ArrayList<>();
        List<TileAnalysis> analyses = new ArrayList<>();
        for (QuantLevel c : o.codecs()) {
            for (Profile p : o.profiles()) {
                totals.add(new SetupTally(c, p, o.keep()));
                analyses.add(new TileAnalysis(c, p, o.path(), w, o.keep()));
            }
        }
        int chunkElements = o.chunkTiles() * TILE;
        long chunks = 0;
        for (AuditInput.Call c : in.calls()) {
            chunks += (c.elements() + chunkElements - 1) / chunkElements;
        }
        long units = chunks * totals.size();
        if (units > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too much work for one audit: " + units + " chunk runs");
        }
        progress.phase("all-reduce and hazards", (int) units);
        AbsMaxHistogram inputGroups = new AbsMaxHistogram();
        AbsMaxHistogram sumGroups = new AbsMaxHistogram();
        Map<Profile, GroupComms> comms = new EnumMap<>(Profile.class);
        int done = 0;
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> outputs = new ArrayList<>();
            for (int r = 0; r < w; r++) {
                outputs.add(arena.allocate(2L * chunkElements, Geometry.VECTOR_BYTES));
            }
            short[][] mem = new short[w][chunkElements];
            short[] out = new short[chunkElements];
            double[][] ref = new double[o.chunkTiles()][TILE];
            for (int ci = 0; ci < in.calls().size(); ci++) {
                AuditInput.Call call = in.calls().get(ci);
                MemorySegment[] segs = call.ranks().toArray(MemorySegment[]::new);
                for (long first = 0; first < call.elements(); first += chunkElements) {
                    int count = (int) Math.min(chunkElements, call.elements() - first);
                    int tiles = (count + TILE - 1) / TILE;
                    for (int r = 0; r < w; r++) {
                        MemorySegment.copy(segs[r], ELEMENT, 2 * first, mem[r], 0, count);
                        Arrays.fill(mem[r], count, tiles * TILE, (short) 0);
                    }
                    long chunkFirst = first;
                    AbsMaxHistogram[] inParts = new AbsMaxHistogram[tiles];
                    AbsMaxHistogram[] sumParts = new AbsMaxHistogram[tiles];
                    parallel.forEach(tiles, t -> {
                        int present = Math.min(TILE, count - t * TILE);
                        ErrorStatistics.reference(segs, chunkFirst + (long) t * TILE, present, in.dtype(), ref[t]);
                        inParts[t] = new AbsMaxHistogram();
                        sumParts[t] = new AbsMaxHistogram();
                        histograms(mem, t * TILE, present, ref[t], in.dtype().format, inParts[t], sumParts[t]);
                    });
                    for (int t = 0; t < tiles; t++) {
                        inputGroups.add(inParts[t]);
                        sumGroups.add(sumParts[t]);
                    }
                    List<MemorySegment> inSlices = new ArrayList<>();
                    List<MemorySegment> outSlices = new ArrayList<>();
                    for (int r = 0; r < w; r++) {
                        inSlices.add(segs[r].asSlice(2 * first, 2L * count));
                        outSlices.add(outputs.get(r).asSlice(0, 2L * count));
                    }
                    for (int k = 0; k < totals.size(); k++) {
                        SetupTally total = totals.get(k);
                        GroupComms g = comms.computeIfAbsent(total.profile(),
                                p -> backend.newGroup(w, 2L * chunkElements, CommsOptions.of(p)));
                        g.allreduce(inSlices, outSlices, count, in.dtype(), total.codec(), o.path().casts());
                        sameOnEveryRank(outSlices, count, total, call, first);
                        MemorySegment.copy(outSlices.getFirst(), ELEMENT, 0, out, 0, count);
                        Arrays.fill(out, count, tiles * TILE, (short) 0);
                        TileAnalysis analysis = analyses.get(k);
                        SetupTally[] parts = new SetupTally[tiles];
                        int callIndex = ci;
                        parallel.forEach(tiles, t -> parts[t] = analysis.analyze(mem, t * TILE, Math.min(TILE, count - t * TILE), out,
                                ref[t], chunkFirst + (long) t * TILE, callIndex, call.name()));
                        for (SetupTally p : parts) {
                            total.add(p);
                        }
                        done++;
                        progress.progress(done, (int) units, total.codec().cliName() + " " + total.profile().id()
                                + (call.name().isEmpty() ? "" : " " + call.name()));
                    }
                }
            }
        } finally {
            for (GroupComms g : comms.values()) {
                g.close();
            }
        }
        return new AuditReport(in, o, totals, inputGroups, sumGroups);
    }

    private static void sameOnEveryRank(List<MemorySegment> outs, int count, SetupTally s, AuditInput.Call call, long first) {
        for (int r = 1; r < outs.size(); r++) {
            long at = MemorySegment.mismatch(outs.getFirst(), 0, 2L * count, outs.get(r), 0, 2L * count);
            if (at >= 0) {
                throw new IllegalStateException("the model's ranks differ (" + s.codec().cliName() + ", " + s.profile().id()
                        + "): rank " + r + " first at element " + (first + at / 2) + (call.name().isEmpty() ? "" : " of " + call.name()));
            }
        }
    }

    /** Group absmax of every rank's groups (memory values) and of the exact sum's groups, for the plots. */
    private static void histograms(short[][] mem, int off, int present, double[] ref, Format16 mf, AbsMaxHistogram in,
                                   AbsMaxHistogram sums) {
        for (int gi = 0; gi < TileAnalysis.GROUPS; gi++) {
            int first = TileAnalysis.first(gi);
            if (first >= present) {
                continue;
            }
            for (short[] rank : mem) {
                double max = 0;
                boolean allNaN = true;
                for (int i = first; i < present && i < first + 2 * TileAnalysis.GROUP; i += 2) {
                    double v = mf.toDouble(rank[off + i] & 0xFFFF);
                    if (v == v) {
                        allNaN = false;
                        max = Math.max(max, Math.abs(v));
                    }
                }
                in.add(max, allNaN);
            }
            double max = 0;
            boolean allNaN = true;
            for (int i = first; i < present && i < first + 2 * TileAnalysis.GROUP; i += 2) {
                double v = ref[i];
                if (v == v) {
                    allNaN = false;
                    max = Math.max(max, Math.abs(v));
                }
            }
            sums.add(max, allNaN);
        }
    }
}
