// flags.cuh: flag colours and the bounded exact wait (rules FLAG-1..FLAG-3).
#pragma once

#include "numerics.cuh"

namespace qr {

// Written by the first block of a rank that gives up waiting; read by the host after the call. Lives in a small
// device allocation of its own, outside the communication buffer (whose bytes are compared with the CPU model).
struct DeviceStatus {
    uint32_t code;    // qr_spec::QR_STATUS_OK or QR_STATUS_TIMEOUT
    uint32_t phase;   // 1 or 2
    uint32_t block;
    uint32_t sender;
    uint32_t colour;  // the colour awaited
    uint32_t seen;    // what the flag held when the wait gave up
    uint32_t rank;
    uint32_t reserved;
};

// Thread 0 spins until *flag == colour (exact equality: a stale flag can never hold the awaited colour). Gives up
// when another block of this rank already gave up, or when the wait exceeds timeout_ticks; the first block to give up
// records why. Returns false when it gave up.
QR_DEVICE uint32_t load_flag(const uint32_t* flag, bool gpu_scope) {
    return gpu_scope ? qr_flag_acquire_gpu(flag) : qr_flag_acquire_sys(flag);
}

// gpu_scope: every peer runs on this GPU (TwoshotArgs::gpu_scope).
QR_DEVICE bool wait_flag(const uint32_t* flag, uint32_t colour, DeviceStatus* status, uint64_t timeout_ticks,
                         uint32_t phase, uint32_t sender, uint32_t rank, bool gpu_scope) {
    uint32_t seen = load_flag(flag, gpu_scope);
    if (seen == colour) {
        return true;
    }
    const uint64_t start = qr_clock_ticks();
    for (uint32_t spin = 1;; spin++) {
        seen = load_flag(flag, gpu_scope);
        if (seen == colour) {
            return true;
        }
        if ((spin & 255u) == 0) {
            if (qr_load_relaxed_gpu(&status->code) != qr_spec::QR_STATUS_OK) {
                return false;
            }
            if (qr_clock_ticks() - start > timeout_ticks) {
                if (qr_atomic_cas_gpu(&status->code, qr_spec::QR_STATUS_OK, qr_spec::QR_STATUS_TIMEOUT) ==
                    qr_spec::QR_STATUS_OK) {
                    status->phase = phase;
                    status->block = blockIdx.x;
                    status->sender = sender;
                    status->colour = colour;
                    status->seen = seen;
                    status->rank = rank;
                }
                return false;
            }
        }
    }
}

}  // namespace qr
