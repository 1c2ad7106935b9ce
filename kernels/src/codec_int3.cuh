// codec_int3.cuh: INT3 (L = 4; vLLM #45666, aiter #3899). Two planes: the low 2 bits of code j at bits 2j..2j+1 of a
// 16-bit word (2 bytes at 2t), the top bit of code j at bit j of a byte (1 byte at 512 + t, a plain access upstream);
// scale words after both planes (768); stride 896. Codes decode through an exact int -> T conversion plus RMIN.
#pragma once

#include "codec_quant.cuh"

namespace qr {

QR_QUANT_SPEC(INT3);

template <class Arith>
struct CodecInt3 {
    using Spec = INT3Spec;
    static constexpr int kQuant = Spec::kQuant;
    static constexpr uint32_t kCodeBits = 3;
    static constexpr uint32_t kLowBits = 2;
    static constexpr uint32_t kHighBits = kCodeBits - kLowBits;
    static constexpr uint32_t kLowBytesPerThread = kLowBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kHighBytesPerThread = kHighBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kHighOffset = kLowBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kScaleOffset = kHighOffset + kHighBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kStride = kScaleOffset + qr_spec::QR_SCALE_BYTES;
    static_assert(kHighOffset == qr_spec::QR_INT3_PLANE1_OFFSET && kScaleOffset == qr_spec::QR_INT3_SCALE_OFFSET &&
                      kStride == qr_spec::QR_INT3_STRIDE,
                  "INT3 layout");
    static_assert(Spec::kLevels == 1u << (kCodeBits - 1), "INT3 codes span -L..L-1");
    static_assert(!Spec::kDecodeMagic, "INT3 decodes through int -> half + RMIN");

    struct Packed {
        uint32_t low;   // 16 bits: code j's bits 1..0 at 2j
        uint32_t high;  // 8 bits: code j's bit 2 at j
        uint32_t d;
    };
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx&) {
        uint32_t q[4];
        const uint32_t d = quantize<Spec, Arith>(x, q);
        constexpr uint32_t kLowMask = (1u << kLowBits) - 1;
        uint32_t low = 0;
        uint32_t high = 0;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            // word i holds codes 2i (low half) and 2i+1 (high half)
            low |= (lo16(q[i]) & kLowMask) << (kLowBits * (2 * i));
            low |= (hi16(q[i]) & kLowMask) << (kLowBits * (2 * i + 1));
            high |= (lo16(q[i]) >> kLowBits) << (2 * i);
            high |= (hi16(q[i]) >> kLowBits) << (2 * i + 1);
        }
        return {low, high, d};
    }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store2(block + kLowBytesPerThread * t, (uint16_t)p.low);
        qr_slot_store1(block + kHighOffset + kHighBytesPerThread * t, (uint8_t)p.high);
        if (is_group_leader(t)) {
            qr_slot_store4(block + kScaleOffset + scale_word_offset(t), scale_word(p.d));
        }
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx& c) { store(pack(x, c), block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx&) {
        const uint32_t low = qr_slot_load2(block + kLowBytesPerThread * t);
        const uint32_t high = mutation::int3_top_bits(qr_slot_load1(block + kHighOffset + kHighBytesPerThread * t));
        const uint32_t d = qr_slot_load4(block + kScaleOffset + scale_word_offset(t));
        constexpr uint32_t kLowMask = (1u << kLowBits) - 1;
        U32x4 v;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            const uint32_t c0 = ((low >> (kLowBits * (2 * i))) & kLowMask) | (((high >> (2 * i)) & 1u) << kLowBits);
            const uint32_t c1 = ((low >> (kLowBits * (2 * i + 1))) & kLowMask) | (((high >> (2 * i + 1)) & 1u) << kLowBits);
            v.w[i] = dequantize<Spec, Arith>(pack16(c0, c1), d);
        }
        return v;
    }
};

}  // namespace qr
