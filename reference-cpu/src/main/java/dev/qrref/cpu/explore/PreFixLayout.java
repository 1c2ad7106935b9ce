package dev.qrref.cpu.explore;

import dev.qrref.spec.CodecLayout;

/**
 * Upstream before the variable-size fix ({@link LayoutScheme#GRID_OFFSET_PRE_FIX}): flags region of
 * {@code 2·W·maxBlocks·4} bytes, then data; phase 2 sits {@code grid·T} (data) and {@code grid·W·4} (flags) past
 * phase 1 of the same call.
 */
final class PreFixLayout implements SlotLayout {
    private final int w;
    private final long dataOffset;

    PreFixLayout(ExplorerConfig cfg) {
        w = cfg.worldSize();
        dataOffset = 2L * w * cfg.maxBlocks() * 4;
    }

    @Override
    public long slot(int phase, CallSpec call, int grid, int block, int sender) {
        CodecLayout l = CodecLayout.of(call.codec());
        long t = l.transmittedTileBytes();
        long p1 = dataOffset + block * t + (long) sender * l.rankTransmittedTileBytes(w);
        return phase == 1 ? p1 : p1 + grid * t;
    }

    @Override
    public long flag(int phase, int grid, int block, int sender) {
        long p1 = ((long) block * w + sender) * 4;
        return phase == 1 ? p1 : p1 + (long) grid * w * 4;
    }

    @Override
    public long counter(int block) {
        return -1; // the device counters were never part of that layout
    }
}
