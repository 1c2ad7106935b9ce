// mutants.cuh: the one seam between the kernels and the mutants of mutants.h (included by numerics.cuh).
//
// Production code calls these hooks at the places a mutant changes; in the real library every hook is the identity
// (or the production constant) and compiles away. Each mutant's defect is written here and only here, under its
// QR_MUTANT_<name> macro, so the kernels read as the algorithm and the defects can be reviewed in one file.
#pragma once

#include "mutants.h"
#include "qr_compat.h"
#include "qr_spec.h"

namespace qr {
namespace mutation {

// Start of phase `phase`'s data region in a rank's buffer. mutant phase2_offset_by_grid: phase 2 starts right after
// this launch's gridDim.x phase-1 slots (the pre-fix upstream layout).
QR_DEVICE uint64_t data_region(const uint64_t data_offset[2], int phase, uint32_t stride) {
#if defined(QR_MUTANT_phase2_offset_by_grid)
    return data_offset[0] + (phase == 0 ? 0 : (uint64_t)gridDim.x * qr_spec::QR_ATOMS * stride);
#else
    (void)stride;
    return data_offset[phase];
#endif
}

// Start of phase `phase`'s flags. mutant phase2_offset_by_grid: right after this launch's gridDim.x x W phase-1 flags.
QR_DEVICE uint64_t flag_region(const uint64_t flags_offset[2], int phase, int world) {
#if defined(QR_MUTANT_phase2_offset_by_grid)
    return flags_offset[0] + (phase == 0 ? 0 : (uint64_t)gridDim.x * world * qr_spec::QR_FLAG_WORD_BYTES);
#else
    (void)world;
    return flags_offset[phase];
#endif
}

// Colour of grid-stride iteration j. mutant host_colour_replay: from a host value that never advances (what a colour
// baked into a captured CUDA graph gives on every replay), so stale flags pass.
QR_DEVICE uint32_t colour(uint32_t counter_base, uint32_t host_colour, uint32_t iteration) {
#if defined(QR_MUTANT_host_colour_replay)
    (void)counter_base;
    return host_colour + iteration;
#else
    (void)host_colour;
    return counter_base + iteration;
#endif
}

// The i-th sender of the phase-1 sum. mutant reduction_order_reversed: W-1 .. 0.
QR_DEVICE int sender(int i, int world) {
#if defined(QR_MUTANT_reduction_order_reversed)
    return world - 1 - i;
#else
    (void)world;
    return i;
#endif
}

// mutant own_contribution_unquantized: the owner adds its own segment unquantized in phase 1 (it then needs its input
// tile in phase 1B, so the shared-tile kernels must not prefetch over it before the sum).
#if defined(QR_MUTANT_own_contribution_unquantized)
constexpr bool kOwnContributionRaw = true;
#else
constexpr bool kOwnContributionRaw = false;
#endif

// Lane of the 8-lane group whose statistics every lane uses. mutant group_leader_off_by_one: lane 8g+1.
constexpr int kGroupLeader =
#if defined(QR_MUTANT_group_leader_off_by_one)
    1;
#else
    0;
#endif

// The half-wise "take max" mask of the signed-absmax selection. mutant tie_rule_reversed: |max| >= |min| keeps max.
template <class Arith>
QR_DEVICE uint32_t take_max(uint32_t mx, uint32_t mn) {
#if defined(QR_MUTANT_tie_rule_reversed)
    return ~Arith::abs_greater(mn, mx);
#else
    return Arith::abs_greater(mx, mn);
#endif
}

// The input of the encoding scale's reciprocal. mutant eps_omitted: rcp(d) instead of rcp(d + EPS).
QR_DEVICE uint32_t rcp_input(uint32_t d, uint32_t d_plus_eps) {
#if defined(QR_MUTANT_eps_omitted)
    (void)d_plus_eps;
    return d;
#else
    (void)d;
    return d_plus_eps;
#endif
}

// Biased codes of a clamped pair. mutant rint_truncation: truncation toward zero instead of rint; mutant
// bias_off_by_one: L + 1.
template <class Arith>
QR_DEVICE uint32_t code_pair(uint32_t codes, uint32_t w, uint32_t bias) {
#if defined(QR_MUTANT_rint_truncation)
    const uint32_t q0 = (uint16_t)(int16_t)truncf(Arith::to_f32(w & 0xFFFFu)) + (bias & 0xFFFFu);
    const uint32_t q1 = (uint16_t)(int16_t)truncf(Arith::to_f32(w >> 16)) + (bias >> 16);
    codes = (q0 & 0xFFFFu) | (q1 << 16);
#else
    (void)w;
    (void)bias;
#endif
#if defined(QR_MUTANT_bias_off_by_one)
    codes = ((codes + 1u) & 0xFFFFu) | (((codes >> 16) + 1u) << 16);
#endif
    return codes;
}

// The scale word as stored. mutant scale_halves_swapped: {d_odd, d_even}.
QR_DEVICE uint32_t scale_word(uint32_t d) {
#if defined(QR_MUTANT_scale_halves_swapped)
    return (d >> 16) | (d << 16);
#else
    return d;
#endif
}

// Whether the cdna3 emulation's bf16 -> fp16 cast saturates. mutant cast_no_saturation: overflow gives inf.
constexpr bool kCastSaturates =
#if defined(QR_MUTANT_cast_no_saturation)
    false;
#else
    true;
#endif

// The fp8 out-of-range rule the conversion applies (1: +-max, 0: NaN). mutant fp8_overflow_nan: always NaN, as a
// conversion without .satfinite or the clamp bit gives.
QR_DEVICE uint32_t fp8_saturate(uint32_t profile_rule) {
#if defined(QR_MUTANT_fp8_overflow_nan)
    (void)profile_rule;
    return 0u;
#else
    return profile_rule;
#endif
}

// INT3's top-bit plane byte as read. mutant int3_top_bit_dropped: the plane is ignored.
QR_DEVICE uint32_t int3_top_bits(uint32_t plane_byte) {
#if defined(QR_MUTANT_int3_top_bit_dropped)
    (void)plane_byte;
    return 0u;
#else
    return plane_byte;
#endif
}

}  // namespace mutation
}  // namespace qr
