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

#include "mutants.cuh"
#include "qr_compat.h"
#include "qr_spec.h"

namespace qr {

enum class Format { FP16, BF16 };

// Arithmetic variant ids, as the kernel table names them: the spec's ArithPolicy codes (QR_ARITH_*).
enum class ArithId : int {
#define QR_ARITH_ENUM(NAME, CODE, ID) NAME = CODE,
    QR_LIST_ARITHS(QR_ARITH_ENUM)
#undef QR_ARITH_ENUM
};

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
        return mutation::kCastSaturates ? round_saturating(f, isfinite(f)) : qr_f32_to_f16_rn(f);
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

// The data path of a call (spec DataPath, QR_PATH_*): the element type in memory and the arithmetic applied to it.
enum class PathId : int {
#define QR_PATH_ENUM(NAME, CODE, ID) NAME = CODE,
    QR_LIST_PATHS(QR_PATH_ENUM)
#undef QR_PATH_ENUM
};

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

// ---- FP8 conversions (dossier §4.6) ----------------------------------------------------------------------------------
// What a call's profile says about the fp8 conversion (spec Profile columns fp8Format, fp8Saturates), handed to every
// codec; only the FP8 codec reads it.
struct CodecCtx {
    uint32_t fp8_format;    // QR_FP8_FORMAT_*
    uint32_t fp8_saturate;  // 1: beyond the range -> +-max; 0: -> NaN
};

QR_HOST_DEVICE constexpr int fp8_bias(uint32_t format) {
    return format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ ? 8 : 7;
}
// e4m3fnuz uses every pattern but 0x80 for numbers (max 0x7F = 240); e4m3fn gives S.1111.111 to NaN (max 0x7E = 448).
QR_HOST_DEVICE constexpr uint32_t fp8_max_code(uint32_t format) {
    return format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ ? 0x7Fu : 0x7Eu;
}
QR_HOST_DEVICE constexpr uint32_t fp8_nan_code(uint32_t format) {
    return format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ ? 0x80u : 0x7Fu;
}

// 2^k for a normal binary32 exponent k in [-126, 127], built from its bits. Multiplying by it is exact wherever the fp8
// conversions use it (the products are fp8 values or significands scaled into [0, 16)), and costs one instruction
// where ldexpf's library code multiplied the FP8 kernels' size by about ten (PTX: 13k instructions against INT4's 1k).
QR_DEVICE float pow2f_exact(int k) {
    return __uint_as_float((uint32_t)(k + 127) << 23);
}

// The exact value of an e4m3 code (NaN for the NaN codes).
QR_DEVICE float fp8_to_f32_soft(uint32_t code, uint32_t format) {
    code &= 0xFFu;
    const bool fnuz = format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ;
    if (fnuz ? code == 0x80u : (code & 0x7Fu) == 0x7Fu) {
        return __uint_as_float(0x7FC00000u);
    }
    const int e = (int)((code >> 3) & 0xFu);
    const int m = (int)(code & 7u);
    const int bias = fp8_bias(format);
    const float v = e == 0 ? (float)m * pow2f_exact(1 - bias - 3) : (float)(8 + m) * pow2f_exact(e - bias - 3);
    return (code & 0x80u) ? -v : v;
}

// binary32 -> e4m3, round to nearest even, in integer and power-of-two steps that are exact in binary32. Out of range
// and infinities give +-max or NaN as `saturate` says; NaN gives the NaN code; fnuz has no -0 (that pattern is NaN).
QR_DEVICE uint32_t fp8_from_f32_soft(float f, uint32_t format, uint32_t saturate) {
    const uint32_t nan = fp8_nan_code(format);
    const uint32_t maxc = fp8_max_code(format);
    if (isnan(f)) {
        return nan;
    }
    const uint32_t sign = (__float_as_uint(f) >> 24) & 0x80u;
    const float a = fabsf(f);
    if (isinf(a)) {
        return saturate ? (sign | maxc) : nan;
    }
    const int min_exp = 1 - fp8_bias(format);
    const uint32_t biased32 = __float_as_uint(a) >> 23;
    int e = (int)biased32 - 127;
    if (e < min_exp) {
        e = min_exp;
    }
    const float units = a * pow2f_exact(3 - e);  // in [0, 16): the code's significand in units of its spacing (3 - e >= -124)
    uint32_t q = (uint32_t)rintf(units);   // ties to even
    uint32_t code;
    if (q == 0u) {
        code = 0u;
    } else if (e == min_exp && q < 8u) {
        code = q;  // subnormal
    } else {
        if (q == 16u) {  // rounded up into the next binade
            q = 8u;
            e++;
        }
        code = ((uint32_t)(e + fp8_bias(format)) << 3) | (q & 7u);
    }
    if (code > maxc) {
        return saturate ? (sign | maxc) : nan;
    }
    if (code == 0u && format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ) {
        return 0u;
    }
    return sign | code;
}

// Where the fp8 rounding leaves the format's range: beyond max + half its spacing (fn: 448 + 16, where a tie rounds to
// 448, whose fraction is even; fnuz: 240 + 8, where a tie rounds up to 256, since 240's fraction 111 is odd).
QR_DEVICE bool fp8_out_of_range(float a, uint32_t format) {
    return format == qr_spec::QR_FP8_FORMAT_E4M3FNUZ ? a >= 248.0f : a > 464.0f;
}

// A native conversion's code with the out-of-range rule of the profile applied instead of the hardware's.
QR_DEVICE uint32_t fp8_apply_range(float x, uint32_t code, const CodecCtx& c) {
    if (isnan(x)) {
        return fp8_nan_code(c.fp8_format);
    }
    if (!fp8_out_of_range(fabsf(x), c.fp8_format)) {
        return code;
    }
    return c.fp8_saturate ? (((__float_as_uint(x) >> 24) & 0x80u) | fp8_max_code(c.fp8_format)) : fp8_nan_code(c.fp8_format);
}

// Two binary32 values to two codes {lo in bits 0..7, hi in bits 8..15} as the context says: the hardware's own
// conversion where it has the profile's format (NVIDIA: e4m3fn with .satfinite, which is the cuda profile exactly; a
// profile with NaN on overflow gets the out-of-range lanes replaced), else the software conversion above.
// The software conversions of a pair, out of line: inlined at every one of a kernel's 72 conversion sites they made
// the FP8 kernels about ten times the size of the INT4 ones, which a native-format call pays for in instruction fetch.
QR_DEVICE_OUTLINED uint32_t fp8_encode_pair_soft(float lo, float hi, uint32_t format, uint32_t saturate) {
    return fp8_from_f32_soft(lo, format, saturate) | (fp8_from_f32_soft(hi, format, saturate) << 8);
}
QR_DEVICE_OUTLINED float2 fp8_decode_pair_soft(uint32_t codes, uint32_t format) {
    return make_float2(fp8_to_f32_soft(codes, format), fp8_to_f32_soft(codes >> 8, format));
}

QR_DEVICE uint32_t fp8_encode_pair(float lo, float hi, const CodecCtx& ctx) {
    const CodecCtx c{ctx.fp8_format, mutation::fp8_saturate(ctx.fp8_saturate)};
#if defined(QR_NATIVE_FP8_FORMAT)
    if (c.fp8_format == QR_NATIVE_FP8_FORMAT) {
        const uint32_t r = qr_native_f32x2_to_fp8x2(lo, hi);
        if (c.fp8_saturate == QR_NATIVE_FP8_SATURATES) {
            return r;
        }
        return fp8_apply_range(lo, r & 0xFFu, c) | (fp8_apply_range(hi, (r >> 8) & 0xFFu, c) << 8);
    }
#endif
    return fp8_encode_pair_soft(lo, hi, c.fp8_format, c.fp8_saturate);
}

// Two codes {bits 0..7, 8..15} to two binary32 values (exact).
QR_DEVICE void fp8_decode_pair(uint32_t codes, const CodecCtx& c, float& lo, float& hi) {
#if defined(QR_NATIVE_FP8_FORMAT)
    if (c.fp8_format == QR_NATIVE_FP8_FORMAT) {
        qr_native_fp8x2_to_f32x2(codes, lo, hi);
        return;
    }
#endif
    const float2 v = fp8_decode_pair_soft(codes, c.fp8_format);
    lo = v.x;
    hi = v.y;
}

}  // namespace qr
