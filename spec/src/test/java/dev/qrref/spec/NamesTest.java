package dev.qrref.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void namesAreFoundByIdOrEnumNameIgnoringCase() {
        assertSame(DataPath.BF16_CAST, DataPath.fromName("bf16-cast"));
        assertSame(DataPath.BF16_CAST, DataPath.fromName("BF16_CAST"));
        assertSame(QuantLevel.INT4, QuantLevel.fromName("Int4"));
        assertSame(Profile.CDNA3, Profile.fromName("CDNA3"));
        assertSame(DType.BF16, DType.fromName("bf16"));
    }

    @Test
    void anUnknownOrMissingNameListsTheKnownOnes() {
        assertEquals("unknown data path 'bf8' (expected one of fp16, bf16, bf16-cast)",
                assertThrows(InvalidArgumentException.class, () -> DataPath.fromName("bf8")).getMessage());
        assertEquals("unknown codec 'null' (expected one of fp, int8, int6, int4, int3, fp8)",
                assertThrows(InvalidArgumentException.class, () -> QuantLevel.fromName(null)).getMessage());
    }
}
