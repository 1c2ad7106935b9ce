// comms.cu: the per-rank communicator and the in-process group.
#include "comms.h"

#include <stdlib.h>

#include <map>
#include <mutex>

#include "kernel_table.h"
#include "twoshot.cuh"

namespace qr {

namespace {

// Buffers of this process by their IPC handle: a process cannot open its own handle, so open_handles maps those
// through the raw pointer instead.
std::mutex g_local_mu;
std::map<std::string, uint8_t*> g_local_buffers;

std::string handle_key(const void* h) {
    return std::string(static_cast<const char*>(h), qr_spec::QR_IPC_HANDLE_BYTES);
}

const char* state_text(State s) {
    const char* t = qr_spec::qr_state_name((int)s);
    return t ? t : "?";
}

const ProfileRow kProfiles[] = {
#define QR_PROFILE_ROW(NAME, CODE, ID, FP16_SAT, CAST_SAT, FP8_FORMAT, FP8_SAT, AMD_ARCH) \
    {CODE, ID, FP16_SAT != 0, CAST_SAT != 0, FP8_FORMAT, FP8_SAT != 0, AMD_ARCH},
    QR_LIST_PROFILES(QR_PROFILE_ROW)
#undef QR_PROFILE_ROW
};

bool force_system_scope() {
    const char* v = getenv("QR_FLAG_SCOPE");
    return v != nullptr && strcmp(v, "sys") == 0;
}

}  // namespace

static_assert(sizeof(qrIpcMemHandle_t) == qr_spec::QR_IPC_HANDLE_BYTES, "IPC handles are 64 bytes");

const ProfileRow* profile_row(int code) {
    for (const ProfileRow& p : kProfiles) {
        if (p.code == code) return &p;
    }
    return nullptr;
}

CodecCtx codec_ctx_of(const ProfileRow& p) {
    CodecCtx c;
    c.fp8_format = (uint32_t)p.fp8_format;
    c.fp8_saturate = p.fp8_saturates ? 1u : 0u;
    return c;
}

// NVIDIA runs the cuda profile natively. On AMD the device's architecture picks the row whose amd_arch prefix it
// carries; an AMD chip no row names runs the first AMD row without saturation (no FP16_OVFL write for it).
int native_profile_of(int device, int* profile) {
#if QR_NVIDIA
    (void)device;
    *profile = (int)qr_spec::QR_PROFILE_CUDA;
    return OK;
#else
    qrDeviceProp_t prop;
    QR_RT(qrGetDeviceProperties(&prop, device));
    const ProfileRow* fallback = nullptr;
    for (const ProfileRow& p : kProfiles) {
        if (p.amd_arch[0] == '\0') continue;
        if (strncmp(prop.gcnArchName, p.amd_arch, strlen(p.amd_arch)) == 0) {
            *profile = p.code;
            return OK;
        }
        if (fallback == nullptr && !p.fp16_saturates) fallback = &p;
    }
    if (fallback == nullptr) {
        return fail(UNSUPPORTED, strprintf("no profile of this build runs natively on %s", prop.gcnArchName));
    }
    *profile = fallback->code;
    return OK;
#endif
}

int arith_for_profile(int device, int profile, int* arith) {
    const ProfileRow* want = profile_row(profile);
    if (want == nullptr) {
        return fail(INVALID_ARGUMENT, strprintf("profile %d is unknown (expected one of %s)", profile, QR_PROFILE_EXPECTED));
    }
    int native = 0;
    QR_TRY(native_profile_of(device, &native));
    // Profiles whose fp16 columns agree run on each other's native instructions; saturation the device lacks is
    // emulated (binary32 with FP16_OVFL's rule); saturation the device always applies cannot be undone.
    const bool want_saturation = want->fp16_saturates || want->cast_saturates;
    const ProfileRow* have = profile_row(native);
    const bool native_saturates = have->fp16_saturates || have->cast_saturates;
    if (want_saturation == native_saturates) {
        *arith = (int)ArithId::NATIVE_FP16;
    } else if (want_saturation) {
        *arith = (int)ArithId::SATURATING_FP16;
    } else {
        return fail(UNSUPPORTED, strprintf("profile %d cannot run on this device: its kernels set FP16_OVFL, so fp16 "
                                           "overflow always saturates there", profile));
    }
    return OK;
}

Comms::~Comms() { release(); }

void Comms::release() {
    if (buffer_ == nullptr && status_ == nullptr && stream_ == nullptr) {
        return;
    }
    QR_BEST_EFFORT(qrSetDevice(device_));
    if (stream_ != nullptr) {
        QR_BEST_EFFORT(qrStreamSynchronize(stream_));
        QR_BEST_EFFORT(qrStreamDestroy(stream_));
        stream_ = nullptr;
    }
    for (int s = 0; s < 8; s++) {
        if (peer_ipc_[s] && peers_[s] != nullptr) {
            QR_BEST_EFFORT(qrIpcCloseMemHandle(peers_[s]));
        }
        peers_[s] = nullptr;
        peer_ipc_[s] = false;
    }
    if (have_handle_) {
        std::lock_guard<std::mutex> lock(g_local_mu);
        g_local_buffers.erase(handle_key(&handle_));
        have_handle_ = false;
    }
    if (buffer_ != nullptr) {
        QR_BEST_EFFORT(qrFree(buffer_));
        buffer_ = nullptr;
    }
    if (status_ != nullptr) {
        QR_BEST_EFFORT(qrFree(status_));
        status_ = nullptr;
    }
    QR_BEST_EFFORT(qrGetLastError());  // clean-up errors are not the caller's next error
}

int Comms::init(int world_size, int rank, int64_t max_problem_bytes, int max_blocks_resolved, bool export_handle) {
    if (state_ != State::CREATED) {
        return fail(INVALID_STATE, strprintf("init was already called (state: %s)", state_text(state_)));
    }
    if (!valid_world_size(world_size)) {
        return fail(INVALID_ARGUMENT, strprintf("world size %d is not supported (expected one of %s)", world_size,
                                                QR_WORLD_SIZE_EXPECTED));
    }
    if (rank < 0 || rank >= world_size) {
        return fail(INVALID_ARGUMENT, strprintf("rank %d is out of range for world size %d (expected 0..%d)", rank,
                                                world_size, world_size - 1));
    }
    if (max_problem_bytes == -1) {
        max_problem_bytes = (int64_t)qr_spec::QR_DEFAULT_MAX_PROBLEM_BYTES;
    }
    if (!valid_max_problem_bytes(max_problem_bytes)) {
        return fail(INVALID_ARGUMENT, strprintf("max problem size %lld bytes is invalid (expected a multiple of 16 "
                                                "between 16 and %llu, or -1 for the default)",
                                                (long long)max_problem_bytes,
                                                (unsigned long long)qr_spec::QR_DEFAULT_MAX_PROBLEM_BYTES));
    }
    int count = 0;
    QR_RT(qrGetDeviceCount(&count));
    if (device_ >= count) {
        return fail(INVALID_ARGUMENT, strprintf("device %d does not exist (%d present)", device_, count));
    }
    QR_TRY(arith_for_profile(device_, profile_, &arith_));
    ctx_ = codec_ctx_of(*profile_row(profile_));
    QR_RT(qrSetDevice(device_));

    int max_blocks = max_blocks_resolved > 0 ? max_blocks_resolved : max_blocks_option_;
    if (max_blocks == 0) {
        int resident = 0, per_sm = 0;
        QR_TRY(resident_blocks(device_, world_size, arith_, &resident, &per_sm));
        // Correct whether the peers share this GPU or not: all W grids fit at once.
        max_blocks = resident / world_size;
        if (max_blocks > (int)qr_spec::QR_DEFAULT_MAX_BLOCKS) max_blocks = (int)qr_spec::QR_DEFAULT_MAX_BLOCKS;
        if (max_blocks < 1) max_blocks = 1;
    }
    world_ = world_size;
    rank_ = rank;
    layout_ = Layout{world_size, max_blocks, max_problem_bytes};

    int rc = [&]() -> int {
        QR_RT(qrMallocCommBuffer((void**)&buffer_, (size_t)layout_.total_bytes()));
        // The whole buffer starts zeroed, so its bytes are deterministic and comparable with the CPU model's.
        QR_RT(qrMemset(buffer_, 0, (size_t)layout_.total_bytes()));
        std::vector<uint32_t> counters((size_t)max_blocks, qr_spec::QR_INITIAL_COUNTER);
        QR_RT(qrMemcpy(buffer_ + layout_.counters_offset(), counters.data(), counters.size() * 4, qrMemcpyHostToDevice));
        QR_RT(qrMalloc((void**)&status_, sizeof(DeviceStatus)));
        QR_RT(qrMemset(status_, 0, sizeof(DeviceStatus)));
        QR_RT(qrStreamCreateNonBlocking(&stream_));
        if (export_handle) {
            QR_RT(qrIpcGetMemHandle(&handle_, buffer_));
            std::lock_guard<std::mutex> lock(g_local_mu);
            g_local_buffers[handle_key(&handle_)] = buffer_;
            have_handle_ = true;
        }
        QR_RT(qrDeviceSynchronize());
        return OK;
    }();
    if (rc != OK) {
        std::string c = cause();
        release();
        set_cause(c);
        return rc;
    }
    state_ = State::INITIALISED;
    return OK;
}

int Comms::get_handle(void* out64) {
    if (state_ == State::CREATED) {
        return fail(INVALID_STATE, "the handle exists after init");
    }
    if (!have_handle_) {
        return fail(INVALID_STATE, "this communicator belongs to a group and exports no handle");
    }
    memcpy(out64, &handle_, sizeof handle_);
    return OK;
}

int Comms::open_handles(const uint8_t* handles, int count) {
    if (state_ != State::INITIALISED) {
        return fail(INVALID_STATE, strprintf("handles can be opened once, after init (state: %s)", state_text(state_)));
    }
    if (count != world_) {
        return fail(INVALID_ARGUMENT, strprintf("%d handles given for world size %d", count, world_));
    }
    if (memcmp(handles + (size_t)rank_ * sizeof handle_, &handle_, sizeof handle_) != 0) {
        return fail(INVALID_ARGUMENT, strprintf("handle %d is not this rank's own handle (handles go in rank order)", rank_));
    }
    QR_RT(qrSetDevice(device_));
    for (int s = 0; s < world_; s++) {
        const uint8_t* h = handles + (size_t)s * sizeof handle_;
        if (s == rank_) {
            peers_[s] = buffer_;
            continue;
        }
        uint8_t* local = nullptr;
        {
            std::lock_guard<std::mutex> lock(g_local_mu);
            auto it = g_local_buffers.find(handle_key(h));
            if (it != g_local_buffers.end()) local = it->second;
        }
        if (local != nullptr) {
            peers_[s] = local;
            continue;
        }
        qrIpcMemHandle_t ih;
        memcpy(&ih, h, sizeof ih);
        void* p = nullptr;
        qrError_t e = qrIpcOpenMemHandle(&p, ih);
        if (e != qrSuccess) {
            runtime_failure(e, "qrIpcOpenMemHandle(&p, handle)", __FILE__, __LINE__);
            std::string c = strprintf("the handle of rank %d cannot be opened (not a live buffer of another process "
                                      "on a reachable GPU?): %s", s, cause().c_str());
            for (int o = 0; o < s; o++) {
                if (peer_ipc_[o]) QR_BEST_EFFORT(qrIpcCloseMemHandle(peers_[o]));
                peers_[o] = nullptr;
                peer_ipc_[o] = false;
            }
            QR_BEST_EFFORT(qrGetLastError());
            return fail(INVALID_ARGUMENT, c);
        }
        peers_[s] = static_cast<uint8_t*>(p);
        peer_ipc_[s] = true;
    }
    state_ = State::READY;
    return OK;
}

int Comms::connect_raw(const std::vector<uint8_t*>& buffers) {
    if (state_ != State::INITIALISED || (int)buffers.size() != world_) {
        return fail(INVALID_STATE, "connect_raw after init, with one buffer per rank");
    }
    for (int s = 0; s < world_; s++) peers_[s] = buffers[(size_t)s];
    state_ = State::READY;
    return OK;
}

int check_call_args(const Layout& layout, int64_t n, int dtype, int quant, int cast) {
    if (n <= 0) {
        return fail(INVALID_ARGUMENT, strprintf("element count %lld must be positive", (long long)n));
    }
    if (n % (int64_t)qr_spec::QR_VECTOR_ELEMENTS != 0) {
        return fail(INVALID_ARGUMENT, strprintf("element count %lld is not a multiple of %u (the byte size %lld must be "
                                                "a multiple of %u)", (long long)n, qr_spec::QR_VECTOR_ELEMENTS,
                                                (long long)(2 * n), qr_spec::QR_SIZE_MULTIPLE_BYTES));
    }
    if (qr_spec::qr_dtype_name(dtype) == nullptr) {
        return fail(INVALID_ARGUMENT, strprintf("dtype %d is unknown (expected one of %s)", dtype, QR_DTYPE_EXPECTED));
    }
    if (qr_spec::qr_codec_stride(quant) < 0) {
        return fail(INVALID_ARGUMENT, strprintf("quant level %d is unknown (expected one of %s)", quant, QR_CODEC_EXPECTED));
    }
    if (cast != 0 && cast != 1) {
        return fail(INVALID_ARGUMENT, strprintf("cast_bf16_to_fp16 must be 0 or 1, got %d", cast));
    }
    if (2 * n > layout.max_problem_bytes) {
        return fail(INVALID_ARGUMENT, strprintf("element count %lld (%lld bytes) exceeds the max problem size of %lld bytes",
                                                (long long)n, (long long)(2 * n), (long long)layout.max_problem_bytes));
    }
    return OK;
}

int Comms::launch(const void* input, void* output, int64_t n, int dtype, int quant, int cast, qrStream_t stream) {
    // A call in the wrong state fails as such, whatever its arguments.
    if (state_ != State::READY) {
        return fail(INVALID_STATE, strprintf("allreduce needs a ready communicator (state: %s)", state_text(state_)));
    }
    if (input == nullptr || output == nullptr) {
        return fail(INVALID_ARGUMENT, "input and output must not be null");
    }
    QR_TRY(check_call_args(layout_, n, dtype, quant, cast));
    return launch_checked(input, output, n, dtype, quant, cast, stream);
}

int Comms::launch_checked(const void* input, void* output, int64_t n, int dtype, int quant, int cast, qrStream_t stream) {
    const PathId path = dtype == (int)qr_spec::QR_DTYPE_FP16 ? PathId::FP16 : (cast ? PathId::BF16_CAST : PathId::BF16);
    const int arith = path == PathId::BF16 ? (int)ArithId::BF16 : arith_;
    const KernelEntry* k = find_kernel(quant, world_, (int)path, arith);
    if (k == nullptr) {
        return fail(UNSUPPORTED, strprintf("no kernel for quant %d, world size %d, path %d, arithmetic %d in this build",
                                           quant, world_, (int)path, arith));
    }
    TwoshotArgs a;
    memset(&a, 0, sizeof a);
    a.input = static_cast<const uint8_t*>(input);
    a.output = static_cast<uint8_t*>(output);
    a.range_bytes = (uint32_t)(2 * n);
    a.num_tiles = (uint32_t)Layout::num_tiles(n);
    a.rank = (uint32_t)rank_;
    a.gpu_scope = gpu_scope_ ? 1u : 0u;
    // What a host-side colour baked into a captured launch would hold on every replay; the device counters make it
    // unnecessary (only the host_colour_replay mutant reads it).
    a.host_colour = qr_spec::QR_INITIAL_COUNTER;
    a.ctx = ctx_;
    for (int s = 0; s < world_; s++) a.buffers[s] = peers_[s];
    a.flags_offset[0] = (uint64_t)layout_.flags_offset(0);
    a.flags_offset[1] = (uint64_t)layout_.flags_offset(1);
    a.data_offset[0] = (uint64_t)layout_.phase_offset(0);
    a.data_offset[1] = (uint64_t)layout_.phase_offset(1);
    a.counters_offset = (uint64_t)layout_.counters_offset();
    a.timeout_ticks = qr_ns_to_ticks(timeout_ns_);
    a.status = status_;
    void* params[] = {&a};
    const dim3 grid((unsigned)layout_.grid(n));
    const dim3 block(qr_spec::QR_WAVEFRONT, qr_spec::QR_THREADS / qr_spec::QR_WAVEFRONT);
    QR_RT(qrSetDevice(device_));
    qrError_t e = qrLaunchKernel(k->fn, grid, block, params, 0, stream);
    if (e != qrSuccess) {
        state_ = State::BROKEN;
        return runtime_failure(e, "qrLaunchKernel(twoshot_kernel, grid, block, args, 0, stream)", __FILE__, __LINE__);
    }
    return OK;
}

int Comms::complete(qrStream_t stream) {
    QR_RT(qrSetDevice(device_));
    qrError_t e = qrStreamSynchronize(stream);
    if (e != qrSuccess) {
        state_ = State::BROKEN;
        return runtime_failure(e, "qrStreamSynchronize(stream)", __FILE__, __LINE__);
    }
    DeviceStatus st;
    QR_RT(qrMemcpy(&st, status_, sizeof st, qrMemcpyDeviceToHost));
    if (st.code != qr_spec::QR_STATUS_OK) {
        state_ = State::BROKEN;
        return fail(TIMEOUT, strprintf("rank %u, block %u waited longer than %lld ns in phase %u for sender %u "
                                       "(colour %u awaited, the flag holds %u); the communicator is broken",
                                       st.rank, st.block, (long long)timeout_ns_, st.phase, st.sender, st.colour, st.seen));
    }
    return OK;
}

int Comms::read_buffer(void* host_dst, int64_t capacity) {
    if (state_ == State::CREATED || buffer_ == nullptr) {
        return fail(INVALID_STATE, "the buffer exists after init");
    }
    if (host_dst == nullptr || capacity < layout_.total_bytes()) {
        return fail(INVALID_ARGUMENT, strprintf("destination of %lld bytes is smaller than the buffer (%lld bytes)",
                                                (long long)capacity, (long long)layout_.total_bytes()));
    }
    QR_RT(qrSetDevice(device_));
    QR_RT(qrStreamSynchronize(stream_));
    QR_RT(qrMemcpy(host_dst, buffer_, (size_t)layout_.total_bytes(), qrMemcpyDeviceToHost));
    return OK;
}

// ---- group ----------------------------------------------------------------------------------------------------------

Group::~Group() {
    ranks_.clear();
}

int Group::create(int world_size, int64_t max_problem_bytes, int device, int profile, int max_blocks,
                  int64_t timeout_ns, int placement) {
    if (!valid_world_size(world_size)) {
        return fail(INVALID_ARGUMENT, strprintf("world size %d is not supported (expected one of %s)", world_size,
                                                QR_WORLD_SIZE_EXPECTED));
    }
    if (max_problem_bytes == -1) max_problem_bytes = (int64_t)qr_spec::QR_DEFAULT_MAX_PROBLEM_BYTES;
    if (!valid_max_problem_bytes(max_problem_bytes)) {
        return fail(INVALID_ARGUMENT, strprintf("max problem size %lld bytes is invalid (expected a multiple of 16 "
                                                "between 16 and 2^31, or -1)", (long long)max_problem_bytes));
    }
    if (placement < 0 || placement >= QR_PLACEMENT_COUNT) {
        return fail(INVALID_ARGUMENT, strprintf("placement %d is unknown (expected one of %s)", placement, QR_PLACEMENT_EXPECTED));
    }
    int count = 0;
    QR_RT(qrGetDeviceCount(&count));
    if (device < 0 || device >= count) {
        return fail(INVALID_ARGUMENT, strprintf("device %d does not exist (%d present)", device, count));
    }
    bool multi = false;
    if (placement != (int)qr_spec::QR_GROUP_ONE_GPU && count >= world_size) {
        multi = true;
        for (int i = 0; i < world_size && multi; i++) {
            for (int j = 0; j < world_size && multi; j++) {
                if (i == j) continue;
                int can = 0;
                QR_RT(qrDeviceCanAccessPeer(&can, i, j));
                multi = can != 0;
            }
        }
    }
    if (placement == (int)qr_spec::QR_GROUP_MULTI_GPU && !multi) {
        return fail(UNSUPPORTED, strprintf("one GPU per rank needs %d GPUs with peer access between all pairs (%d present)",
                                           world_size, count));
    }
    if (multi) {
        for (int i = 0; i < world_size; i++) {
            QR_RT(qrSetDevice(i));
            for (int j = 0; j < world_size; j++) {
                if (i == j) continue;
                qrError_t e = qrDeviceEnablePeerAccess(j, 0);
                if (e == qrErrorPeerAccessAlreadyEnabled) {
                    QR_BEST_EFFORT(qrGetLastError());  // clears the "already enabled" error
                } else if (e != qrSuccess) {
                    return runtime_failure(e, "qrDeviceEnablePeerAccess(j, 0)", __FILE__, __LINE__);
                }
            }
        }
    }
    // Every rank's grid must be resident at once, or a rank's blocks wait for peers that cannot start.
    int cap = (int)qr_spec::QR_DEFAULT_MAX_BLOCKS;
    int resident_cap = 1 << 30;
    int per_sm = 0;
    for (int r = 0; r < (multi ? world_size : 1); r++) {
        int resident = 0;
        int arith = 0;
        QR_TRY(arith_for_profile(multi ? r : device, profile, &arith));
        QR_TRY(resident_blocks(multi ? r : device, world_size, arith, &resident, &per_sm));
        const int per_rank = multi ? resident : resident / world_size;
        if (per_rank < resident_cap) resident_cap = per_rank;
    }
    if (max_blocks == 0) {
        max_blocks = resident_cap < cap ? resident_cap : cap;
        if (max_blocks < 1) max_blocks = 1;
    } else if (max_blocks < 0 || max_blocks > (int)qr_spec::QR_MAX_BLOCKS_LIMIT) {
        return fail(INVALID_ARGUMENT, strprintf("max blocks %d is out of range (0 = auto, or 1..%u)", max_blocks,
                                                qr_spec::QR_MAX_BLOCKS_LIMIT));
    } else if (max_blocks > resident_cap) {
        return fail(INVALID_ARGUMENT, strprintf("max blocks %d exceeds the %d blocks per rank that can be resident at "
                                                "once (%d per SM%s): the ranks' grids could not all run and would wait "
                                                "on each other", max_blocks, resident_cap, per_sm,
                                                multi ? "" : ", shared by the ranks of one GPU"));
    }
    world_ = world_size;
    std::vector<uint8_t*> buffers;
    for (int r = 0; r < world_size; r++) {
        ranks_.push_back(std::unique_ptr<Comms>(new Comms(multi ? r : device, profile, max_blocks, timeout_ns)));
        QR_TRY(ranks_.back()->init(world_size, r, max_problem_bytes, max_blocks, false));
        buffers.push_back(ranks_.back()->buffer());
    }
    for (auto& c : ranks_) {
        QR_TRY(c->connect_raw(buffers));
        // All ranks on one GPU: flags at GPU scope suffice (peers are threads of this device). QR_FLAG_SCOPE=sys keeps
        // the system scope anyway, to measure what the scope costs.
        c->set_gpu_scope(!multi && !force_system_scope());
    }
    state_ = State::READY;
    return OK;
}

int Group::check(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast) const {
    if (inputs == nullptr || outputs == nullptr) {
        return fail(INVALID_ARGUMENT, "the input and output pointer arrays must not be null");
    }
    if (state_ != State::READY) {
        return fail(INVALID_STATE, strprintf("allreduce needs a ready group (state: %s)", state_text(state_)));
    }
    for (int r = 0; r < world_; r++) {
        if (ranks_[r]->state() != State::READY) {
            return fail(INVALID_STATE, strprintf("rank %d: allreduce needs a ready communicator (state: %s)", r,
                                                 state_text(ranks_[r]->state())));
        }
        if (inputs[r] == nullptr || outputs[r] == nullptr) {
            return fail(INVALID_ARGUMENT, strprintf("rank %d: input and output must not be null", r));
        }
    }
    return check_call_args(ranks_[0]->layout(), n, dtype, quant, cast);
}

int Group::launch_all(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast) {
    for (int r = 0; r < world_; r++) {
        int rc = ranks_[r]->launch_checked(inputs[r], outputs[r], n, dtype, quant, cast, ranks_[r]->stream());
        if (rc != OK) {
            std::string c = cause();
            complete_all();  // the ranks already launched give up after their timeout
            for (auto& k : ranks_) k->mark_broken();
            state_ = State::BROKEN;
            return fail(rc, strprintf("rank %d: %s", r, c.c_str()));
        }
    }
    return OK;
}

int Group::complete_all() {
    int first = OK;
    std::string first_cause;
    for (int r = 0; r < world_; r++) {
        int rc = ranks_[r]->complete(ranks_[r]->stream());
        if (rc != OK && first == OK) {
            first = rc;
            first_cause = cause();
        }
    }
    if (first != OK) {
        for (auto& k : ranks_) k->mark_broken();
        state_ = State::BROKEN;
        return fail(first, first_cause);
    }
    return OK;
}

int Group::allreduce(const void* const* inputs, void* const* outputs, int64_t n, int dtype, int quant, int cast) {
    QR_TRY(check(inputs, outputs, n, dtype, quant, cast));
    QR_TRY(launch_all(inputs, outputs, n, dtype, quant, cast));
    return complete_all();
}

// The fork/join of one timed call: ranks 1..W-1 wait for `start` on rank 0's stream before their work, and rank 0's
// stream waits for theirs before `stop`, so one event pair spans the slowest rank.
template <class Launch>
int Group::time_calls(int warmup, int iters, float* times_us, Launch launch) {
    if (warmup < 0 || iters < 1 || times_us == nullptr) {
        return fail(INVALID_ARGUMENT, strprintf("warmup %d must be >= 0, iters %d >= 1, times_us not null", warmup, iters));
    }
    for (int i = 0; i < warmup; i++) {
        QR_TRY(launch(i));
    }
    QR_TRY(complete_all());
    const int dev0 = ranks_[0]->device();
    QR_RT(qrSetDevice(dev0));
    std::vector<qrEvent_t> start((size_t)iters, nullptr), stop((size_t)iters, nullptr);
    std::vector<qrEvent_t> done((size_t)world_, nullptr);
    int rc = [&]() -> int {
        for (int i = 0; i < iters; i++) {
            QR_RT(qrEventCreate(&start[(size_t)i]));
            QR_RT(qrEventCreate(&stop[(size_t)i]));
        }
        for (int r = 0; r < world_; r++) {
            QR_RT(qrSetDevice(ranks_[r]->device()));
            QR_RT(qrEventCreate(&done[(size_t)r]));
        }
        qrStream_t s0 = ranks_[0]->stream();
        for (int i = 0; i < iters; i++) {
            QR_RT(qrSetDevice(dev0));
            QR_RT(qrEventRecord(start[(size_t)i], s0));
            for (int r = 1; r < world_; r++) {
                QR_RT(qrSetDevice(ranks_[r]->device()));
                QR_RT(qrStreamWaitEvent(ranks_[r]->stream(), start[(size_t)i]));
            }
            QR_TRY(launch(warmup + i));
            for (int r = 1; r < world_; r++) {
                QR_RT(qrSetDevice(ranks_[r]->device()));
                QR_RT(qrEventRecord(done[(size_t)r], ranks_[r]->stream()));
                QR_RT(qrSetDevice(dev0));
                QR_RT(qrStreamWaitEvent(s0, done[(size_t)r]));
            }
            QR_RT(qrSetDevice(dev0));
            QR_RT(qrEventRecord(stop[(size_t)i], s0));
        }
        QR_TRY(complete_all());
        QR_RT(qrSetDevice(dev0));
        for (int i = 0; i < iters; i++) {
            float ms = 0;
            QR_RT(qrEventSynchronize(stop[(size_t)i]));
            QR_RT(qrEventElapsedTime(&ms, start[(size_t)i], stop[(size_t)i]));
            times_us[i] = ms * 1000.0f;
        }
        return OK;
    }();
    std::string c = cause();
    for (auto e : start) if (e) QR_BEST_EFFORT(qrEventDestroy(e));
    for (auto e : stop) if (e) QR_BEST_EFFORT(qrEventDestroy(e));
    for (auto e : done) if (e) QR_BEST_EFFORT(qrEventDestroy(e));
    set_cause(c);
    return rc;
}

int Group::time(const void* const* inputs, int sets, void* const* outputs, int64_t n, int dtype, int quant, int cast,
                int warmup, int iters, float* times_us) {
    if (sets < 1) {
        return fail(INVALID_ARGUMENT, strprintf("%d input sets: at least one is needed", sets));
    }
    for (int k = 0; k < sets; k++) {
        QR_TRY(check(inputs + (size_t)k * world_, outputs, n, dtype, quant, cast));
    }
    return time_calls(warmup, iters, times_us, [&](int i) {
        return launch_all(inputs + (size_t)(i % sets) * world_, outputs, n, dtype, quant, cast);
    });
}

int Group::copy_all(const void* const* inputs, void* const* outputs, int64_t n) {
    for (int r = 0; r < world_; r++) {
        QR_RT(qrSetDevice(ranks_[r]->device()));
        QR_RT(qrMemcpyAsync(outputs[r], inputs[r], (size_t)(2 * n), qrMemcpyDeviceToDevice, ranks_[r]->stream()));
    }
    return OK;
}

int Group::time_copies(const void* const* inputs, int sets, void* const* outputs, int64_t n, int warmup, int iters,
                       float* times_us) {
    if (sets < 1) {
        return fail(INVALID_ARGUMENT, strprintf("%d input sets: at least one is needed", sets));
    }
    for (int k = 0; k < sets; k++) {
        QR_TRY(check(inputs + (size_t)k * world_, outputs, n, (int)qr_spec::QR_DTYPE_FP16, (int)qr_spec::QR_QUANT_F16, 0));
    }
    return time_calls(warmup, iters, times_us, [&](int i) { return copy_all(inputs + (size_t)(i % sets) * world_, outputs, n); });
}

int Group::capture(int calls, const void* const* inputs, void* const* outputs, const int64_t* n, const int* dtype,
                   const int* quant, const int* cast, qrGraph_t* graph, qrGraphExec_t* exec) {
    if (calls < 1 || inputs == nullptr || outputs == nullptr || n == nullptr || dtype == nullptr || quant == nullptr ||
        cast == nullptr || graph == nullptr || exec == nullptr) {
        return fail(INVALID_ARGUMENT, strprintf("%d calls: needs at least one, and every array non-null", calls));
    }
    for (int c = 0; c < calls; c++) {
        int rc = check(inputs + (size_t)c * world_, outputs + (size_t)c * world_, n[c], dtype[c], quant[c], cast[c]);
        if (rc != OK) return fail(rc, strprintf("call %d: %s", c, cause().c_str()));
    }
    for (int r = 1; r < world_; r++) {
        if (ranks_[r]->device() != ranks_[0]->device()) {
            return fail(UNSUPPORTED, "graph capture is implemented for groups on one GPU");
        }
    }
    QR_TRY(complete_all());
    const int dev = ranks_[0]->device();
    QR_RT(qrSetDevice(dev));
    qrStream_t s0 = ranks_[0]->stream();
    std::vector<qrEvent_t> fork((size_t)calls, nullptr);
    std::vector<qrEvent_t> join((size_t)calls * (size_t)world_, nullptr);
    *graph = nullptr;
    *exec = nullptr;
    bool capturing = false;
    int rc = [&]() -> int {
        for (auto& e : fork) QR_RT(qrEventCreate(&e));
        for (auto& e : join) QR_RT(qrEventCreate(&e));
        QR_RT(qrStreamBeginCapture(s0));
        capturing = true;
        // each call: the other ranks' streams join the capture through a fork event, launch, and join back
        for (int c = 0; c < calls; c++) {
            QR_RT(qrEventRecord(fork[(size_t)c], s0));
            for (int r = 1; r < world_; r++) QR_RT(qrStreamWaitEvent(ranks_[r]->stream(), fork[(size_t)c]));
            for (int r = 0; r < world_; r++) {
                QR_TRY(ranks_[r]->launch_checked(inputs[(size_t)c * world_ + r], outputs[(size_t)c * world_ + r], n[c], dtype[c],
                                                 quant[c], cast[c], ranks_[r]->stream()));
            }
            for (int r = 1; r < world_; r++) {
                QR_RT(qrEventRecord(join[(size_t)c * world_ + r], ranks_[r]->stream()));
                QR_RT(qrStreamWaitEvent(s0, join[(size_t)c * world_ + r]));
            }
        }
        capturing = false;
        QR_RT(qrStreamEndCapture(s0, graph));
        QR_RT(qrGraphInstantiate(exec, *graph));
        return OK;
    }();
    std::string why = cause();
    if (capturing) {
        qrGraph_t g = nullptr;
        QR_BEST_EFFORT(qrStreamEndCapture(s0, &g));
        if (g) QR_BEST_EFFORT(qrGraphDestroy(g));
    }
    for (auto e : fork) if (e) QR_BEST_EFFORT(qrEventDestroy(e));
    for (auto e : join) if (e) QR_BEST_EFFORT(qrEventDestroy(e));
    if (rc != OK) {
        if (*exec) QR_BEST_EFFORT(qrGraphExecDestroy(*exec));
        if (*graph) QR_BEST_EFFORT(qrGraphDestroy(*graph));
        *exec = nullptr;
        *graph = nullptr;
        QR_BEST_EFFORT(qrGetLastError());
    }
    set_cause(why);
    return rc;
}

int Group::replay(qrGraphExec_t exec, int times) {
    if (state_ != State::READY) {
        return fail(INVALID_STATE, strprintf("replay needs a ready group (state: %s)", state_text(state_)));
    }
    if (times < 1) return fail(INVALID_ARGUMENT, strprintf("%d replays: at least one", times));
    QR_RT(qrSetDevice(ranks_[0]->device()));
    for (int i = 0; i < times; i++) {
        QR_RT(qrGraphLaunch(exec, ranks_[0]->stream()));
    }
    return complete_all();
}

int Group::time_replays(qrGraphExec_t exec, int warmup, int iters, float* times_us) {
    if (state_ != State::READY) {
        return fail(INVALID_STATE, strprintf("replay needs a ready group (state: %s)", state_text(state_)));
    }
    QR_RT(qrSetDevice(ranks_[0]->device()));
    // The graph forks and joins the ranks itself: the harness's fork/join around it is a no-op wait.
    return time_calls(warmup, iters, times_us, [&](int) -> int {
        QR_RT(qrGraphLaunch(exec, ranks_[0]->stream()));
        return OK;
    });
}

int Group::read_buffer(int rank, void* host_dst, int64_t capacity) {
    if (rank < 0 || rank >= world_) {
        return fail(INVALID_ARGUMENT, strprintf("rank %d is out of range for world size %d", rank, world_));
    }
    return ranks_[rank]->read_buffer(host_dst, capacity);
}

}  // namespace qr
