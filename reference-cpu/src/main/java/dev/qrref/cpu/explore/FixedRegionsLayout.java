package dev.qrref.cpu.explore;

import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.InvalidArgumentException;

/** The project's layout, straight from the spec ({@link LayoutScheme#FIXED_REGIONS}). */
final class FixedRegionsLayout implements SlotLayout {
    private final BufferLayout bl;

    FixedRegionsLayout(ExplorerConfig cfg) {
        bl = new BufferLayout(cfg.worldSize(), cfg.maxBlocks(), cfg.effectiveMaxProblemBytes());
        for (CallSpec c : cfg.calls()) {
            if (c.grid(cfg.maxBlocks()) > bl.touchedBlocks()) {
                throw new InvalidArgumentException("call " + c + " runs more blocks than the buffer has slots for");
            }
        }
    }

    private static BufferLayout.Phase ph(int phase) {
        return phase == 1 ? BufferLayout.Phase.ONE : BufferLayout.Phase.TWO;
    }

    @Override
    public long slot(int phase, CallSpec call, int grid, int block, int sender) {
        return bl.slotOffset(ph(phase), call.codec(), block, sender);
    }

    @Override
    public long flag(int phase, int grid, int block, int sender) {
        return bl.flagOffset(ph(phase), block, sender);
    }

    @Override
    public long counter(int block) {
        return bl.counterOffset(block);
    }
}
