package dev.qrref.cpu.explore;

import dev.qrref.spec.Geometry;
import dev.qrref.spec.InvalidArgumentException;
import dev.qrref.spec.QuantLevel;

/**
 * One all-reduce call in the explored sequence: its element count and codec. Grid and iterations follow from the grid
 * cap of the configuration.
 *
 * @param elements N, a positive multiple of 8
 * @param codec    the codec on the wire (sets the slot sizes)
 */
public record CallSpec(long elements, QuantLevel codec) {

    public CallSpec {
        if (codec == null) {
            throw new InvalidArgumentException("codec must not be null");
        }
        if (elements <= 0 || elements % Geometry.SIZE_MULTIPLE_ELEMENTS != 0) {
            throw new InvalidArgumentException("element count " + elements + " must be a positive multiple of "
                    + Geometry.SIZE_MULTIPLE_ELEMENTS);
        }
        if (2 * elements > Geometry.DEFAULT_MAX_PROBLEM_BYTES) {
            throw new InvalidArgumentException("element count " + elements + " exceeds the 2 GiB maximum");
        }
    }

    public static CallSpec of(long elements, QuantLevel codec) {
        return new CallSpec(elements, codec);
    }

    /** A call of {@code tiles} whole tiles (16384 elements each). */
    public static CallSpec tiles(int tiles, QuantLevel codec) {
        return new CallSpec((long) tiles * Geometry.TILE_ELEMENTS, codec);
    }

    /**
     * Parses {@code N[:codec]} where N is an element count, optionally with a suffix {@code t} for tiles
     * ({@code 2t:int4} = 32768 elements, INT4), {@code k} (×1024) or {@code m} (×1048576); the codec defaults to fp.
     */
    public static CallSpec parse(String text) {
        String s = text.trim();
        String codecName = "fp";
        int colon = s.indexOf(':');
        if (colon >= 0) {
            codecName = s.substring(colon + 1).trim();
            s = s.substring(0, colon).trim();
        }
        long mult = 1;
        if (!s.isEmpty()) {
            char last = Character.toLowerCase(s.charAt(s.length() - 1));
            if (last == 't' || last == 'k' || last == 'm') {
                mult = last == 't' ? Geometry.TILE_ELEMENTS : last == 'k' ? 1024 : 1024 * 1024;
                s = s.substring(0, s.length() - 1);
            }
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(s.replace("_", "")), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidArgumentException("cannot parse call '" + text + "' (expected N[:codec], e.g. 16384:fp or 2t:int4)");
        }
        return new CallSpec(n, QuantLevel.fromName(codecName));
    }

    public long numTiles() {
        return Geometry.numTiles(elements);
    }

    public int grid(int maxBlocks) {
        return Geometry.grid(numTiles(), maxBlocks);
    }

    /** Grid-stride iterations of {@code block} in this call. */
    public int iterations(int block, int maxBlocks) {
        return Geometry.iterations(block, numTiles(), grid(maxBlocks));
    }

    /** Upstream host colour advance after this call: ceil(N / grid), in uint32. */
    public int hostColourAdvance(int maxBlocks) {
        int g = grid(maxBlocks);
        return (int) ((elements + g - 1) / g);
    }

    /** Short form for tables: {@code 2t:int4} when N is whole tiles, else {@code N:codec}; {@link #parse} reads both. */
    public String label() {
        return (elements % Geometry.TILE_ELEMENTS == 0 ? elements / Geometry.TILE_ELEMENTS + "t" : String.valueOf(elements))
                + ":" + codec.cliName();
    }

    /** {@code N:codec}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return elements + ":" + codec.cliName();
    }
}
