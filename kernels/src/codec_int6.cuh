// codec_int6.cuh: INT6 (L = 32). Two planes: the low nibbles in the INT4 layout (4 bytes at 4t), then the high two
// bits of code j at bits 2j..2j+1 of a 16-bit word (2 bytes at 1024 + 2t); scale words after both planes.
#pragma once

#include "codec_quant.cuh"

namespace qr {

QR_QUANT_SPEC(INT6);

template <class Arith>
struct CodecInt6 {
    using Spec = INT6Spec;
    static constexpr int kQuant = Spec::kQuant;
    static constexpr uint32_t kCodeBits = 6;
    static constexpr uint32_t kLowBits = 4;
    static constexpr uint32_t kHighBits = kCodeBits - kLowBits;
    static constexpr uint32_t kLowBytesPerThread = kLowBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kHighBytesPerThread = kHighBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kHighOffset = kLowBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kScaleOffset = kHighOffset + kHighBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kStride = kScaleOffset + qr_spec::QR_SCALE_BYTES;
    static_assert(kHighOffset == qr_spec::QR_INT6_PLANE1_OFFSET && kScaleOffset == qr_spec::QR_INT6_SCALE_OFFSET &&
                      kStride == qr_spec::QR_INT6_STRIDE,
                  "INT6 layout");
    static_assert(Spec::kLevels == 1u << (kCodeBits - 1), "INT6 codes span -L..L-1");

    struct Packed {
        uint32_t low;
        uint32_t high;
        uint32_t d;
    };
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx&) {
        uint32_t q[4];
        const uint32_t d = quantize<Spec, Arith>(x, q);
        constexpr uint32_t kLowMask = dup16((1u << kLowBits) - 1);
        uint32_t low = 0;
        uint32_t high = 0;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            low |= (q[i] & kLowMask) << (kLowBits * i);
            high |= (lo16(q[i]) >> kLowBits) << (kHighBits * (2 * i));
            high |= (hi16(q[i]) >> kLowBits) << (kHighBits * (2 * i + 1));
        }
        return {low, high, d};
    }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store4(block + kLowBytesPerThread * t, p.low);
        qr_slot_store2(block + kHighOffset + kHighBytesPerThread * t, (uint16_t)p.high);
        if (is_group_leader(t)) {
            qr_slot_store4(block + kScaleOffset + scale_word_offset(t), scale_word(p.d));
        }
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx& c) { store(pack(x, c), block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx&) {
        const uint32_t low = qr_slot_load4(block + kLowBytesPerThread * t);
        const uint32_t high = qr_slot_load2(block + kHighOffset + kHighBytesPerThread * t);
        const uint32_t d = qr_slot_load4(block + kScaleOffset + scale_word_offset(t));
        constexpr uint32_t kLowMask = dup16((1u << kLowBits) - 1);
        constexpr uint32_t kHighMask = (1u << kHighBits) - 1;
        U32x4 v;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const uint32_t h = high >> (2 * kHighBits * i);
            const uint32_t high_pair = pack16(h & kHighMask, (h >> kHighBits) & kHighMask);
            v.w[i] = dequantize<Spec, Arith>(((low >> (kLowBits * i)) & kLowMask) | (high_pair << kLowBits), d);
        }
        return v;
    }
};

}  // namespace qr
