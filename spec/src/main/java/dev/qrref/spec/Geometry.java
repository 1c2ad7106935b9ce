package dev.qrref.spec;

import java.util.List;

/**
 * Launch geometry and tiling (rules GEO-*). A block of 256 threads processes one tile of 32 KiB per grid-stride
 * iteration; thread {@code t} holds one 16-byte vector of each of the 8 atoms of the tile.
 *
 * <pre>
 * element e of the tensor:   tile = e / 16384, atom = (e % 16384) / 2048, thread = (e % 2048) / 8, j = e % 8
 * thread -&gt; element (CuTe):  (8 atoms, 256 threads, 8 elements) : (2048, 8, 1)
 * </pre>
 */
public final class Geometry {
    private Geometry() {
    }

    /** Threads per block: 4 wavefronts of 64 lanes (8 CUDA warps). */
    public static final int THREADS = 256;
    /** Lanes per AMD wavefront; the 8-lane groups never straddle a 32-lane CUDA warp. */
    public static final int WAVEFRONT = 64;
    /** Atoms (16-byte vectors) each thread holds per tile. */
    public static final int ATOMS = 8;
    /** Bytes of one atom vector: 4 packed 32-bit words. */
    public static final int VECTOR_BYTES = 16;
    /** Bytes of one element (fp16 or bf16). */
    public static final int ELEMENT_BYTES = 2;
    /** Elements of one vector. */
    public static final int VECTOR_ELEMENTS = VECTOR_BYTES / ELEMENT_BYTES;
    /** 32-bit words of one vector; word j holds elements 2j (low half) and 2j+1 (high half). */
    public static final int VECTOR_WORDS = VECTOR_BYTES / 4;
    /** Bytes of one atom row: every thread's vector of one atom. */
    public static final int ATOM_BYTES = THREADS * VECTOR_BYTES;
    /** Elements of one atom row. */
    public static final int ATOM_ELEMENTS = ATOM_BYTES / ELEMENT_BYTES;
    /** Bytes of one tile: the unit of work of one block iteration. */
    public static final int TILE_BYTES = ATOMS * ATOM_BYTES;
    /** Elements of one tile. */
    public static final int TILE_ELEMENTS = TILE_BYTES / ELEMENT_BYTES;
    /** Consecutive lanes whose vectors form one pair of quantization groups. */
    public static final int GROUP_THREADS = 8;
    /** Contiguous elements covered by one thread group in one atom: two interleaved groups (even, odd). */
    public static final int GROUP_SPAN = GROUP_THREADS * VECTOR_ELEMENTS;
    /** Elements of one quantization group: the even (or odd) positions of a 64-element span. */
    public static final int GROUP_SIZE = GROUP_SPAN / 2;
    /** Thread groups per atom row, i.e. 32-bit scale words per atom block. */
    public static final int THREAD_GROUPS = THREADS / GROUP_THREADS;
    /** Bytes of one scale word: the even group's 16-bit scale in the low half, the odd group's in the high half. */
    public static final int SCALE_WORD_BYTES = 4;
    /** Bytes of scales in one atom block. */
    public static final int SCALE_BYTES = THREAD_GROUPS * SCALE_WORD_BYTES;
    /** Default maximum grid: 304 compute units of an MI300X times 4 blocks each (upstream {@code kMaxNumBlocks}). */
    public static final int DEFAULT_MAX_BLOCKS = 304 * 4;
    /** Tensor byte sizes must be a multiple of this (one vector), as upstream's Python guard requires. */
    public static final int SIZE_MULTIPLE_BYTES = VECTOR_BYTES;
    /** Element counts are therefore multiples of 8. */
    public static final int SIZE_MULTIPLE_ELEMENTS = SIZE_MULTIPLE_BYTES / ELEMENT_BYTES;
    /** Default and largest maximum problem size: 2 GiB (upstream computes byte counts in uint32). */
    public static final long DEFAULT_MAX_PROBLEM_BYTES = 1L << 31;
    /** The world sizes the protocol is defined for. */
    public static final List<Integer> WORLD_SIZES = List.of(2, 4, 8);

    static {
        if (ATOM_BYTES != 4096 || TILE_BYTES != 32768 || TILE_ELEMENTS != 16384 || GROUP_SIZE != 32
                || SCALE_BYTES != 128 || DEFAULT_MAX_BLOCKS != 1216) {
            throw new AssertionError("geometry constants do not derive to the upstream values");
        }
    }

    /** Atoms owned by each rank in every tile: 4, 2 or 1 for W = 2, 4, 8. */
    public static int rankAtoms(int worldSize) {
        checkWorldSize(worldSize);
        return ATOMS / worldSize;
    }

    /** Throws {@link InvalidArgumentException} unless {@code worldSize} is 2, 4 or 8. */
    public static void checkWorldSize(int worldSize) {
        if (!WORLD_SIZES.contains(worldSize)) {
            throw new InvalidArgumentException("world size " + worldSize + " is not supported (expected 2, 4 or 8)");
        }
    }

    /** Throws unless {@code 0 <= rank < worldSize}. */
    public static void checkRank(int worldSize, int rank) {
        checkWorldSize(worldSize);
        if (rank < 0 || rank >= worldSize) {
            throw new InvalidArgumentException("rank " + rank + " is out of range for world size " + worldSize
                    + " (expected 0.." + (worldSize - 1) + ")");
        }
    }

    /** Number of tiles covering {@code n} elements: {@code ceil(n / 16384)}. */
    public static long numTiles(long n) {
        return LayoutFormulas.NUM_TILES.eval(n);
    }

    /** Blocks launched for {@code numTiles} tiles with a grid cap of {@code maxBlocks}. */
    public static int grid(long numTiles, int maxBlocks) {
        return (int) Math.min(numTiles, maxBlocks);
    }

    /** Grid-stride iterations block {@code block} runs: tiles {@code block, block+grid, …} below {@code numTiles}. */
    public static int iterations(int block, long numTiles, int grid) {
        if (block >= grid || block >= numTiles) {
            return 0;
        }
        return (int) ((numTiles - block + grid - 1) / grid);
    }

    /** Element index of (tile, atom, thread, j). */
    public static long element(long tile, int atom, int thread, int j) {
        return tile * TILE_ELEMENTS + (long) atom * ATOM_ELEMENTS + (long) thread * VECTOR_ELEMENTS + j;
    }

    /** Where one element sits in the launch: the coordinates a mismatch report prints. */
    public record Coordinates(long tile, int atom, int thread, int j, int threadGroup, boolean odd) {
        /** Lane inside the wavefront. */
        public int lane() {
            return thread % WAVEFRONT;
        }

        /** Index of the 32-element quantization group inside its atom: {@code 2·threadGroup + (odd ? 1 : 0)}. */
        public int group() {
            return 2 * threadGroup + (odd ? 1 : 0);
        }

        /** Rank that owns (reduces) this element in a world of {@code worldSize}. */
        public int owner(int worldSize) {
            return atom / rankAtoms(worldSize);
        }
    }

    public static Coordinates coordinates(long element) {
        long tile = element / TILE_ELEMENTS;
        int inTile = (int) (element % TILE_ELEMENTS);
        int atom = inTile / ATOM_ELEMENTS;
        int inAtom = inTile % ATOM_ELEMENTS;
        int thread = inAtom / VECTOR_ELEMENTS;
        int j = inAtom % VECTOR_ELEMENTS;
        return new Coordinates(tile, atom, thread, j, thread / GROUP_THREADS, (j & 1) == 1);
    }

    static List<Constant> constants() {
        String g = "geometry";
        return List.of(
                new Constant("THREADS", THREADS, 32, "256 threads", "4 wavefronts x 64 lanes (blockDim 64 x 4)", g),
                new Constant("WAVEFRONT", WAVEFRONT, 32, "64 lanes", "AMD wavefront; = 2 CUDA warps", g),
                new Constant("ATOMS", ATOMS, 32, "8 vectors per thread", "upstream kAtoms", g),
                new Constant("VECTOR_BYTES", VECTOR_BYTES, 32, "16 bytes", "one 128-bit load per thread per atom", g),
                new Constant("ELEMENT_BYTES", ELEMENT_BYTES, 32, "2 bytes", "fp16 or bf16", g),
                new Constant("VECTOR_ELEMENTS", VECTOR_ELEMENTS, 32, "8 elements", "VECTOR_BYTES / 2", g),
                new Constant("ATOM_BYTES", ATOM_BYTES, 32, "4096 bytes", "THREADS x VECTOR_BYTES = 256 x 16", g),
                new Constant("ATOM_ELEMENTS", ATOM_ELEMENTS, 32, "2048 elements", "ATOM_BYTES / 2", g),
                new Constant("TILE_BYTES", TILE_BYTES, 32, "32768 bytes", "ATOMS x ATOM_BYTES = 8 x 4096", g),
                new Constant("TILE_ELEMENTS", TILE_ELEMENTS, 32, "16384 elements", "TILE_BYTES / 2", g),
                new Constant("GROUP_THREADS", GROUP_THREADS, 32, "8 lanes", "lanes 8g..8g+7 of a wavefront", g),
                new Constant("GROUP_SPAN", GROUP_SPAN, 32, "64 elements", "GROUP_THREADS x VECTOR_ELEMENTS", g),
                new Constant("GROUP_SIZE", GROUP_SIZE, 32, "32 elements", "even (or odd) positions of a GROUP_SPAN", g),
                new Constant("THREAD_GROUPS", THREAD_GROUPS, 32, "32 scale words per atom", "THREADS / GROUP_THREADS", g),
                new Constant("SCALE_BYTES", SCALE_BYTES, 32, "128 bytes per atom block", "THREAD_GROUPS x 4", g),
                new Constant("DEFAULT_MAX_BLOCKS", DEFAULT_MAX_BLOCKS, 32, "1216 blocks", "304 CUs (MI300X) x 4; a layout parameter", g),
                new Constant("SIZE_MULTIPLE_BYTES", SIZE_MULTIPLE_BYTES, 32, "16 bytes", "byte size must be a multiple of one vector", g),
                new Constant("DEFAULT_MAX_PROBLEM_BYTES", DEFAULT_MAX_PROBLEM_BYTES, 64, "2 GiB", "2^31; also the largest allowed", g));
    }
}
