// kernel_table.cu: kernel lookup and residency (how many blocks of the all-reduce can run at once on a device).
#include "kernel_table.h"

#include <mutex>
#include <unordered_map>

#include "runtime.h"

namespace qr {

const KernelEntry* find_kernel(int quant, int world, int path, int arith) {
    const KernelEntry* found = nullptr;
    for_each_kernel([&](const KernelEntry& e) {
        if (e.quant == quant && e.world == world && e.path == path && e.arith == arith) {
            found = &e;
        }
    });
    return found;
}

namespace {
struct Residency {
    int blocks;
    int per_sm;
};
std::mutex g_residency_mu;
std::unordered_map<int, Residency> g_residency;
}  // namespace

// Asking for every kernel's attributes also loads every kernel module now: a module loaded lazily while other ranks'
// kernels already spin on flags could wait for them, and the group would deadlock.
int resident_blocks(int device, int* blocks, int* per_sm) {
    {
        std::lock_guard<std::mutex> lock(g_residency_mu);
        auto it = g_residency.find(device);
        if (it != g_residency.end()) {
            *blocks = it->second.blocks;
            *per_sm = it->second.per_sm;
            return OK;
        }
    }
    QR_RT(qrSetDevice(device));
    int sms = 0;
    QR_RT(qrDeviceGetAttribute(&sms, qrDevAttrMultiProcessorCount, device));
    int min_per_sm = 1 << 30;
    int rc = OK;
    for_each_kernel([&](const KernelEntry& e) {
        if (rc != OK) return;
        qrFuncAttributes attr;
        qrError_t err = qrFuncGetAttributes(&attr, e.fn);
        if (err != qrSuccess) {
            rc = runtime_failure(err, "qrFuncGetAttributes(&attr, kernel)", __FILE__, __LINE__);
            return;
        }
        int n = 0;
        err = qrOccupancyMaxActiveBlocksPerMultiprocessor(&n, e.fn, (int)qr_spec::QR_THREADS, 0);
        if (err != qrSuccess) {
            rc = runtime_failure(err, "qrOccupancyMaxActiveBlocksPerMultiprocessor(&n, kernel, 256, 0)", __FILE__,
                                 __LINE__);
            return;
        }
        if (n < min_per_sm) min_per_sm = n;
    });
    QR_TRY(rc);
    if (min_per_sm < 1) {
        return fail(DEVICE_ERROR, strprintf("device %d cannot hold one block of every all-reduce kernel", device));
    }
    std::lock_guard<std::mutex> lock(g_residency_mu);
    g_residency[device] = Residency{min_per_sm * sms, min_per_sm};
    *blocks = min_per_sm * sms;
    *per_sm = min_per_sm;
    return OK;
}

}  // namespace qr
