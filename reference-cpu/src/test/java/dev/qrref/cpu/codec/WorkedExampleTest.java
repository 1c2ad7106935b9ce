package dev.qrref.cpu.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.qrref.cpu.arith.Arith16;
import dev.qrref.cpu.arith.NumericsProfile;
import dev.qrref.spec.Profile;
import dev.qrref.cpu.arith.Fp16;
import dev.qrref.spec.Format16;
import dev.qrref.spec.QuantLevel;
import org.junit.jupiter.api.Test;

/** The dossier's appendix A: one INT4 fp16 group with M = 3.0, traced step by step. */
class WorkedExampleTest {

    @Test
    void appendixAInt4Group() {
        Arith16 a = NumericsProfile.of(Profile.CUDA).arith(Format16.FP16);
        GroupQuantizer q = new GroupQuantizer(QuantLevel.INT4, a);
        // even group of one span: 3.0, -2.9, 1.0, 0.5, 0.0, -1.4 and 26 zeros
        float[] xs = {3.0f, -2.9f, 1.0f, 0.5f, 0.0f, -1.4f};
        short[] span = new short[64];
        for (int i = 0; i < xs.length; i++) {
            span[2 * i] = (short) Fp16.fromFloatRne(xs[i]);
        }
        int m = GroupStatistics.signedAbsMax(a, span, 0, 0);
        assertEquals(0x4200, m, "M = 3.0");
        int d = q.decodingScale(m);
        assertEquals(0xB600, d, "d = -0.375");
        int e = q.encodingScale(d);
        assertEquals(0xC155, e, "e = -2.666");
        int[] expectCode = {0, 15, 5, 7, 8, 12};
        int[] expectValue = {0x4200, 0xC140, 0x3C80, 0x3600, 0x8000, 0xBE00};
        for (int i = 0; i < xs.length; i++) {
            int code = q.code(span[2 * i] & 0xFFFF, e);
            assertEquals(expectCode[i], code, "code of " + xs[i]);
            assertEquals(expectValue[i], q.decode(code, d), "decoded " + xs[i]);
        }
        int[] codes = new int[64];
        int scaleWord = q.encodeSpan(span, 0, codes);
        assertEquals(0xB600, scaleWord & 0xFFFF, "even scale in the low half");
        for (int i = 0; i < xs.length; i++) {
            assertEquals(expectCode[i], codes[2 * i]);
        }
    }
}
