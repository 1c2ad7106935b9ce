// group_tree.cuh: the signed absmax of each quantization group (rules GRP-1..GRP-3).
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
#if defined(QR_MUTANT_tie_rule_reversed)
    const uint32_t take_max = ~Arith::abs_greater(mn, mx);  // mutant tie_rule_reversed: |max| >= |min| keeps max
#else
    const uint32_t take_max = Arith::abs_greater(mx, mn);
#endif
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
#if defined(QR_MUTANT_group_leader_off_by_one)
    return qr_group_broadcast(select_signed_absmax<Arith>(mx, mn), 1);  // mutant group_leader_off_by_one
#else
    return qr_group_broadcast(select_signed_absmax<Arith>(mx, mn));
#endif
}

}  // namespace qr
