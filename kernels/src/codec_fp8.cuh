// codec_fp8.cuh: FP8 (mk1 profile 2, aiter level 1; dossier §4.6). Per group a = max |x|, d = T(a * SF) with the
// positive SF ~ 1/240, e = rcp(T(d + EPS)), w = T(x * e) without a clamp, then w (widened exactly) converted to e4m3 in
// the profile's format (CodecCtx). Per thread 8 code bytes in element order at 8t; scale words at 2048; stride 2176.
// Decode: the code's exact value, converted to T (exact), times d.
#pragma once

#include "codec_quant.cuh"

namespace qr {

template <class Arith>
struct CodecFp8 {
    static constexpr int kQuant = (int)qr_spec::QR_QUANT_FP8;
    static constexpr uint32_t kPayloadBytesPerThread = qr_spec::QR_VECTOR_ELEMENTS;
    static constexpr uint32_t kScaleOffset = kPayloadBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kStride = kScaleOffset + qr_spec::QR_SCALE_BYTES;
    static_assert(kScaleOffset == qr_spec::QR_FP8_SCALE_OFFSET && kStride == qr_spec::QR_FP8_STRIDE, "FP8 layout");
    static constexpr int kF = Arith::kFormat == Format::FP16 ? 0 : 1;
    static constexpr uint32_t kScaleFactor = dup16(kF == 0 ? qr_spec::QR_FP8_FP16_SCALE_FACTOR : qr_spec::QR_FP8_BF16_SCALE_FACTOR);
    static constexpr uint32_t kEpsilon = dup16(kF == 0 ? qr_spec::QR_FP8_FP16_EPSILON : qr_spec::QR_FP8_BF16_EPSILON);

    struct Packed {
        uint32_t lo;  // bytes 0..3: codes of elements 0..3
        uint32_t hi;  // bytes 4..7
        uint32_t d;
    };
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx& c) {
        const uint32_t a = group_abs_max<Arith>(x);
        const uint32_t d = Arith::mul(a, kScaleFactor);
        const uint32_t e = Arith::rcp(mutation::rcp_input(d, Arith::add(d, kEpsilon)));
        uint32_t codes[4];
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const uint32_t w = Arith::mul(x.w[i], e);  // rounded to T, no clamp
            codes[i] = fp8_encode_pair(Arith::to_f32(lo16(w)), Arith::to_f32(hi16(w)), c);
        }
        return {codes[0] | (codes[1] << 16), codes[2] | (codes[3] << 16), d};
    }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store8(block + kPayloadBytesPerThread * t, p.lo, p.hi);
        if (is_group_leader(t)) {
            qr_slot_store4(block + kScaleOffset + scale_word_offset(t), scale_word(p.d));
        }
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx& c) { store(pack(x, c), block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx& c) {
        uint32_t qw[2];
        qr_slot_load8(block + kPayloadBytesPerThread * t, qw[0], qw[1]);
        const uint32_t d = qr_slot_load4(block + kScaleOffset + scale_word_offset(t));
        U32x4 v;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            float lo, hi;
            fp8_decode_pair((qw[i / 2] >> (16 * (i % 2))) & 0xFFFFu, c, lo, hi);
            v.w[i] = Arith::mul(Arith::from_f32x2(lo, hi), d);  // the fp8 values are exact in T
        }
        return v;
    }
};

}  // namespace qr
