package dev.qrref.cpu.explore;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.CodecLayout;
import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model's slots and flags sit at the real byte offsets of each layout, and overlap is computed from them. */
class LayoutModelTest {

    private static Action find(Model m, int rank, int block, int call, Action.Kind kind, int phase, int peer) {
        return Arrays.stream(m.program[m.pid(rank, block)])
                .filter(a -> a.call() == call && a.kind() == kind && a.phase() == phase && a.peer() == peer)
                .findFirst().orElseThrow();
    }

    @Test
    void fixedRegionsUseTheSpecLayout() {
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(4).maxBlocks(2)
                .call(CallSpec.tiles(2, QuantLevel.INT6)).call(CallSpec.tiles(1, QuantLevel.F16)).build();
        Model m = new Model(cfg);
        BufferLayout bl = new BufferLayout(4, 2, cfg.effectiveMaxProblemBytes());
        for (int call = 0; call < 2; call++) {
            QuantLevel codec = cfg.calls().get(call).codec();
            int grid = cfg.calls().get(call).grid(2);
            for (int block = 0; block < grid; block++) {
                for (int sender = 0; sender < 4; sender++) {
                    // sender writes into receiver 3's buffer
                    Action w1 = find(m, sender, block, call, Action.Kind.WRITE_SLOT, 1, 3);
                    Action w2 = find(m, sender, block, call, Action.Kind.WRITE_SLOT, 2, 3);
                    assertEquals(bl.slotOffset(BufferLayout.Phase.ONE, codec, block, sender), w1.offset());
                    assertEquals(bl.slotOffset(BufferLayout.Phase.TWO, codec, block, sender), w2.offset());
                    assertEquals(CodecLayout.of(codec).rankTransmittedTileBytes(4), w1.length());
                    Action f2 = find(m, sender, block, call, Action.Kind.STORE_FLAG, 2, 3);
                    assertEquals(bl.flagOffset(BufferLayout.Phase.TWO, block, sender), f2.offset());
                    // the reader addresses exactly what the writer wrote
                    Action r1 = find(m, 3, block, call, Action.Kind.READ_SLOT, 1, sender);
                    assertEquals(w1.loc(), r1.loc());
                    assertEquals(w1.tagId(), r1.tagId());
                }
            }
        }
    }

    @Test
    void preFixLayoutMovesPhaseTwoWithTheGrid() {
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(4)
                .call(CallSpec.tiles(1, QuantLevel.INT4)).call(CallSpec.tiles(3, QuantLevel.INT4))
                .layout(LayoutScheme.GRID_OFFSET_PRE_FIX).build();
        Model m = new Model(cfg);
        long dataOffset = 2L * 2 * 4 * 4;
        long t = CodecLayout.of(QuantLevel.INT4).transmittedTileBytes();
        long rt = CodecLayout.of(QuantLevel.INT4).rankTransmittedTileBytes(2);
        // call 1: grid 1; call 2: grid 3
        assertEquals(dataOffset + t + rt, find(m, 1, 0, 0, Action.Kind.WRITE_SLOT, 2, 0).offset());
        assertEquals(dataOffset + 3 * t + 2 * t + rt, find(m, 1, 2, 1, Action.Kind.WRITE_SLOT, 2, 0).offset());
        assertEquals((1L * 2 + 1) * 4, find(m, 1, 0, 0, Action.Kind.STORE_FLAG, 2, 0).offset());
        assertEquals((3L * 2 + 2 * 2 + 1) * 4, find(m, 1, 2, 1, Action.Kind.STORE_FLAG, 2, 0).offset());
        // call 2's block-1 phase-1 slot is call 1's block-0 phase-2 slot: the same location
        assertEquals(find(m, 1, 0, 0, Action.Kind.WRITE_SLOT, 2, 0).loc(), find(m, 1, 1, 1, Action.Kind.WRITE_SLOT, 1, 0).loc());
        assertEquals(find(m, 1, 0, 0, Action.Kind.STORE_FLAG, 2, 0).loc(), find(m, 1, 1, 1, Action.Kind.STORE_FLAG, 1, 0).loc());
    }

    @Test
    void overlapIsComputedFromByteRangesAcrossCodecs() {
        // FP block 0, sender 1 covers [P + 16384, P + 32768); INT4 block 1, sender 1 covers [P + 13824, P + 18432).
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(2, QuantLevel.F16)).call(CallSpec.tiles(2, QuantLevel.INT4)).build();
        Model m = new Model(cfg);
        int fp = find(m, 1, 0, 0, Action.Kind.WRITE_SLOT, 1, 0).loc();
        int int4 = find(m, 1, 1, 1, Action.Kind.WRITE_SLOT, 1, 0).loc();
        assertTrue(Arrays.stream(m.rangeOverlaps[fp]).anyMatch(o -> o == int4));
        // different receivers never overlap
        int other = find(m, 1, 1, 1, Action.Kind.WRITE_SLOT, 1, 1).loc();
        assertTrue(Arrays.stream(m.rangeOverlaps[fp]).noneMatch(o -> o == other));
    }

    @Test
    void hostColoursAdvanceByCeilNOverGridAndReplaysRepeatThem() {
        ExplorerConfig cfg = ExplorerConfig.builder().worldSize(2).maxBlocks(2)
                .call(CallSpec.tiles(1, QuantLevel.F16)).call(CallSpec.tiles(3, QuantLevel.F16)).call(CallSpec.tiles(1, QuantLevel.F16))
                .colours(ColourScheme.HOST_COLOUR).build();
        assertEquals(Arrays.toString(new int[]{1, 1 + 16384, 1 + 16384 + 24576}), Arrays.toString(new Model(cfg).hostColour));
        Model replay = new Model(cfg.toBuilder().colours(ColourScheme.HOST_COLOUR_GRAPH_REPLAY).build());
        assertEquals(Arrays.toString(new int[]{1, 1 + 16384, 1}), Arrays.toString(replay.hostColour));
    }

    @Test
    void callSpecParsing() {
        assertEquals(new CallSpec(32768, QuantLevel.INT4), CallSpec.parse("2t:int4"));
        assertEquals(new CallSpec(16384, QuantLevel.F16), CallSpec.parse("16k"));
        assertEquals(new CallSpec(8, QuantLevel.INT8), CallSpec.parse("8:INT8"));
        assertEquals("32768:int4", CallSpec.parse("2t:int4").toString());
    }
}
