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

// The communicator states of the spec's CommsState, with their ABI codes (QR_STATE_*).
enum class State : int {
#define QR_STATE_ENUM(NAME, CODE, DESCRIPTION) NAME = CODE,
    QR_LIST_STATES(QR_STATE_ENUM)
#undef QR_STATE_ENUM
};

// One row of the spec's profile table (qr_spec.h's QR_LIST_PROFILES): the columns the kernels act on.
struct ProfileRow {
    int code;
    const char* id;
    bool fp16_saturates;  // FP16_OVFL: finite fp16 overflow -> +-65504
    bool cast_saturates;  // the bf16 -> fp16 cast saturates the same way
    int fp8_format;       // QR_FP8_FORMAT_*
    bool fp8_saturates;   // beyond the fp8 range: +-max (true) or NaN
    const char* amd_arch; // gfx prefix of the AMD chips that run it natively ("" for none)
};
// The row of profile `code`, or nullptr when the spec has no such profile.
const ProfileRow* profile_row(int code);
// The profile's fp8 conversion as the codecs take it.
CodecCtx codec_ctx_of(const ProfileRow& p);

// Blocks that can be resident at once on `device` for the kernels of world size `world` (0: every one) with fp16
// arithmetic `arith` (an ArithId; -1: every one), and the blocks per SM.
int resident_blocks(int device, int world, int arith, int* blocks, int* per_sm);
// The arithmetic variant (ArithId) that runs fp16 work under `profile` on `device`, or UNSUPPORTED.
int arith_for_profile(int device, int profile, int* arith);
int native_profile_of(int device, int* profile);
// Rule API-1 for the arguments every rank of a call shares: n, dtype, codec, the cast flag and the max problem size.
int check_call_args(const Layout& layout, int64_t n, int dtype, int quant, int cast);

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
    // The per-rank entry: checks the state and every argument once, then launches.
    int launch(const void* input, void* output, int64_t n, int dtype, int quant, int cast, qrStream_t stream);
    // The launch itself, for callers that checked the arguments already (a group checks them once for all ranks).
    int launch_checked(const void* input, void* output, int64_t n, int dtype, int quant, int cast, qrStream_t stream);
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
    CodecCtx ctx_ = {};
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
    // W concurrent device-to-device copies of each rank's input to its output (what the data movement alone costs),
    // timed exactly as `time` times the all-reduce.
    int time_copies(const void* const* inputs, int sets, void* const* outputs, int64_t n, int warmup, int iters,
                    float* times_us);
    int read_buffer(int rank, void* host_dst, int64_t capacity);
    // Captures `calls` all-reduces into one graph (call c: inputs/outputs c*W .. c*W+W-1, n[c], dtype[c], quant[c],
    // cast[c]); every argument is checked first. The caller owns the graph (release with destroy_graph).
    int capture(int calls, const void* const* inputs, void* const* outputs, const int64_t* n, const int* dtype,
                const int* quant, const int* cast, qrGraph_t* graph, qrGraphExec_t* exec);
    // Launches an instantiated graph `times` times on rank 0's stream and waits; a device-side timeout breaks the group.
    int replay(qrGraphExec_t exec, int times);
    // Per-replay times in microseconds (events around each launch), after `warmup` untimed replays.
    int time_replays(qrGraphExec_t exec, int warmup, int iters, float* times_us);

    State state() const { return state_; }
    int world_size() const { return world_; }
    int max_blocks() const { return ranks_.empty() ? 0 : ranks_[0]->layout().max_blocks; }
    int64_t total_bytes() const { return ranks_.empty() ? 0 : ranks_[0]->layout().total_bytes(); }
    int device_of(int rank) const { return ranks_[rank]->device(); }

private:
    int check(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast) const;
    int launch_all(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast);
    int copy_all(const void* const* inputs, void* const* outputs, int64_t n);
    int complete_all();
    // Events around `launch(set i)` for i in [0, warmup + iters): the shared timing harness of time and time_copies.
    template <class Launch>
    int time_calls(int warmup, int iters, float* times_us, Launch launch);

    int world_ = 0;
    State state_ = State::CREATED;
    std::vector<std::unique_ptr<Comms>> ranks_;
};

}  // namespace qr
