// qr_prof: one all-reduce of a one-GPU group inside a profiler range, for Nsight Compute's range replay
// (ncu --replay-mode app-range --profile-from-start off): the W rank kernels wait on each other's flags, so they must
// run concurrently, which per-kernel replay (one kernel at a time) cannot give.
//   qr_prof W QUANT DTYPE CAST N [CALLS]
#include <cuda_profiler_api.h>
#include <cuda_runtime.h>
#include <stdio.h>
#include <stdlib.h>

#include <vector>

#include "qr_api.h"

#define CHECK(call)                                                                              \
    do {                                                                                         \
        int rc_ = (call);                                                                        \
        if (rc_ != 0) {                                                                          \
            fprintf(stderr, "%s:%d: %s -> %d: %s\n", __FILE__, __LINE__, #call, rc_, qr_last_error()); \
            return 1;                                                                            \
        }                                                                                        \
    } while (0)

int main(int argc, char** argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: qr_prof W QUANT DTYPE CAST N [CALLS]\n");
        return 2;
    }
    const int w = atoi(argv[1]), quant = atoi(argv[2]), dtype = atoi(argv[3]), cast = atoi(argv[4]);
    const long long n = atoll(argv[5]);
    const int calls = argc > 6 ? atoi(argv[6]) : 1;
    uint64_t g = 0;
    CHECK(qr_group_create(w, 2 * n, 0, 0, 0, 10000000000ll, QR_GROUP_ONE_GPU, &g));
    std::vector<void*> in(w), out(w);
    for (int r = 0; r < w; r++) {
        CHECK(qr_device_alloc(0, 2 * n, &in[r]));
        CHECK(qr_device_alloc(0, 2 * n, &out[r]));
        CHECK(qr_device_fill_random(0, in[r], n, dtype, 1000 + r));
    }
    for (int i = 0; i < 3; i++) CHECK(qr_group_allreduce(g, in.data(), out.data(), n, dtype, quant, cast));
    cudaProfilerStart();
    for (int i = 0; i < calls; i++) CHECK(qr_group_allreduce(g, in.data(), out.data(), n, dtype, quant, cast));
    cudaProfilerStop();
    for (int r = 0; r < w; r++) {
        CHECK(qr_device_free(0, in[r]));
        CHECK(qr_device_free(0, out[r]));
    }
    CHECK(qr_group_destroy(g));
    printf("qr_prof: W=%d quant=%d dtype=%d cast=%d n=%lld calls=%d done\n", w, quant, dtype, cast, n, calls);
    return 0;
}
