// group_tree.cuh: the group statistics (rules GRP-1..GRP-3): the signed absmax of the integer codecs, the absmax of FP8.
//
// The 8 lanes 8g..8g+7 each hold one atom vector of 4 packed words; the low halves of all 32 words form the even
// group, the high halves the odd group. Both groups are reduced at once, half by half.
#pragma once

#include "numerics.cuh"

namespace qr {

// Per half: M = (|max| > |min|) ? max : min. Strict comparison after abs: a tie or a NaN picks min, so a tie picks
// the negative element.
template <class Arith>
QR_DEVICE uint32_t select_signed_absmax(uint32_t mx, uint32_t mn) {
    const uint32_t take_max = mutation::take_max<Arith>(mx, mn);
    return (mx & take_max) | (mn & ~take_max);
}

// The packed signed absmax {even group, odd group} of the calling lane's group, known to all 8 lanes.
// Operand order reproduces upstream exactly (it decides which NaN or signed zero survives):
//   per thread  m = max(max(w0, w1), max(w2, w3)), likewise min;
//   for s = 1, 2, 4: m = max(m, m of lane L+s) with the own value first;
//   the leader's (lane 8g) result is broadcast.
template <class Arith>
QR_DEVICE uint32_t group_signed_absmax(const U32x4& v) {
    uint32_t mx = Arith::max(Arith::max(v.w[0], v.w[1]), Arith::max(v.w[2], v.w[3]));
    uint32_t mn = Arith::min(Arith::min(v.w[0], v.w[1]), Arith::min(v.w[2], v.w[3]));
#pragma unroll
    for (int s = 1; s < (int)qr_spec::QR_GROUP_THREADS; s <<= 1) {
        mx = Arith::max(mx, qr_group_shfl_down(mx, s));
        mn = Arith::min(mn, qr_group_shfl_down(mn, s));
    }
    return qr_group_broadcast(select_signed_absmax<Arith>(mx, mn), mutation::kGroupLeader);
}

// FP8's a = max |x| {even group, odd group} of the calling lane's group, known to all 8 lanes: the absolute values
// first (clearing the sign bits, which keeps a NaN a NaN), then the same max tree; maxNum ignores NaN elements.
template <class Arith>
QR_DEVICE uint32_t group_abs_max(const U32x4& v) {
    constexpr uint32_t kMagnitude = 0x7FFF7FFFu;
    uint32_t mx = Arith::max(Arith::max(v.w[0] & kMagnitude, v.w[1] & kMagnitude),
                             Arith::max(v.w[2] & kMagnitude, v.w[3] & kMagnitude));
#pragma unroll
    for (int s = 1; s < (int)qr_spec::QR_GROUP_THREADS; s <<= 1) {
        mx = Arith::max(mx, qr_group_shfl_down(mx, s));
    }
    return qr_group_broadcast(mx, mutation::kGroupLeader);
}

}  // namespace qr
