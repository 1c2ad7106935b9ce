// kernel_table.h: the compiled kernels, as the host looks them up.
#pragma once

#include <stddef.h>

namespace qr {

struct KernelEntry {
    int quant;  // qr_spec QR_QUANT_*
    int world;  // 2, 4, 8
    int path;   // PathId
    int arith;  // ArithId
    const void* fn;
    const char* name;
};

// Defined by kernels_<codec>.cu, one per codec of QR_LIST_CODECS.
#define QR_DECLARE_CODEC_TABLE(Q, C) const KernelEntry* kernel_table_##Q(size_t* count);
#include "kernel_list.h"
QR_LIST_CODECS(QR_DECLARE_CODEC_TABLE)
#undef QR_DECLARE_CODEC_TABLE

// nullptr when the combination is not compiled.
const KernelEntry* find_kernel(int quant, int world, int path, int arith);

// Calls f(entry) for every compiled kernel.
template <class F>
void for_each_kernel(F f) {
    size_t n = 0;
    const KernelEntry* t = nullptr;
#define QR_VISIT_CODEC_TABLE(Q, C)               \
    t = kernel_table_##Q(&n);                    \
    for (size_t i = 0; i < n; i++) f(t[i]);
    QR_LIST_CODECS(QR_VISIT_CODEC_TABLE)
#undef QR_VISIT_CODEC_TABLE
}

}  // namespace qr
