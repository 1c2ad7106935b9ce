// codec_int4.cuh: INT4 (L = 8). One 32-bit word per thread at 4t: nibbles 0..3 hold c0 c2 c4 c6, nibbles 4..7 hold
// c1 c3 c5 c7 (word i of the int16 code pairs shifted by 4i); scale words after the 1024-byte code plane.
#pragma once

#include "codec_quant.cuh"

namespace qr {

QR_QUANT_SPEC(INT4);

template <class Arith>
struct CodecInt4 {
    using Spec = INT4Spec;
    static constexpr int kQuant = Spec::kQuant;
    static constexpr uint32_t kCodeBits = 4;
    static constexpr uint32_t kPayloadBytesPerThread = kCodeBits * qr_spec::QR_VECTOR_ELEMENTS / 8;
    static constexpr uint32_t kScaleOffset = kPayloadBytesPerThread * qr_spec::QR_THREADS;
    static constexpr uint32_t kStride = kScaleOffset + qr_spec::QR_SCALE_BYTES;
    static_assert(kScaleOffset == qr_spec::QR_INT4_SCALE_OFFSET && kStride == qr_spec::QR_INT4_STRIDE, "INT4 layout");
    static_assert(Spec::kLevels == 1u << (kCodeBits - 1), "INT4 codes span -L..L-1");

    // One thread's encoded atom vector: computed once, stored to as many destinations as needed.
    struct Packed {
        uint32_t qw;
        uint32_t d;
    };
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx&) {
        uint32_t q[4];
        const uint32_t d = quantize<Spec, Arith>(x, q);
        // Codes are below 16, so the shifted pairs do not overlap.
        return {q[0] | (q[1] << kCodeBits) | (q[2] << (2 * kCodeBits)) | (q[3] << (3 * kCodeBits)), d};
    }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store4(block + kPayloadBytesPerThread * t, p.qw);
        if (is_group_leader(t)) {
            qr_slot_store4(block + kScaleOffset + scale_word_offset(t), scale_word(p.d));
        }
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx& c) { store(pack(x, c), block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx&) {
        const uint32_t qw = qr_slot_load4(block + kPayloadBytesPerThread * t);
        const uint32_t d = qr_slot_load4(block + kScaleOffset + scale_word_offset(t));
        constexpr uint32_t kMask = dup16((1u << kCodeBits) - 1);
        U32x4 v;
#pragma unroll
        for (int i = 0; i < 4; i++) {
            v.w[i] = dequantize<Spec, Arith>((qw >> (kCodeBits * i)) & kMask, d);
        }
        return v;
    }
};

}  // namespace qr
