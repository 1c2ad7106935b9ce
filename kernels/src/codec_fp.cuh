// codec_fp.cuh: the FP codec (rule FP-1). The raw 16-byte vectors travel unchanged; an atom block is the atom row.
#pragma once

#include "numerics.cuh"

namespace qr {

template <class Arith>
struct CodecFp {
    static constexpr int kQuant = (int)qr_spec::QR_QUANT_F16;
    static constexpr uint32_t kPayloadBytesPerThread = qr_spec::QR_VECTOR_BYTES;
    static constexpr uint32_t kStride = kPayloadBytesPerThread * qr_spec::QR_THREADS;
    static_assert(kStride == qr_spec::QR_FP_STRIDE, "FP atom block = one 4096-byte atom row");

    using Packed = U32x4;
    QR_DEVICE static Packed pack(const U32x4& x, const CodecCtx&) { return x; }
    QR_DEVICE static void store(const Packed& p, uint8_t* block, int t) {
        qr_slot_store16(block + kPayloadBytesPerThread * t, p);
    }
    QR_DEVICE static void encode(const U32x4& x, uint8_t* block, int t, const CodecCtx&) { store(x, block, t); }
    QR_DEVICE static U32x4 decode(const uint8_t* block, int t, const CodecCtx&) {
        return qr_slot_load16(block + kPayloadBytesPerThread * t);
    }
};

}  // namespace qr
