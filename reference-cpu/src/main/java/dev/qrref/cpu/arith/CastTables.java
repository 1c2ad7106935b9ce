package dev.qrref.cpu.arith;

import dev.qrref.spec.Format16;
import dev.qrref.spec.Profile;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bf16 ↔ fp16 casts of every 16-bit pattern under each profile, as 64 Ki-entry tables built once from
 * {@link NumericsProfile#castBf16ToFp16} and {@link NumericsProfile#castFp16ToBf16}: a lookup per element instead of
 * two conversions and a profile check, with the same bits by construction.
 */
public final class CastTables {
    private CastTables() {
    }

    // published through volatile reads and writes, so a thread never sees a table before its entries
    private static final AtomicReferenceArray<short[]> TO_FP16 = new AtomicReferenceArray<>(Profile.values().length);
    private static final AtomicReferenceArray<short[]> TO_BF16 = new AtomicReferenceArray<>(Profile.values().length);

    /** {@code table[bf16] = profile.castBf16ToFp16(bf16)}; do not modify. */
    public static short[] bf16ToFp16(NumericsProfile profile) {
        int i = profile.id().ordinal();
        short[] t = TO_FP16.get(i);
        if (t == null) {
            t = new short[1 << Format16.WIDTH];
            for (int b = 0; b < t.length; b++) {
                t[b] = (short) profile.castBf16ToFp16(b);
            }
            TO_FP16.set(i, t); // two threads may both build it: the tables are equal
        }
        return t;
    }

    /** {@code table[fp16] = profile.castFp16ToBf16(fp16)}; do not modify. */
    public static short[] fp16ToBf16(NumericsProfile profile) {
        int i = profile.id().ordinal();
        short[] t = TO_BF16.get(i);
        if (t == null) {
            t = new short[1 << Format16.WIDTH];
            for (int h = 0; h < t.length; h++) {
                t[h] = (short) profile.castFp16ToBf16(h);
            }
            TO_BF16.set(i, t);
        }
        return t;
    }
}
