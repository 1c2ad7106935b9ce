// kernel_table.h: the compiled kernels, as the host looks them up.
#pragma once

#include <stddef.h>

#include "kernel_list.h"

namespace qr {

struct KernelEntry {
    int quant;  // qr_spec QR_QUANT_*
    int world;  // 2, 4, 8
    int path;   // PathId
    int arith;  // ArithId
    const void* fn;
    const char* name;
};

// Defined by the generated kernels_<codec>.cu, one per codec of the spec's QR_LIST_CODECS.
#define QR_DECLARE_CODEC_TABLE(NAME, CODE, ID, KERNEL, STRIDE, KIND, LEVELS) const KernelEntry* kernel_table_##NAME(size_t* count);
QR_LIST_CODECS(QR_DECLARE_CODEC_TABLE)
#undef QR_DECLARE_CODEC_TABLE

// nullptr when the combination is not compiled.
const KernelEntry* find_kernel(int quant, int world, int path, int arith);

// Calls f(entry) for every compiled kernel.
template <class F>
void for_each_kernel(F f) {
    size_t n = 0;
    const KernelEntry* t = nullptr;
#define QR_VISIT_CODEC_TABLE(NAME, CODE, ID, KERNEL, STRIDE, KIND, LEVELS) \
    t = kernel_table_##NAME(&n);                                         \
    for (size_t i = 0; i < n; i++) f(t[i]);
    QR_LIST_CODECS(QR_VISIT_CODEC_TABLE)
#undef QR_VISIT_CODEC_TABLE
}

}  // namespace qr
