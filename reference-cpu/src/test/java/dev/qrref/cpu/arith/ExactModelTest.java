package dev.qrref.cpu.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The slow model against hand-computed results, so the oracle itself is checked before it judges anything. */
class ExactModelTest {
    private static final ExactModel.Rules IEEE = new ExactModel.Rules("ieee", false);
    private static final ExactModel.Rules SAT = new ExactModel.Rules("saturating", true);
    private static final ExactModel.Fmt H = ExactModel.FP16;
    private static final ExactModel.Fmt B = ExactModel.BF16;

    @Test
    void fp16RoundingByHand() {
        assertEquals(0x7C00, ExactModel.add(H, 0x7BFF, 0x4C00).bits(IEEE), "65504 + 16 = 65520: tie, to even = 2^16 = inf");
        assertEquals(0x7BFF, ExactModel.add(H, 0x7BFF, 0x4C00).bits(SAT), "saturated");
        assertEquals(0x7BFF, ExactModel.add(H, 0x7BFF, 0x4BFF).bits(IEEE), "65504 + 15.99 stays finite");
        assertEquals(0x0002, ExactModel.mul(H, 0x0003, 0x3800).bits(IEEE), "3 × 2^-24 × 0.5: tie, to even");
        assertEquals(0x0000, ExactModel.mul(H, 0x0001, 0x3800).bits(IEEE), "2^-25: tie between 0 and 2^-24, to even");
        assertEquals(0x8000, ExactModel.mul(H, 0x8001, 0x3400).bits(IEEE), "underflow keeps the sign");
        assertEquals(0x0001, ExactModel.mul(H, 0x0001, 0x3801).bits(IEEE), "just above the tie");
        assertEquals(0x3C00, ExactModel.add(H, 0x3C00, 0x1000).bits(IEEE), "1 + 2^-11: tie, to even");
        assertEquals(0x3C02, ExactModel.add(H, 0x3C00, 0x1600).bits(IEEE), "1 + 1.5 × 2^-10: tie, to even");
        assertEquals(0x0400, ExactModel.add(H, 0x03FF, 0x0001).bits(IEEE), "largest subnormal + smallest = smallest normal");
        assertEquals(0x3555, ExactModel.rcp(H, 0x4200).bits(IEEE), "1/3");
        assertEquals(0x7C00, ExactModel.rcp(H, 0x0001).bits(IEEE), "1/2^-24 = 2^24 overflows");
        assertEquals(0x7BFF, ExactModel.rcp(H, 0x0001).bits(SAT));
        assertEquals(0xFC00, ExactModel.rcp(H, 0x8000).bits(IEEE), "1/-0 = -inf");
        assertEquals(0xFBFF, ExactModel.rcp(H, 0x8000).bits(SAT), "saturating 1/-0 = -max");
        assertEquals(0x7C00, ExactModel.add(H, 0x7C00, 0x3C00).bits(SAT), "an infinite operand stays infinite");
        assertEquals(0x0000, ExactModel.rcp(H, 0x7C00).bits(IEEE));
    }

    @Test
    void signedZerosAndNaN() {
        assertEquals(0x0000, ExactModel.add(H, 0x0000, 0x8000).bits(IEEE));
        assertEquals(0x8000, ExactModel.add(H, 0x8000, 0x8000).bits(IEEE));
        assertEquals(0x0000, ExactModel.add(H, 0xC500, 0x4500).bits(IEEE), "x + (-x) = +0");
        assertEquals(0x8000, ExactModel.mul(H, 0x8000, 0x3C00).bits(IEEE));
        assertTrue(ExactModel.mul(H, 0x0000, 0x7C00).isNaN(), "0 × inf");
        assertTrue(ExactModel.add(H, 0x7C00, 0xFC00).isNaN(), "inf - inf");
        assertEquals(0x0000, ExactModel.max(H, 0x8000, 0x0000));
        assertEquals(0x0000, ExactModel.max(H, 0x0000, 0x8000));
        assertEquals(0x8000, ExactModel.min(H, 0x0000, 0x8000));
        assertEquals(0x3C00, ExactModel.max(H, 0x7C01, 0x3C00), "sNaN ignored by maxNum");
        assertFalse(ExactModel.absGreater(H, 0x7E00, 0x3C00));
        assertTrue(ExactModel.absGreater(H, 0xC000, 0x3C00));
    }

    @Test
    void bf16AndBinary32ByHand() {
        assertEquals(0x3F80, ExactModel.add(B, 0x3F80, 0x3B80).bits(IEEE), "1 + 2^-8: tie, to even");
        assertEquals(0x3EAB, ExactModel.rcp(B, 0x4040).bits(IEEE), "1/3");
        assertEquals(0x7F80, ExactModel.mul(B, 0x7F7F, 0x4000).bits(IEEE), "bf16 overflow");
        assertEquals(0x7F80, ExactModel.convert(ExactModel.F32, 0x7F7FFFFF, B).bits(IEEE), "rounds up past the largest bf16");
        assertEquals(0x7F7F, ExactModel.convert(ExactModel.F32, 0x7F7F7FFF, B).bits(IEEE));
        assertEquals(0x7C00, ExactModel.convert(ExactModel.F32, Float.floatToRawIntBits(65520f), H).bits(IEEE));
        assertEquals(0x7BFF, ExactModel.convert(ExactModel.F32, Float.floatToRawIntBits(Math.nextDown(65520f)), H).bits(IEEE));
        assertEquals(0x0000, ExactModel.convert(ExactModel.F32, Float.floatToRawIntBits(0x1p-25f), H).bits(IEEE));
        assertEquals(0x0001, ExactModel.convert(ExactModel.F32, Float.floatToRawIntBits(Math.nextUp(0x1p-25f)), H).bits(IEEE));
        assertTrue(ExactModel.convert(ExactModel.F32, 0x7F800001, B).isNaN(), "a low-payload NaN stays NaN");
    }
}
