// codec_int8.cuh: INT8 (L = 128). Per thread 8 bytes at 8t: word0 bytes (LSB first) c0 c2 c1 c3, word1 c4 c6 c5 c7;
// scale words after the 2048-byte code plane.
#pragma once

#include "codec_quant.cuh"

namespace qr {

QR_QUANT_SPEC(INT8);

template <class Arith>
struct CodecInt8 {
    using Spec = INT8Spec;
    static constexpr int kQuant = Spec::kQuant;
    static constexpr uint32_t kCodeBits = 8;
    static constexpr uint32_t kPayloadBytesPerThread = kCodeBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kScaleOffset = kPayloadBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kStride = kScaleOffset + qr_spec::QR_SCALE_BYTES;
    static_assert(kScaleOffset == qr_spec::QR_INT8_SCALE_OFFSET && kStride == qr_spec::QR_INT8_STRIDE, "INT8 layout");
    static_assert(Spec::kLevels == 1u << (kCodeBits - 1), "INT8 codes span -L..L-1");

    struct Packed {
        uint32_t lo;
        uint32_t hi;
        uint32_t d;
    };
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx&) {
        uint32_t q[4];
        const uint32_t d = quantize<Spec, Arith>(x, q);
        // Codes are below 256, so the shifted pairs do not overlap.
        return {q[0] | (q[1] << kCodeBits), q[2] | (q[3] << kCodeBits), d};
    }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store8(block + kPayloadBytesPerThread * t, p.lo, p.hi);
        if (is_group_leader(t)) {
            qr_slot_store4(block + kScaleOffset + scale_word_offset(t), scale_word(p.d));
        }
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx& c) { store(pack(x, c), block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx&) {
        uint32_t qw[2];
        qr_slot_load8(block + kPayloadBytesPerThread * t, qw[0], qw[1]);
        const uint32_t d = qr_slot_load4(block + kScaleOffset + scale_word_offset(t));
        constexpr uint32_t kMask = dup16((1u << kCodeBits) - 1);
        U32x4 v;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            v.w[i] = dequantize<Spec, Arith>((qw[i / 2] >> (kCodeBits * (i % 2))) & kMask, d);
        }
        return v;
    }
};

}  // namespace qr
