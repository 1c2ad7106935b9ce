// kernel_instances.cuh: expands the list of kernel_list.h for one codec. Included by the generated kernels_<codec>.cu,
// which then invokes QR_DEFINE_CODEC_TABLE(NAME, Codec<KernelName>) for its row of the spec's QR_LIST_CODECS.
#pragma once

#include "kernel_list.h"
#include "kernel_table.h"
#include "twoshot.cuh"

#define QR_STR2(x) #x
#define QR_STR(x) QR_STR2(x)

#define QR_KERNEL_ENTRY(C, W, P, A)                                                                       \
    {C<A>::kQuant, W, (int)PathId::P, (int)A::kId, (const void*)&twoshot_kernel<C, A, W, PathId::P>,        \
     #C "/w" #W "/" #P "/" #A},
#define QR_KERNEL_ENTRIES_OF_WORLD(C, W) QR_LIST_VARIANTS(QR_KERNEL_ENTRY, C, W)

#define QR_DEFINE_CODEC_TABLE(Q, C)                                                                       \
    namespace qr {                                                                                         \
    const KernelEntry* kernel_table_##Q(size_t* count) {                                                   \
        static const KernelEntry table[] = {QR_LIST_WORLDS(QR_KERNEL_ENTRIES_OF_WORLD, C)};               \
        *count = sizeof(table) / sizeof(table[0]);                                                         \
        return table;                                                                                      \
    }                                                                                                      \
    }
