// codec_quant.cuh: the integer encode pipeline shared by INT8, INT6, INT4 and INT3 (rules ENC-1..ENC-4, DEC-1). The
// codec files add only their bit packing and byte layout.
#pragma once

#include "group_tree.cuh"

namespace qr {

// Arithmetic constants of one integer codec, taken from qr_spec.h by name.
#define QR_QUANT_SPEC(NAME)                                                                            \
    struct NAME##Spec {                                                                                \
        static constexpr int kQuant = (int)qr_spec::QR_QUANT_##NAME;                                   \
        static constexpr uint32_t kLevels = qr_spec::QR_##NAME##_LEVELS;                               \
        static constexpr uint32_t kBias = qr_spec::QR_##NAME##_BIAS;                                   \
        static constexpr bool kDecodeMagic = qr_spec::QR_##NAME##_FP16_DECODE_MAGIC != 0;              \
        static constexpr uint32_t kDecodeAdderFp16 = qr_spec::QR_##NAME##_FP16_DECODE_ADDER;           \
        static constexpr uint32_t kScaleFactor[2] = {qr_spec::QR_##NAME##_FP16_SCALE_FACTOR,           \
                                                     qr_spec::QR_##NAME##_BF16_SCALE_FACTOR};          \
        static constexpr uint32_t kEpsilon[2] = {qr_spec::QR_##NAME##_FP16_EPSILON,                    \
                                                 qr_spec::QR_##NAME##_BF16_EPSILON};                   \
        static constexpr uint32_t kRangeMin[2] = {qr_spec::QR_##NAME##_FP16_RANGE_MIN,                 \
                                                  qr_spec::QR_##NAME##_BF16_RANGE_MIN};                \
        static constexpr uint32_t kRangeMax[2] = {qr_spec::QR_##NAME##_FP16_RANGE_MAX,                 \
                                                  qr_spec::QR_##NAME##_BF16_RANGE_MAX};                \
    }

// Each integer codec's header declares its constants with QR_QUANT_SPEC(NAME) (NAME as in qr_spec.h's QR_LIST_CODECS).

// Packed constants {c, c} of a codec for the arithmetic's format.
template <class Spec, class Arith>
struct QuantConstants {
    static_assert(Spec::kBias == Spec::kLevels, "the code bias is L");
    static constexpr int kF = Arith::kFormat == Format::FP16 ? 0 : 1;
    static constexpr uint32_t kScaleFactor = dup16(Spec::kScaleFactor[kF]);
    static constexpr uint32_t kEpsilon = dup16(Spec::kEpsilon[kF]);
    static constexpr uint32_t kRangeMin = dup16(Spec::kRangeMin[kF]);
    static constexpr uint32_t kRangeMax = dup16(Spec::kRangeMax[kF]);
    static constexpr uint32_t kBias = dup16(Spec::kBias);
    static constexpr uint32_t kMagic1024 = dup16(qr_spec::QR_FP16_MAGIC_1024);
    static constexpr uint32_t kDecodeAdder = dup16(Spec::kDecodeAdderFp16);
    // fp16 1024 + L: the encode's rounding constant (every integer codec), the decode adder negated.
    static constexpr uint32_t kEncodeMagic = dup16(qr_spec::QR_FP16_MAGIC_1024 | Spec::kLevels);
    static_assert(!Spec::kDecodeMagic || (Spec::kDecodeAdderFp16 ^ 0x8000u) == (qr_spec::QR_FP16_MAGIC_1024 | Spec::kLevels),
                  "1024 + L is -(decode adder), and L fits the fraction of 1024.0 (ulp 1)");
    static_assert(Spec::kLevels % 2 == 0, "1024 + L is even, so ties of w + 1024 + L round like rint(w)");
};

// ENC-4 for one clamped pair w (both halves in [-L, L-1]): the biased codes rint(w) + L as an int16 pair.
//   fp16: one packed add. w + (1024 + L) lies in [1024, 2048), where fp16 has ulp 1, so the add's own round-to-
//         nearest-even rounds w to an integer; 1024 + L is even, so a tie goes where rint(w) sends it; and the sum's
//         fraction field is rint(w) + L. Bit for bit the rint-in-binary32-then-bias of the spec (w is never NaN after
//         the clamp; -0 gives L either way), and no overflow is possible, so every fp16 policy may use the native add.
//   bf16: 8 significant bits have no such grid: rint in binary32, then the int16 bias add.
template <class Spec, class Arith>
QR_DEVICE uint32_t round_to_code(uint32_t w) {
    using K = QuantConstants<Spec, Arith>;
    uint32_t codes;
    if constexpr (Arith::kFormat == Format::FP16) {
        codes = qr_pk_add_f16(w, K::kEncodeMagic) & dup16(qr_spec::QR_FP16_FRACTION_MASK);
    } else {
        const uint32_t q0 = (uint16_t)(int16_t)rintf(Arith::to_f32(lo16(w)));
        const uint32_t q1 = (uint16_t)(int16_t)rintf(Arith::to_f32(hi16(w)));
        codes = pk_add_i16(pack16(q0, q1), K::kBias);
    }
    return mutation::code_pair<Arith>(codes, w, K::kBias);
}

// Encodes one atom vector of the calling thread: codes[i] holds the biased codes of elements 2i (low) and 2i+1
// (high) as int16 pairs in [0, 2L-1]; the return value is the packed decoding scale word {d_even, d_odd}.
template <class Spec, class Arith>
QR_DEVICE uint32_t quantize(const U32x4& x, uint32_t codes[4]) {
    using K = QuantConstants<Spec, Arith>;
    const uint32_t m = group_signed_absmax<Arith>(x);      // GRP-3
    const uint32_t d = Arith::mul(m, K::kScaleFactor);      // ENC-1: d = M * SF (SF < 0)
    const uint32_t e = Arith::rcp(mutation::rcp_input(d, Arith::add(d, K::kEpsilon)));  // ENC-2: e = rcp(d + EPS)
#pragma unroll
    for (int i = 0; i < 4; i++) {
        uint32_t w = Arith::mul(x.w[i], e);                 // ENC-3: rounded to T before clamping
        w = Arith::max(w, K::kRangeMin);                    // NaN -> -L
        w = Arith::min(w, K::kRangeMax);
        codes[i] = round_to_code<Spec, Arith>(w);           // ENC-4
    }
    return d;
}

// The scale word as stored (ENC-6): {d_even, d_odd}.
QR_DEVICE uint32_t scale_word(uint32_t d) {
    return mutation::scale_word(d);
}

// DEC-1: value = T((code - L) * d) with one rounding. code - L is exact: fp16 INT8/INT6/INT4 build 1024 + code by
// OR-ing the code into the fraction of 1024.0 and add -(1024 + L); bf16, and INT3 in fp16, convert the code to T
// (exact) and add RMIN = -L.
template <class Spec, class Arith>
QR_DEVICE uint32_t dequantize(uint32_t code_pair, uint32_t d) {
    using K = QuantConstants<Spec, Arith>;
    uint32_t v;
    if constexpr (Arith::kFormat == Format::FP16 && Spec::kDecodeMagic) {
        v = Arith::add(code_pair | K::kMagic1024, K::kDecodeAdder);
    } else {
        v = pack16(Arith::from_f32((float)lo16(code_pair)), Arith::from_f32((float)hi16(code_pair)));
        v = Arith::add(v, K::kRangeMin);
    }
    return Arith::mul(v, d);
}

// Where a thread group's scale word sits in an atom block, and whether this thread stores it (rule ENC-6).
QR_DEVICE uint32_t scale_word_offset(int t) {
    return (uint32_t)(t / (int)qr_spec::QR_GROUP_THREADS) * qr_spec::QR_SCALE_BYTES / qr_spec::QR_THREAD_GROUPS;
}
QR_DEVICE bool is_group_leader(int t) {
    return (t % (int)qr_spec::QR_GROUP_THREADS) == 0;
}

}  // namespace qr
