package dev.qrref.cpu.protocol;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.FastPath;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.cpu.codec.Codec;
import dev.qrref.spec.BufferLayout;
import dev.qrref.spec.DataPath;
import dev.qrref.spec.Geometry;
import dev.qrref.spec.QuantLevel;

/**
 * Everything fixed for one call: sizes, grid, codec, data path and arithmetic. Shared by every rank and block.
 *
 * @param layout     the buffer layout of every rank
 * @param n          element count
 * @param numTiles   {@code ceil(n / 16384)}
 * @param grid       {@code min(maxBlocks, numTiles)} (rule GEO-3)
 * @param level      the codec
 * @param path       fp16, bf16 or bf16 with cast
 * @param profile    the numerics profile
 * @param codec      the codec instance for the compute format
 * @param arith      the compute format's operations (for the reduction sum)
 * @param vector     whether the call runs the Vector API path ({@link FastPath}); the bits are the same either way
 */
public record CallPlan(BufferLayout layout, long n, long numTiles, int grid, QuantLevel level, DataPath path,
                       NumericsProfile profile, Codec codec, Arith16 arith, boolean vector) {

    /** The plan of a first call: the path {@link FastPath#forCall} picks when nothing moved before. */
    public static CallPlan of(BufferLayout layout, long n, QuantLevel level, DataPath path, NumericsProfile profile) {
        return of(layout, n, level, path, profile, FastPath.forCall(0));
    }

    public static CallPlan of(BufferLayout layout, long n, QuantLevel level, DataPath path, NumericsProfile profile, boolean vector) {
        layout.checkElements(n);
        long tiles = Geometry.numTiles(n);
        boolean v = vector && FastPath.available();
        return new CallPlan(layout, n, tiles, Geometry.grid(tiles, layout.maxBlocks()), level, path, profile,
                Codec.of(level, profile, path.compute, v), profile.arith(path.compute), v);
    }

    public int worldSize() {
        return layout.worldSize();
    }

    public int rankAtoms() {
        return Geometry.rankAtoms(layout.worldSize());
    }

    /** Iterations block {@code block} runs in this call. */
    public int iterations(int block) {
        return Geometry.iterations(block, numTiles, grid);
    }

    /** Iterations of the busiest block (block 0). */
    public int maxIterations() {
        return iterations(0);
    }

    /** Tile processed by {@code block} in iteration {@code j}. */
    public long tile(int block, int j) {
        return block + (long) j * grid;
    }
}
