package dev.qrref.cpu.codec;

/**
 * Where some bits of one element's code sit in an atom block (rule ENC-5): the codec's packing, stated per element so
 * that {@code qr explain} and the documentation can show it; each codec's test re-packs codes at these positions and
 * compares with the codec's own bytes.
 *
 * @param plane      the payload plane's name ({@code CodecLayout.Plane#name()})
 * @param wordOffset byte offset of the thread's word in the atom block
 * @param wordBytes  size of that word (4 for a nibble word, 2 for a 16-bit plane word, 1 for a byte)
 * @param bitInWord  lowest bit inside the word
 * @param width      number of bits
 * @param codeBitLo  which bit of the code is the lowest one stored here
 */
public record CodeField(String plane, int wordOffset, int wordBytes, int bitInWord, int width, int codeBitLo) {
    /** Byte offset (in the atom block) of the byte that holds these bits (little-endian words). */
    public int byteOffset() {
        return wordOffset + bitInWord / 8;
    }

    /** Lowest bit inside that byte. */
    public int bitInByte() {
        return bitInWord % 8;
    }
}
