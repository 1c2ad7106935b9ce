// numerics.cuh: the arithmetic policies (rules NUM-1..NUM-4). Codec and protocol code is templated on one of these
// and never hard-codes a hardware behaviour.
//
// Every operation works on a packed pair: one 32-bit word holding two 16-bit values, the low half being the even
// element. Policies:
//
//   ArithNativeFp16      the hardware's own fp16 instructions. On NVIDIA this is profile cuda, and also cdna4: the
//                        cdna4 profile (gfx950 as vLLM/aiter build it) differs from cuda in no modelled respect
//                        (RNE, overflow to inf, correctly rounded rcp, maxNum/minNum), so NVIDIA runs it natively.
//                        On AMD gfx940-family builds (FP16_OVFL set) it is cdna3; on gfx90a it is cdna4.
//   ArithSaturatingFp16  cdna3 emulated on any platform: each fp16 add/mul/rcp and the f32->f16 conversion is done in
//                        binary32 and rounded once to fp16 (RNE; binary32 has 24 >= 2*11+2 bits, so the double
//                        rounding is innocuous and the result is the correctly rounded fp16 one); a result that
//                        became +-inf from finite operands saturates to +-65504. inf operands stay inf; rcp(+-0) is
//                        +-65504. max/min are the native maxNum/minNum.
//   ArithBf16            bf16: every op in binary32 rounded to bf16 RNE; never saturated, so one policy serves all
//                        profiles.
//
// qr_capture_primitive (capture.cu) runs these same functions over input tables, so the hardware's behaviour under
// each policy can be compared with the CPU model's profiles.
#pragma once

#include "qr_compat.h"
#include "qr_spec.h"

namespace qr {

enum class Format { FP16, BF16 };

// Arithmetic variant ids, as the kernel table names them.
enum class ArithId : int { NATIVE_FP16 = 0, SATURATING_FP16 = 1, BF16 = 2 };

QR_HOST_DEVICE constexpr uint32_t dup16(uint32_t h) {
    return (h & 0xFFFFu) | ((h & 0xFFFFu) << 16);
}
QR_DEVICE uint32_t lo16(uint32_t w) {
    return w & 0xFFFFu;
}
QR_DEVICE uint32_t hi16(uint32_t w) {
    return w >> 16;
}
QR_DEVICE uint32_t pack16(uint32_t lo, uint32_t hi) {
    return (lo & 0xFFFFu) | (hi << 16);
}

struct ArithNativeFp16 {
    static constexpr Format kFormat = Format::FP16;
    static constexpr ArithId kId = ArithId::NATIVE_FP16;

    QR_DEVICE static uint32_t add(uint32_t a, uint32_t b) { return qr_pk_add_f16(a, b); }
    QR_DEVICE static uint32_t mul(uint32_t a, uint32_t b) { return qr_pk_mul_f16(a, b); }
    QR_DEVICE static uint32_t rcp(uint32_t a) { return qr_pk_rcp_f16(a); }
    QR_DEVICE static uint32_t max(uint32_t a, uint32_t b) { return qr_pk_max_f16(a, b); }
    QR_DEVICE static uint32_t min(uint32_t a, uint32_t b) { return qr_pk_min_f16(a, b); }
    // |a| > |b| per half as a 0xFFFF mask; false for NaN (GRP-3).
    QR_DEVICE static uint32_t abs_greater(uint32_t a, uint32_t b) { return qr_pk_abs_greater_f16(a, b); }
    QR_DEVICE static float to_f32(uint32_t h) { return qr_f16_to_f32(h & 0xFFFFu); }
    // f32 -> f16 as the bf16->fp16 cast does it (rule CAST-1): overflow per the hardware.
    QR_DEVICE static uint32_t from_f32(float f) { return qr_f32_to_f16_rn(f); }
    QR_DEVICE static uint32_t from_f32x2(float lo, float hi) { return qr_f32x2_to_f16x2_rn(lo, hi); }
};

struct ArithSaturatingFp16 {
    static constexpr Format kFormat = Format::FP16;
    static constexpr ArithId kId = ArithId::SATURATING_FP16;

    QR_DEVICE static bool is_inf(uint32_t h) { return (h & 0x7FFFu) == qr_spec::QR_FP16_INFINITY; }

    // Rounds an exact-or-binary32 result to fp16; an infinite result from finite operands becomes +-65504.
    QR_DEVICE static uint32_t round_saturating(float r, bool operands_finite) {
        uint32_t h = qr_f32_to_f16_rn(r);
        if (operands_finite && is_inf(h)) {
            h = (h & 0x8000u) | qr_spec::QR_FP16_MAX_FINITE;
        }
        return h;
    }
    QR_DEVICE static bool finite(uint32_t h) { return (h & qr_spec::QR_FP16_EXPONENT_MASK) != qr_spec::QR_FP16_EXPONENT_MASK; }

    QR_DEVICE static uint32_t add1(uint32_t a, uint32_t b) {
        return round_saturating(qr_f16_to_f32(a) + qr_f16_to_f32(b), finite(a) && finite(b));
    }
    QR_DEVICE static uint32_t mul1(uint32_t a, uint32_t b) {
        return round_saturating(qr_f16_to_f32(a) * qr_f16_to_f32(b), finite(a) && finite(b));
    }
    QR_DEVICE static uint32_t rcp1(uint32_t a) {
        return round_saturating(qr_rcp_f32_rn(qr_f16_to_f32(a)), finite(a));
    }

    QR_DEVICE static uint32_t add(uint32_t a, uint32_t b) { return pack16(add1(lo16(a), lo16(b)), add1(hi16(a), hi16(b))); }
    QR_DEVICE static uint32_t mul(uint32_t a, uint32_t b) { return pack16(mul1(lo16(a), lo16(b)), mul1(hi16(a), hi16(b))); }
    QR_DEVICE static uint32_t rcp(uint32_t a) { return pack16(rcp1(lo16(a)), rcp1(hi16(a))); }
    QR_DEVICE static uint32_t max(uint32_t a, uint32_t b) { return qr_pk_max_f16(a, b); }
    QR_DEVICE static uint32_t min(uint32_t a, uint32_t b) { return qr_pk_min_f16(a, b); }
    QR_DEVICE static uint32_t abs_greater(uint32_t a, uint32_t b) { return qr_pk_abs_greater_f16(a, b); }
    QR_DEVICE static float to_f32(uint32_t h) { return qr_f16_to_f32(h & 0xFFFFu); }
    // The bf16->fp16 cast saturates too: a finite binary32 beyond the fp16 range becomes +-65504.
    QR_DEVICE static uint32_t from_f32(float f) {
#if defined(QR_MUTANT_cast_no_saturation)
        return qr_f32_to_f16_rn(f);  // mutant cast_no_saturation: overflow gives inf
#else
        return round_saturating(f, isfinite(f));
#endif
    }
    QR_DEVICE static uint32_t from_f32x2(float lo, float hi) { return pack16(from_f32(lo), from_f32(hi)); }
};

struct ArithBf16 {
    static constexpr Format kFormat = Format::BF16;
    static constexpr ArithId kId = ArithId::BF16;

    QR_DEVICE static uint32_t add(uint32_t a, uint32_t b) { return qr_pk_add_bf16(a, b); }
    QR_DEVICE static uint32_t mul(uint32_t a, uint32_t b) { return qr_pk_mul_bf16(a, b); }
    QR_DEVICE static uint32_t rcp(uint32_t a) { return qr_pk_rcp_bf16(a); }
    QR_DEVICE static uint32_t max(uint32_t a, uint32_t b) { return qr_pk_max_bf16(a, b); }
    QR_DEVICE static uint32_t min(uint32_t a, uint32_t b) { return qr_pk_min_bf16(a, b); }
    QR_DEVICE static uint32_t abs_greater(uint32_t a, uint32_t b) { return qr_pk_abs_greater_bf16(a, b); }
    QR_DEVICE static float to_f32(uint32_t h) { return qr_bf16_to_f32(h); }
    QR_DEVICE static uint32_t from_f32(float f) { return qr_f32_to_bf16_rn(f); }
    QR_DEVICE static uint32_t from_f32x2(float lo, float hi) { return qr_f32x2_to_bf16x2_rn(lo, hi); }
};

// Packed int16 add without saturation (v_pk_add_i16 wraps): adds the code bias to both halves.
QR_DEVICE uint32_t pk_add_i16(uint32_t a, uint32_t b) {
    return ((a + b) & 0xFFFFu) | (((a >> 16) + (b >> 16)) << 16);
}

// The data path of a call (spec DataPath): the element type in memory and the arithmetic applied to it.
enum class PathId : int { FP16 = 0, BF16 = 1, BF16_CAST = 2 };

// Vector conversions of the cast path (rules CAST-1, CAST-2).
template <class Arith>
QR_DEVICE U32x4 cast_bf16_to_fp16(const U32x4& v) {
    U32x4 r;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        r.w[i] = Arith::from_f32x2(qr_bf16_to_f32(lo16(v.w[i])), qr_bf16_to_f32(hi16(v.w[i])));
    }
    return r;
}
QR_DEVICE U32x4 cast_fp16_to_bf16(const U32x4& v) {
    U32x4 r;
#pragma unroll
    for (int i = 0; i < 4; i++) {
        r.w[i] = qr_f32x2_to_bf16x2_rn(qr_f16_to_f32(lo16(v.w[i])), qr_f16_to_f32(hi16(v.w[i])));
    }
    return r;
}

}  // namespace qr
