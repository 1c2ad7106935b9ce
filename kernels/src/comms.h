// comms.h: one rank (the seed's DeviceComms) and a group of ranks in one process.
#pragma once

#include <stdint.h>

#include <memory>
#include <string>
#include <vector>

#include "flags.cuh"
#include "layout.h"
#include "runtime.h"

namespace qr {

enum class State : int { CREATED = 0, INITIALISED = 1, READY = 2, BROKEN = 3, CLOSED = 4 };

// Blocks that can be resident at once on `device` for the kernels of world size `world` (0: every one) with fp16
// arithmetic `arith` (an ArithId; -1: every one), and the blocks per SM.
int resident_blocks(int device, int world, int arith, int* blocks, int* per_sm);
// The arithmetic variant (ArithId) that runs fp16 work under `profile` on `device`, or UNSUPPORTED.
int arith_for_profile(int device, int profile, int* arith);
int native_profile_of(int device, int* profile);

class Comms {
public:
    Comms(int device, int profile, int max_blocks, int64_t timeout_ns)
        : device_(device), profile_(profile), max_blocks_option_(max_blocks), timeout_ns_(timeout_ns) {}
    ~Comms();

    // max_blocks_resolved > 0 overrides the option (groups decide the cap for all their ranks).
    int init(int world_size, int rank, int64_t max_problem_bytes, int max_blocks_resolved, bool export_handle);
    int get_handle(void* out64);
    int open_handles(const uint8_t* handles, int count);
    // Peers given by raw pointer (groups in one process).
    int connect_raw(const std::vector<uint8_t*>& buffers);
    int check_call(const void* input, const void* output, int64_t n, int dtype, int quant, int cast) const;
    int launch(const void* input, void* output, int64_t n, int dtype, int quant, int cast, qrStream_t stream);
    // Waits for `stream` and reports a timeout or device error recorded by the kernel.
    int complete(qrStream_t stream);
    int read_buffer(void* host_dst, int64_t capacity);
    void release();

    State state() const { return state_; }
    void mark_broken() { state_ = State::BROKEN; }
    // Whether every peer runs on this rank's GPU (then flags use GPU scope); false unless a one-GPU group says so.
    void set_gpu_scope(bool on) { gpu_scope_ = on; }
    int device() const { return device_; }
    int profile() const { return profile_; }
    int world_size() const { return world_; }
    int rank() const { return rank_; }
    const Layout& layout() const { return layout_; }
    uint8_t* buffer() const { return buffer_; }
    qrStream_t stream() const { return stream_; }
    qrStream_t pick(void* s) const { return s ? (qrStream_t)s : stream_; }

private:
    int device_;
    int profile_;
    int max_blocks_option_;
    int64_t timeout_ns_;
    State state_ = State::CREATED;
    int world_ = 0;
    int rank_ = -1;
    int arith_ = -1;
    Layout layout_;
    uint8_t* buffer_ = nullptr;
    DeviceStatus* status_ = nullptr;
    qrStream_t stream_ = nullptr;
    bool gpu_scope_ = false;
    bool have_handle_ = false;
    qrIpcMemHandle_t handle_;
    uint8_t* peers_[8] = {};
    bool peer_ipc_[8] = {};
};

class Group {
public:
    ~Group();
    int create(int world_size, int64_t max_problem_bytes, int device, int profile, int max_blocks, int64_t timeout_ns,
               int placement);
    int allreduce(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast);
    // inputs: sets x W pointers, set-major; call i reads set i % sets.
    int time(const void* const* inputs, int sets, void* const* outputs, int64_t n, int dtype, int quant, int cast,
             int warmup, int iters, float* times_us);
    int read_buffer(int rank, void* host_dst, int64_t capacity);

    State state() const { return state_; }
    int world_size() const { return world_; }
    int max_blocks() const { return ranks_.empty() ? 0 : ranks_[0]->layout().max_blocks; }
    int64_t total_bytes() const { return ranks_.empty() ? 0 : ranks_[0]->layout().total_bytes(); }
    int device_of(int rank) const { return ranks_[rank]->device(); }

private:
    int check(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast) const;
    int launch_all(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast);
    int complete_all();

    int world_ = 0;
    State state_ = State::CREATED;
    std::vector<std::unique_ptr<Comms>> ranks_;
};

}  // namespace qr
