// device_util.cu: memory helpers for the Java side, deterministic device-side inputs, mismatch counts and the
// device-to-device copy bandwidth used by benchmarks.
#include "device_util.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <vector>

#include "numerics.cuh"

namespace qr {

namespace {

QR_DEVICE uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    x ^= x >> 31;
    return x;
}

// Never zero: magnitude in [2^-10, 4), random sign, rounded to the element type.
__global__ void fill_random_kernel(uint16_t* out, int64_t n, int dtype, uint64_t seed) {
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        const uint64_t h = mix64(seed * 0x9E3779B97F4A7C15ull + (uint64_t)i);
        float mag = (float)(h & 0xFFFFFFull) * (1.0f / 4194304.0f) + (1.0f / 1024.0f);
        if (mag >= 4.0f) mag = 3.99f;
        const float v = (h >> 63) ? -mag : mag;
        out[i] = (uint16_t)(dtype == 0 ? qr_f32_to_f16_rn(v) : qr_f32_to_bf16_rn(v));
    }
}

__global__ void count_mismatches_kernel(const uint16_t* a, const uint16_t* b, int64_t n, unsigned long long* count) {
    unsigned long long local = 0;
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        local += a[i] != b[i] ? 1ull : 0ull;
    }
    if (local != 0) atomicAdd(count, local);
}

// Streams of 16-byte words over all SMs: what a kernel (rather than the copy engine path of cudaMemcpy) reaches.
// The bench's bound takes the fastest measured rate, so that no kernel can beat the rate it is charged at. `passes`
// sweeps over the same buffer in one launch: an L2-sized buffer is swept often enough that the launch costs nothing
// (one sweep of 8 MiB takes about as long as a launch). Loads bypass L1 (ld.global.cg): repeated sweeps would
// otherwise be served by L1, while every byte the all-reduce moves passes through L2 (the slot primitives).
__global__ void stream_copy_kernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, int64_t words, int passes) {
    for (int p = 0; p < passes; p++) {
        for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < words; i += (int64_t)gridDim.x * blockDim.x) {
            qr_slot_store16(dst + 16 * i, qr_slot_load16(src + 16 * i));
        }
    }
}

// Reads only; the sink write depends on every word read (an order-dependent hash, so repeated sweeps cannot cancel),
// so the loads cannot be dropped, and the write almost never happens.
__global__ void stream_read_kernel(const uint8_t* __restrict__ src, int64_t words, int passes, unsigned* sink) {
    unsigned acc = 0;
    for (int p = 0; p < passes; p++) {
        for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < words; i += (int64_t)gridDim.x * blockDim.x) {
            const U32x4 v = qr_slot_load16(src + 16 * i);
            acc = (acc ^ v.w[0] ^ v.w[1] ^ v.w[2] ^ v.w[3]) * 0x01000193u;
        }
    }
    if (acc == 0x9E3779B9u) *sink = acc;
}

}  // namespace

int device_fill_random(int device, void* ptr, int64_t n, int dtype, uint64_t seed) {
    QR_RT(qrSetDevice(device));
    const int blocks = (int)std::min<int64_t>((n + 255) / 256, 4096);
    fill_random_kernel<<<blocks, 256>>>(static_cast<uint16_t*>(ptr), n, dtype, seed);
    QR_RT(qrGetLastError());
    QR_RT(qrDeviceSynchronize());
    return OK;
}

int device_count_mismatches(int device, const void* a, const void* b, int64_t n, int64_t* out) {
    // One counter word per device, kept for the process: soak loops count after every call.
    static std::mutex mu;
    static std::map<int, unsigned long long*> counters;
    std::lock_guard<std::mutex> lock(mu);
    QR_RT(qrSetDevice(device));
    unsigned long long*& count = counters[device];
    if (count == nullptr) {
        QR_RT(qrMalloc((void**)&count, sizeof *count));
    }
    QR_RT(qrMemset(count, 0, sizeof *count));
    const int blocks = (int)std::min<int64_t>((n + 255) / 256, 4096);
    count_mismatches_kernel<<<blocks, 256>>>(static_cast<const uint16_t*>(a), static_cast<const uint16_t*>(b), n, count);
    QR_RT(qrGetLastError());
    unsigned long long host = 0;
    QR_RT(qrMemcpy(&host, count, sizeof host, qrMemcpyDeviceToHost));
    *out = (int64_t)host;
    return OK;
}

int device_copy_bandwidth(int device, int64_t bytes, int iters, double* gbps) {
    QR_RT(qrSetDevice(device));
    void* src = nullptr;
    void* dst = nullptr;
    qrEvent_t e0 = nullptr, e1 = nullptr;
    std::vector<float> ms((size_t)iters);
    int rc = [&]() -> int {
        QR_RT(qrMalloc(&src, (size_t)bytes));
        QR_RT(qrMalloc(&dst, (size_t)bytes));
        QR_RT(qrMemset(src, 0x3C, (size_t)bytes));
        QR_RT(qrEventCreate(&e0));
        QR_RT(qrEventCreate(&e1));
        for (int i = 0; i < 3; i++) QR_RT(qrMemcpy(dst, src, (size_t)bytes, qrMemcpyDeviceToDevice));
        // Small copies (an L2-resident pair of buffers) are timed in batches, so that each sample spans at least
        // 256 MiB of copies and the event resolution and launch gaps stay negligible.
        const int batch = (int)std::max<int64_t>(1, (256ll << 20) / bytes);
        for (int i = 0; i < iters; i++) {
            QR_RT(qrEventRecord(e0, 0));
            for (int b = 0; b < batch; b++) QR_RT(qrMemcpyAsync(dst, src, (size_t)bytes, qrMemcpyDeviceToDevice, 0));
            QR_RT(qrEventRecord(e1, 0));
            QR_RT(qrEventSynchronize(e1));
            QR_RT(qrEventElapsedTime(&ms[(size_t)i], e0, e1));
        }
        std::sort(ms.begin(), ms.end());
        const double median_ms = ms[ms.size() / 2];
        *gbps = 2.0 * (double)bytes * batch / (median_ms * 1e-3) / 1e9;
        return OK;
    }();
    if (e0) QR_BEST_EFFORT(qrEventDestroy(e0));
    if (e1) QR_BEST_EFFORT(qrEventDestroy(e1));
    if (src) QR_BEST_EFFORT(qrFree(src));
    if (dst) QR_BEST_EFFORT(qrFree(dst));
    return rc;
}

int device_rates(int device, int64_t bytes, int iters, double* memcpy_gbps, double* copy_gbps, double* read_gbps) {
    QR_RT(qrSetDevice(device));
    void* src = nullptr;
    void* dst = nullptr;
    unsigned* sink = nullptr;
    qrEvent_t e0 = nullptr, e1 = nullptr;
    int rc = [&]() -> int {
        QR_RT(qrMalloc(&src, (size_t)bytes));
        QR_RT(qrMalloc(&dst, (size_t)bytes));
        QR_RT(qrMalloc((void**)&sink, sizeof *sink));
        QR_RT(qrMemset(src, 0x3C, (size_t)bytes));
        QR_RT(qrEventCreate(&e0));
        QR_RT(qrEventCreate(&e1));
        int sms = 0;
        QR_RT(qrDeviceGetAttribute(&sms, qrDevAttrMultiProcessorCount, device));
        const int64_t words = bytes / 16;
        const int blocks = (int)std::max<int64_t>(1, std::min<int64_t>((words + 511) / 512, (int64_t)sms * 8));
        // Each sample spans at least 256 MiB of traffic, so launch gaps and the event resolution stay small: cudaMemcpy
        // as `sweeps` back-to-back copies, the kernels as one launch of `sweeps` passes.
        const int sweeps = (int)std::max<int64_t>(1, (256ll << 20) / bytes);
        std::vector<float> ms((size_t)iters);
        // Median rate of `op` (moving bytes_per_op bytes) over iters samples of `batch` back-to-back calls.
        auto measure = [&](double bytes_per_op, int batch, double* gbps, auto&& op) -> int {
            for (int w = 0; w < 3; w++) QR_RT(op());
            for (int i = 0; i < iters; i++) {
                QR_RT(qrEventRecord(e0, 0));
                for (int b = 0; b < batch; b++) QR_RT(op());
                QR_RT(qrEventRecord(e1, 0));
                QR_RT(qrEventSynchronize(e1));
                QR_RT(qrEventElapsedTime(&ms[(size_t)i], e0, e1));
            }
            std::sort(ms.begin(), ms.end());
            *gbps = bytes_per_op * batch / (ms[ms.size() / 2] * 1e-3) / 1e9;
            return OK;
        };
        QR_TRY(measure(2.0 * (double)bytes, sweeps, memcpy_gbps,
                       [&]() { return qrMemcpyAsync(dst, src, (size_t)bytes, qrMemcpyDeviceToDevice, 0); }));
        QR_TRY(measure(32.0 * (double)words * sweeps, 1, copy_gbps, [&]() {
            stream_copy_kernel<<<blocks, 512>>>(static_cast<const uint8_t*>(src), static_cast<uint8_t*>(dst), words, sweeps);
            return qrGetLastError();
        }));
        QR_TRY(measure(16.0 * (double)words * sweeps, 1, read_gbps, [&]() {
            stream_read_kernel<<<blocks, 512>>>(static_cast<const uint8_t*>(src), words, sweeps, sink);
            return qrGetLastError();
        }));
        return OK;
    }();
    if (e0) QR_BEST_EFFORT(qrEventDestroy(e0));
    if (e1) QR_BEST_EFFORT(qrEventDestroy(e1));
    if (sink) QR_BEST_EFFORT(qrFree(sink));
    if (src) QR_BEST_EFFORT(qrFree(src));
    if (dst) QR_BEST_EFFORT(qrFree(dst));
    return rc;
}

int device_l2_bytes(int device, int64_t* out) {
    qrDeviceProp_t p;
    QR_RT(qrGetDeviceProperties(&p, device));
    *out = (int64_t)p.l2CacheSize;
    return OK;
}

}  // namespace qr
