/* qr_api.h: the C ABI of libqr, the GPU backend of the QuickReduce reference.
 *
 * Conventions
 *  - Every function returns an int status: QR_STATUS_* of qr_spec.h (0 = OK). Results come back through out-pointers.
 *  - On a non-zero status, qr_last_error() returns a message naming the function, its arguments and the cause (for
 *    runtime failures also the file and line of the failing runtime call). The text is thread-local: read it on the
 *    thread that made the failing call, before that thread's next call.
 *  - Arguments are validated before anything touches the GPU; a bad argument never crashes or hangs.
 *  - Communicators and groups are named by 64-bit ids that are never reused: a destroyed id answers
 *    QR_STATUS_INVALID_STATE ("not live") instead of touching freed memory.
 *  - A communicator must not be used from two threads at the same time; different communicators may.
 *  - Element types (dtype) are QR_DTYPE_*, codecs (quant_level) QR_QUANT_*, profiles QR_PROFILE_* of qr_spec.h, the
 *    header generated from the spec module (./qr gen-header).
 */
#ifndef QR_API_H
#define QR_API_H

#include <stddef.h>
#include <stdint.h>

#include "qr_spec.h"
#ifdef __cplusplus
using namespace qr_spec;
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define QR_ABI_VERSION 2

/* The library is built with hidden visibility; only these functions are exported. */
#if defined(__GNUC__)
#define QR_EXPORT __attribute__((visibility("default")))
#else
#define QR_EXPORT
#endif

/* Every code of the ABI (QR_STATE_*, QR_LAYOUT_*, QR_GROUP_*, QR_ARITH_*, QR_PRIM_*, QR_QUANT_*, QR_DTYPE_*,
 * QR_PROFILE_*, QR_FP8_FORMAT_*, QR_STATUS_*) is defined once, in the spec module, and generated into qr_spec.h with
 * its X-macro list (QR_LIST_*) and its "expected one of" text. C++ callers see them without the qr_spec namespace.
 *
 * Primitives of qr_capture_primitive. Element layouts of input -> output (n cases):
 *   RCP, CAST_BF16_TO_FP16, CAST_FP16_TO_BF16   uint16 -> uint16
 *   WIDEN (16-bit -> binary32, exact)          uint16 -> uint32 (binary32 bits)
 *   FROM_F32 (binary32 -> the policy's format) uint32 (binary32 bits) -> uint16
 *   MAX, MIN, ABS_GREATER, ADD, MUL            uint32 pairs (a << 16 | b) -> uint16 (ABS_GREATER: 1 if |a| > |b|)
 *   TO_FP8 (the policy's format -> e4m3)       uint16 -> uint16 (the code in the low byte)
 *   FROM_FP8 (e4m3 -> the policy's format)     uint16 (the code in the low byte) -> uint16 */
/* ---- library ---------------------------------------------------------------------------------------------------- */
QR_EXPORT int qr_abi_version(int* out);
/* Thread-local text of the last failure on this thread ("" when none). Never NULL. */
QR_EXPORT const char* qr_last_error(void);
/* "cuda" or "hip". */
QR_EXPORT int qr_platform(const char** out);
/* The profile the build follows with native instructions: CUDA on NVIDIA; on AMD that of device 0 (gfx94x: CDNA3,
 * otherwise CDNA4). */
QR_EXPORT int qr_native_profile(int* out);
/* 1 when `profile` can run on `device` (NVIDIA: cuda and cdna4 natively, cdna3 emulated), else 0. Touches the GPU only
 * on AMD, where the answer depends on the device's architecture. */
QR_EXPORT int qr_profile_supported(int device, int profile, int* out);
/* The arithmetic policy (QR_ARITH_*) that computes `dtype` work under `profile` on `device` (the cast path computes in
 * fp16: ask with dtype fp16). UNSUPPORTED when the profile cannot run there. */
QR_EXPORT int qr_profile_arith(int device, int profile, int dtype, int* out);
/* Runs primitive `op` (QR_PRIM_*) of policy `arith` (QR_ARITH_*) on `device` over n cases: the same device functions
 * the all-reduce kernels call. input/output are host memory in the layouts above. The fp8 primitives convert as a
 * profile with fp8 format `fp8_format` (QR_FP8_FORMAT_*) and out-of-range rule `fp8_saturate` (1: +-max, 0: NaN) does;
 * the other primitives ignore both. */
QR_EXPORT int qr_capture_primitive(int device, int arith, int op, int fp8_format, int fp8_saturate, const void* input,
                                   int64_t n, void* output);
/* The mutant this library was built as (kernels/src/mutants.h), "" for the real library. */
QR_EXPORT int qr_mutant(const char** out);
/* Number of kernels compiled in, and the name of kernel i (for reports). */
QR_EXPORT int qr_kernel_count(int* out);
QR_EXPORT int qr_kernel_name(int index, const char** out);

/* ---- compiled spec constants --------------------------------------------------------------------------------------
 * Every constant of qr_spec.h as the library was compiled with it, named without the QR_ prefix, e.g. "INT4_STRIDE". */
QR_EXPORT int qr_spec_constant_count(int* out);
QR_EXPORT int qr_spec_constant_at(int index, const char** name, uint64_t* value);
QR_EXPORT int qr_spec_constant(const char* name, uint64_t* value);
/* The buffer layout arithmetic the kernels use (QR_LAYOUT_*), for W, a grid cap and a max problem size. */
QR_EXPORT int qr_layout_query(int world_size, int max_blocks, int64_t max_problem_bytes, int what, int64_t* out);
/* Byte offset of sender's sub-slot of `block` in a receiver's buffer (phase 1 or 2, codec quant_level). */
QR_EXPORT int qr_layout_slot_offset(int world_size, int max_blocks, int64_t max_problem_bytes, int phase, int quant_level,
                          int block, int sender, int64_t* out);

/* ---- devices and memory -------------------------------------------------------------------------------------------- */
QR_EXPORT int qr_device_count(int* out);
/* One line: name, SMs, memory, driver and runtime versions. */
QR_EXPORT int qr_device_describe(int device, char* buf, int64_t capacity);
QR_EXPORT int qr_device_mem_info(int device, int64_t* free_bytes, int64_t* total_bytes);
/* Blocks of the all-reduce kernels that can be resident at once on `device` (min over all kernels of blocks per SM
 * times SMs), and the blocks per SM. */
QR_EXPORT int qr_device_resident_blocks(int device, int* blocks, int* blocks_per_sm);
QR_EXPORT int qr_device_alloc(int device, int64_t bytes, void** out);
QR_EXPORT int qr_device_free(int device, void* ptr);
/* Copies that return only when the bytes are in place on the device, so a kernel launched next on any stream sees them. */
QR_EXPORT int qr_memcpy_h2d(int device, void* dst, const void* src, int64_t bytes);
QR_EXPORT int qr_memcpy_d2h(int device, void* dst, const void* src, int64_t bytes);
QR_EXPORT int qr_memcpy_d2d(int device, void* dst, const void* src, int64_t bytes);
/* n 16-bit values of a deterministic pseudo-random sequence (seed), never zero: finite values in about (-4, 4) of the
 * given dtype, with random signs. */
QR_EXPORT int qr_device_fill_random(int device, void* ptr, int64_t n, int dtype, uint64_t seed);
/* Counts the 16-bit words that differ between a and b (n words). */
QR_EXPORT int qr_device_count_mismatches(int device, const void* a, const void* b, int64_t n, int64_t* out);
/* Device-to-device copy bandwidth: median over `iters` timed samples of copies of `bytes` (after a warm-up), in GB/s
 * counting bytes read plus bytes written. A sample holds as many back-to-back copies as make 256 MiB (one for large
 * buffers), so a buffer pair that fits the L2 cache measures the L2-resident copy rate. */
QR_EXPORT int qr_device_copy_bandwidth(int device, int64_t bytes, int iters, double* gbps);
/* Three measured rates over the same pair of `bytes`-sized buffers, each the median of `iters` samples of at least
 * 256 MiB of traffic, in GB/s: cudaMemcpyAsync (back-to-back copies; read + written), a copy kernel of 16-byte words on
 * every SM (read + written) and a read-only kernel of 16-byte words (bytes read). The kernels sweep the buffer
 * repeatedly within one launch, so an L2-sized buffer measures L2 rather than launch cost, and load past L1.
 * bytes: a positive multiple of 16. */
QR_EXPORT int qr_device_rates(int device, int64_t bytes, int iters, double* memcpy_gbps, double* copy_gbps, double* read_gbps);
/* The device's L2 cache size in bytes. */
QR_EXPORT int qr_device_l2_bytes(int device, int64_t* out);

/* ---- one rank: the seed's DeviceComms ------------------------------------------------------------------------------ */
/* max_blocks: grid cap of the layout, 0 = auto (resident blocks of the device divided by world_size, at most 1216).
 * timeout_ns: how long one flag wait may spin before the call fails with QR_STATUS_TIMEOUT. No GPU is touched. */
QR_EXPORT int qr_comms_create(int device, int profile, int max_blocks, int64_t timeout_ns, uint64_t* out);
/* Allocates and zeroes the buffer, sets the block counters to 1. max_problem_bytes: -1 = 2 GiB. */
QR_EXPORT int qr_comms_init(uint64_t comms, int world_size, int rank, int64_t max_problem_bytes);
/* This rank's buffer handle: 64 bytes (cudaIpcMemHandle_t / hipIpcMemHandle_t). */
QR_EXPORT int qr_comms_get_handle(uint64_t comms, void* out64);
/* All ranks' handles, rank order, count * 64 bytes; count must be the world size. A handle of a buffer of this
 * process is mapped through its raw pointer (a process cannot open its own IPC handle). */
QR_EXPORT int qr_comms_open_handles(uint64_t comms, const void* handles, int count);
/* One all-reduce of n elements of device memory. stream: 0 = the communicator's own stream. Waits for completion and
 * returns QR_STATUS_TIMEOUT (and the communicator is BROKEN) when a peer did not arrive. */
QR_EXPORT int qr_comms_allreduce(uint64_t comms, const void* input, void* output, int64_t n, int dtype, int quant_level,
                       int cast_bf16_to_fp16, void* stream);
/* Same, but returns after the launch; qr_comms_synchronize reports the outcome. */
QR_EXPORT int qr_comms_allreduce_async(uint64_t comms, const void* input, void* output, int64_t n, int dtype, int quant_level,
                             int cast_bf16_to_fp16, void* stream);
QR_EXPORT int qr_comms_synchronize(uint64_t comms, void* stream);
/* QR_STATE_*; a destroyed (or unknown) id reports QR_STATE_CLOSED with status OK. */
QR_EXPORT int qr_comms_state(uint64_t comms, int* out);
QR_EXPORT int qr_comms_world_size(uint64_t comms, int* out);
QR_EXPORT int qr_comms_rank(uint64_t comms, int* out);
QR_EXPORT int qr_comms_profile(uint64_t comms, int* out);
/* Layout parameters in use (after init). */
QR_EXPORT int qr_comms_max_blocks(uint64_t comms, int* out);
QR_EXPORT int qr_comms_max_problem_bytes(uint64_t comms, int64_t* out);
QR_EXPORT int qr_comms_total_bytes(uint64_t comms, int64_t* out);
/* Copies the whole communication buffer (total_bytes) to host memory; capacity must be at least total_bytes. */
QR_EXPORT int qr_comms_read_buffer(uint64_t comms, void* host_dst, int64_t capacity);
QR_EXPORT int qr_comms_destroy(uint64_t comms);

/* ---- a whole group in one process ---------------------------------------------------------------------------------- */
/* W ranks, one stream each, buffers shared by raw pointer: on `device` (every rank's grid resident at once; max_blocks
 * 0 = resident blocks / W), or on W GPUs with peer access (placement QR_GROUP_*). */
QR_EXPORT int qr_group_create(int world_size, int64_t max_problem_bytes, int device, int profile, int max_blocks,
                    int64_t timeout_ns, int placement, uint64_t* out);
/* inputs/outputs: arrays of W device pointers (rank r's on rank r's device). Waits for all ranks. */
QR_EXPORT int qr_group_allreduce(uint64_t group, const void* const* inputs, void* const* outputs, int64_t n, int dtype,
                       int quant_level, int cast_bf16_to_fp16);
/* Times `iters` calls after `warmup` untimed ones with events around all W launches; times_us receives each call's
 * time in microseconds (iters values). */
QR_EXPORT int qr_group_time(uint64_t group, const void* const* inputs, void* const* outputs, int64_t n, int dtype,
                  int quant_level, int cast_bf16_to_fp16, int warmup, int iters, float* times_us);
/* As qr_group_time, rotating over `sets` input sets: input_sets holds sets x W device pointers, set-major; call i
 * (warm-up calls included) reads set i % sets, so inputs larger than the cache are not re-read from it. */
QR_EXPORT int qr_group_time_sets(uint64_t group, const void* const* input_sets, int sets, void* const* outputs, int64_t n,
                       int dtype, int quant_level, int cast_bf16_to_fp16, int warmup, int iters, float* times_us);
/* W concurrent device-to-device copies of each rank's input (of input set i % sets) to its output, timed exactly as
 * qr_group_time times the all-reduce: what the data movement alone costs on this device. */
QR_EXPORT int qr_group_time_copies(uint64_t group, const void* const* input_sets, int sets, void* const* outputs, int64_t n,
                                   int warmup, int iters, float* times_us);
QR_EXPORT int qr_group_state(uint64_t group, int* out);
QR_EXPORT int qr_group_world_size(uint64_t group, int* out);
QR_EXPORT int qr_group_max_blocks(uint64_t group, int* out);
QR_EXPORT int qr_group_total_bytes(uint64_t group, int64_t* out);
/* Device of rank r (rank r's inputs and outputs live there). */
QR_EXPORT int qr_group_device(uint64_t group, int rank, int* out);
QR_EXPORT int qr_group_read_buffer(uint64_t group, int rank, void* host_dst, int64_t capacity);
QR_EXPORT int qr_group_destroy(uint64_t group);

/* ---- CUDA/HIP graphs of a one-GPU group ---------------------------------------------------------------------------- */
/* Captures `calls` all-reduces of `group` into one graph: call c reads inputs[c*W + r] and writes outputs[c*W + r] for
 * rank r, with n[c], dtype[c], quant_level[c], cast_bf16_to_fp16[c]. Every argument is checked now. The graph holds the
 * pointers and nothing else: each replay reads whatever the input buffers hold then, and the flag colours come from the
 * device-side block counters, so replays never see stale flags. The group must outlive the graph. */
QR_EXPORT int qr_group_graph_create(uint64_t group, int calls, const void* const* inputs, void* const* outputs,
                                    const int64_t* n, const int* dtype, const int* quant_level, const int* cast_bf16_to_fp16,
                                    uint64_t* out);
/* Launches the graph `times` times back to back and waits; a peer timeout breaks the group (QR_STATUS_TIMEOUT). */
QR_EXPORT int qr_graph_replay(uint64_t graph, int times);
/* Per-replay times in microseconds (events around each graph launch, no host launch cost inside), after `warmup`. */
QR_EXPORT int qr_graph_time(uint64_t graph, int warmup, int iters, float* times_us);
QR_EXPORT int qr_graph_destroy(uint64_t graph);

#ifdef __cplusplus
}
#endif

#endif /* QR_API_H */
