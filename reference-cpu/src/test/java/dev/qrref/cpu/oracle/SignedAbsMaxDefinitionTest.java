package dev.qrref.cpu.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.spec.Format16;
import org.junit.jupiter.api.Test;

/**
 * The element-wise model's signed absmax against its own definition on hand-made groups, the corner cases random
 * groups hardly reach: NaNs before the first number, all zeros, all NaNs, ties of magnitude in either order.
 */
class SignedAbsMaxDefinitionTest {
    private static final Format16 H = Format16.FP16;
    private static final int NAN = 0x7E00;
    private static final int NEG_NAN = 0xFE01;

    private static int m(int... members) {
        return ElementwiseModel.signedAbsMax(H, members);
    }

    @Test
    void theLargestMagnitudeWinsAndATiePicksTheNegative() {
        assertEquals(0x4200, m(0x3C00, 0x4200, 0xC000), "3 beats 1 and -2");
        assertEquals(0xC200, m(0x4200, 0xC200), "+3 then -3: -3");
        assertEquals(0xC200, m(0xC200, 0x4200), "-3 then +3: -3");
        assertEquals(0x4200, m(0x4200, 0x4200, 0x0001), "equal positive values: that value");
    }

    @Test
    void zerosAndNaNs() {
        assertEquals(0x0000, m(NAN, 0x0000, 0x0000), "a leading NaN is skipped: +0");
        assertEquals(0x0000, m(NEG_NAN, NAN, 0x0000), "NaNs then +0");
        assertEquals(0x8000, m(0x0000, 0x8000, 0x0000), "any -0 among zeros gives -0");
        assertEquals(0x8000, m(0x8000, 0x0000), "-0 first");
        assertEquals(0x3C00, m(0x0000, NAN, 0x3C00), "+0 is replaced by a larger magnitude after a NaN");
        assertEquals(NAN, m(NAN, NEG_NAN), "all NaN: the first member");
        assertEquals(NEG_NAN, m(NEG_NAN, NAN), "all NaN: the first member");
    }
}
