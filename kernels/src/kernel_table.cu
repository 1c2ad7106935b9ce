// kernel_table.cu: kernel lookup and residency (how many blocks of the all-reduce can run at once on a device).
#include "kernel_table.h"

#include <mutex>
#include <unordered_map>
#include <vector>

#include "numerics.cuh"
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
// by device: blocks per SM of every kernel, in table order (queried once; loads every module, see below)
std::unordered_map<int, std::vector<int>> g_per_sm;
}  // namespace

// Asking for every kernel's attributes also loads every kernel module now: a module loaded lazily while other ranks'
// kernels already spin on flags could wait for them, and the group would deadlock.
int resident_blocks(int device, int world, int arith, int* blocks, int* per_sm) {
    QR_RT(qrSetDevice(device));
    int sms = 0;
    QR_RT(qrDeviceGetAttribute(&sms, qrDevAttrMultiProcessorCount, device));
    std::vector<int> counts;
    {
        std::lock_guard<std::mutex> lock(g_residency_mu);
        auto it = g_per_sm.find(device);
        if (it != g_per_sm.end()) counts = it->second;
    }
    if (counts.empty()) {
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
            counts.push_back(n);
        });
        QR_TRY(rc);
        std::lock_guard<std::mutex> lock(g_residency_mu);
        g_per_sm[device] = counts;
    }
    // The kernels a group of this world size and fp16 arithmetic can launch: its own fp16 variant and native bf16.
    int min_per_sm = 1 << 30;
    size_t i = 0;
    for_each_kernel([&](const KernelEntry& e) {
        const int n = counts[i++];
        const bool used = (world == 0 || e.world == world) && (arith < 0 || e.arith == arith || e.arith == (int)ArithId::BF16);
        if (used && n < min_per_sm) min_per_sm = n;
    });
    if (min_per_sm < 1 || min_per_sm == 1 << 30) {
        return fail(DEVICE_ERROR, strprintf("device %d cannot hold one block of every all-reduce kernel", device));
    }
    *blocks = min_per_sm * sms;
    *per_sm = min_per_sm;
    return OK;
}

}  // namespace qr
