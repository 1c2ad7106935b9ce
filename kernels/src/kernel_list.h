// kernel_list.h: the one list of kernel instantiations, codec x world size x (data path, arithmetic).
//
// Arithmetic per path: fp16 and bf16-cast run twice, with the native fp16 instructions (profile cuda/cdna4 on NVIDIA,
// the device's own profile on AMD) and with the saturating cdna3 emulation; native bf16 is never saturated, so one
// instantiation serves every profile. 4 codecs x 3 world sizes x 5 variants = 60 kernels.
#pragma once

// X(QUANT_NAME, CodecTemplate): one translation unit per codec (kernels_<codec>.cu) keeps compile jobs parallel.
#define QR_LIST_CODECS(X) X(F16, CodecFp) X(INT8, CodecInt8) X(INT6, CodecInt6) X(INT4, CodecInt4)

// X(CodecTemplate, W)
#define QR_LIST_WORLDS(X, C) X(C, 2) X(C, 4) X(C, 8)

// X(CodecTemplate, W, PathId, Arith)
#define QR_LIST_VARIANTS(X, C, W)                    \
    X(C, W, FP16, ArithNativeFp16)                   \
    X(C, W, FP16, ArithSaturatingFp16)               \
    X(C, W, BF16, ArithBf16)                         \
    X(C, W, BF16_CAST, ArithNativeFp16)              \
    X(C, W, BF16_CAST, ArithSaturatingFp16)
