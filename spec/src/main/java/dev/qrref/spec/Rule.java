package dev.qrref.spec;

/**
 * The normative rules of the specification. The documentation prints them with these IDs; every conformance test
 * names the rules it covers, and the conformance report lists rules that no test covers.
 */
public enum Rule {
    GEO_TILE("GEO-1", "Tile mapping", "Element e belongs to tile e/16384, atom (e%16384)/2048, thread (e%2048)/8, slot e%8; word j of a thread's vector holds slots 2j (low half) and 2j+1 (high half)."),
    GEO_OWNER("GEO-2", "Ownership", "In every tile, rank R owns atoms R*(8/W) .. (R+1)*(8/W)-1; ownership is interleaved across tiles, not a contiguous split."),
    GEO_GRID("GEO-3", "Grid", "A call launches grid = min(maxBlocks, ceil(N/16384)) blocks; block B processes tiles B, B+grid, ... in that order."),
    GEO_TAIL("GEO-4", "Tail", "Vectors at or beyond element N load as zero and are never stored; they take part in group statistics as zeros."),
    GRP_INTERLEAVE("GRP-1", "Interleaved groups", "In each 64-element span of an atom (8 lanes x 8 elements) the even positions form one group of 32 and the odd positions another; the scale word carries the even group's scale in its low 16 bits and the odd group's in its high 16 bits."),
    GRP_TREE("GRP-2", "Max/min tree", "Per thread m = max(max(w0,w1), max(w2,w3)) (likewise min); then for s = 1, 2, 4 lane L combines its value (first operand) with lane L+s's; lane 8g's result is used by its 8 lanes."),
    GRP_SELECT("GRP-3", "Signed absmax", "M = (|max| > |min|) ? max : min, with a strict comparison: a tie or a NaN picks min, so a tie picks the negative element."),
    ENC_SCALE("ENC-1", "Decoding scale", "d = T(M * SF) with SF = -1/L; d is the stored scale."),
    ENC_RCP("ENC-2", "Encoding scale", "e = rcp(T(d + EPS)); EPS is added after the multiply and before the reciprocal."),
    ENC_CLAMP("ENC-3", "Scale and clamp", "w = T(x * e) is rounded to T, then w = min(max(w, -L), L-1) in T (a NaN w becomes -L)."),
    ENC_ROUND("ENC-4", "Round and bias", "q = rint(float(w)) with ties to even; code = q + L, an unsigned code in [0, 2L-1]."),
    ENC_PACK("ENC-5", "Packing", "Codes are packed per codec as the layout chapter draws them (INT4 nibbles c0,c2,c4,c6,c1,c3,c5,c7; INT8 bytes c0,c2,c1,c3,c4,c6,c5,c7; INT6 nibble plane plus 2-bit plane)."),
    ENC_LEADER("ENC-6", "Scale store", "Only the group leader (lane 8g) stores the 32-bit scale word of its thread group."),
    DEC_VALUE("DEC-1", "Decode", "value = T((code - L) * d) with a single rounding; code - L is exact (fp16: 0x6400|code plus -(1024+L); bf16: float(code) to bf16 plus -L)."),
    FP_RAW("FP-1", "FP codec", "The FP codec sends the raw 16-bit vectors; nothing is quantized."),
    RED_ZERO("RED-1", "Accumulator start", "The reduction starts from +0 (all bits zero)."),
    RED_ORDER("RED-2", "Reduction order", "Contributions are added in sender order 0, 1, ..., W-1 on every owner, whatever its rank: acc = T(acc + decoded_s)."),
    RED_SELF("RED-3", "Own contribution", "An owner's own segment goes through encode, its own buffer and decode like every other sender's."),
    RED_REQUANT("RED-4", "Re-quantization", "The owner encodes the sum again with fresh group scales and sends it to every rank, itself included; every rank decodes all W segments from its phase-2 region."),
    RED_IDENTICAL("RED-5", "Identical outputs", "Every rank's output is bit-identical."),
    CAST_LOAD("CAST-1", "bf16 to fp16", "With the cast, each loaded bf16 value becomes fp16 via binary32 with round-to-nearest-even; overflow follows the profile."),
    CAST_STORE("CAST-2", "fp16 to bf16", "With the cast, each output fp16 value becomes bf16 via binary32 with round-to-nearest-even."),
    BUF_REGIONS("BUF-1", "Fixed regions", "Phase-1 flags, phase-2 flags, block counters, phase-1 data and phase-2 data sit at offsets that depend only on W, the grid cap and the max problem size."),
    BUF_SLOTS("BUF-2", "Slot addressing", "Sender s writes block B's segment for receiver r at r's phase base + B*8*stride + s*(8/W)*stride; flags at phase flag base + (B*W + s)*4."),
    FLAG_COLOUR("FLAG-1", "Colours", "Block counters start at 1; iteration j of block B uses colour counter[B] + j in both phases; after the call counter[B] += iterations(B)."),
    FLAG_WAIT("FLAG-2", "Bounded exact wait", "A wait passes only when the flag equals the colour; a wait that exceeds the timeout fails the call with TIMEOUT instead of hanging."),
    FLAG_ORDER("FLAG-3", "Memory order", "All data stores of a block happen-before its flag store (release, system scope); the flag observation (acquire) happens-before the reads of the slot."),
    NUM_ROUND("NUM-1", "Rounding", "Every 16-bit arithmetic result is the exact result rounded to nearest, ties to even, with subnormals kept."),
    NUM_OVERFLOW("NUM-2", "Overflow", "A finite result beyond the largest finite value is +-inf under cuda and cdna4, and +-65504 under cdna3 (fp16 only); infinite inputs stay infinite."),
    NUM_RCP("NUM-3", "Reciprocal", "rcp(x) is the correctly rounded 1/x in T (measured on H100; assumed for AMD), with overflow per NUM-2."),
    NUM_MINMAX("NUM-4", "Max/min", "max and min ignore a NaN operand (maxNum/minNum); max(-0,+0) = +0 and min(-0,+0) = -0."),
    API_ARGS("API-1", "Arguments", "World size is 2, 4 or 8; rank is in 0..W-1; N is a positive multiple of 8 with 2N at most the max problem size."),
    API_STATE("API-2", "States", "allreduce before the handles are opened, any call after close, and a second close fail with INVALID_STATE; a timeout leaves the communicator BROKEN.");

    public final String id;
    public final String title;
    public final String statement;

    Rule(String id, String title, String statement) {
        this.id = id;
        this.title = title;
        this.statement = statement;
    }

    public static Rule byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no rule " + id);
    }
}
