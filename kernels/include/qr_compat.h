// qr_compat.h: every difference between the NVIDIA (nvcc, CUDA runtime) and AMD (hipcc, HIP runtime) builds.
//
// Nothing outside this header names a CUDA- or HIP-specific function, type, intrinsic or instruction. The rest of
// the sources use the qr* runtime names and the qr_* device primitives defined here.
//
// Primitives and why each exists:
//   runtime API          qrMalloc, qrStream_t, qrIpcOpenMemHandle, qrGraph_t, ... (one name, two runtimes)
//   U32x4                the 16-byte vector a thread holds per atom (4 packed 32-bit words)
//   qr_load_ranged16     input loads: zero at or beyond the byte range (AMD raw buffer load, NVIDIA explicit check)
//   qr_store_ranged16    output stores: dropped at or beyond the byte range
//   qr_async_*           input tile prefetch into shared memory (cp.async on NVIDIA, plain copy on AMD)
//   qr_slot_load/store*  peer-slot traffic: nontemporal on AMD; L2-only (.cg) on NVIDIA because slots are reused
//                        across iterations and calls, so a stale L1 line must never be read
//   qr_flag_release_sys  flag store, release at system scope (peers may be other GPUs or processes)
//   qr_flag_acquire_sys  flag load, acquire at system scope
//   qr_flag_*_gpu        the same at GPU scope, for groups whose ranks all run on one GPU
//   qr_syncthreads_and   block barrier with an AND over a per-thread verdict (the parallel flag wait)
//   qr_load_relaxed_gpu  the per-rank abort word, polled while a wait spins
//   qr_clock_ticks       a constant-rate clock for bounded waits (NVIDIA %globaltimer in ns; AMD s_memrealtime)
//   qr_group_shfl_down   8-lane group reduction step (AMD: 64-lane wavefront shuffle; NVIDIA: width-8 shuffle)
//   qr_group_broadcast   the group leader's value to its 8 lanes
//   qr_pk_*_f16/_bf16    packed 16-bit float arithmetic (native v_pk_* on AMD; __hadd2 etc. on NVIDIA)
//   qr_f32_to_f16_rn     f32 -> f16 RNE conversion as the hardware does it (AMD gfx94x: subject to FP16_OVFL)
//   qr_f32x2_to_*x2_rn   two conversions and the pack in one instruction where the hardware has it
//   qr_pk_abs_greater_*  |a| > |b| per half as a mask (the group's signed-absmax selection)
//   qr_slot_load/store1  the INT3 high-bit byte: a plain access on AMD as upstream; L2-only (.cg) on NVIDIA
//   qr_native_*fp8*      the hardware's own e4m3 conversions where it has them (NVIDIA cvt.rn.satfinite e4m3x2; AMD
//                        gfx942/gfx950 v_cvt_pk_fp8_f32 when the compiler offers the builtin), with the format and
//                        overflow behaviour they have (QR_NATIVE_FP8_FORMAT, QR_NATIVE_FP8_SATURATES)
//   qr_enter_native_mode the FP16_OVFL mode write, gfx940-family builds only
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__HIPCC__) || defined(__HIP_PLATFORM_AMD__) || defined(__HIP__)
#define QR_AMD 1
#define QR_NVIDIA 0
#include <hip/hip_runtime.h>
#if defined(QR_AMD_NO_DEVICE_LIBS)
#include "qr_amd_devlib.h"
#endif
#elif defined(__CUDACC__)
#define QR_AMD 0
#define QR_NVIDIA 1
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <cuda_fp8.h>
#else
#error "qr_compat.h: compile with nvcc (NVIDIA) or hipcc (AMD)"
#endif

// ------------------------------------------------------------------------------------------------------------------
// Runtime API names
// ------------------------------------------------------------------------------------------------------------------
#if QR_NVIDIA
#define QR_PLATFORM_NAME "cuda"
typedef cudaError_t qrError_t;
typedef cudaStream_t qrStream_t;
typedef cudaEvent_t qrEvent_t;
typedef cudaIpcMemHandle_t qrIpcMemHandle_t;
typedef cudaDeviceProp qrDeviceProp_t;
#define qrSuccess cudaSuccess
#define qrErrorMemoryAllocation cudaErrorMemoryAllocation
#define qrErrorNoDevice cudaErrorNoDevice
#define qrErrorInsufficientDriver cudaErrorInsufficientDriver
#define qrErrorPeerAccessAlreadyEnabled cudaErrorPeerAccessAlreadyEnabled
#define qrGetErrorString cudaGetErrorString
#define qrGetErrorName cudaGetErrorName
#define qrGetLastError cudaGetLastError
#define qrGetDeviceCount cudaGetDeviceCount
#define qrSetDevice cudaSetDevice
#define qrGetDeviceProperties cudaGetDeviceProperties
#define qrDeviceGetAttribute cudaDeviceGetAttribute
#define qrDevAttrMultiProcessorCount cudaDevAttrMultiProcessorCount
#define qrDeviceSynchronize cudaDeviceSynchronize
#define qrDeviceCanAccessPeer cudaDeviceCanAccessPeer
#define qrDeviceEnablePeerAccess cudaDeviceEnablePeerAccess
#define qrDriverGetVersion cudaDriverGetVersion
#define qrRuntimeGetVersion cudaRuntimeGetVersion
#define qrMalloc cudaMalloc
#define qrFree cudaFree
#define qrHostAllocMapped(p, n) cudaHostAlloc((p), (n), cudaHostAllocMapped)
#define qrHostFree cudaFreeHost
#define qrHostGetDevicePointer cudaHostGetDevicePointer
#define qrMemGetInfo cudaMemGetInfo
#define qrMemcpy cudaMemcpy
#define qrMemcpyAsync cudaMemcpyAsync
#define qrMemset cudaMemset
#define qrMemcpyHostToDevice cudaMemcpyHostToDevice
#define qrMemcpyDeviceToHost cudaMemcpyDeviceToHost
#define qrMemcpyDeviceToDevice cudaMemcpyDeviceToDevice
#define qrStreamCreateNonBlocking(s) cudaStreamCreateWithFlags((s), cudaStreamNonBlocking)
#define qrStreamDestroy cudaStreamDestroy
#define qrStreamSynchronize cudaStreamSynchronize
#define qrStreamWaitEvent(s, e) cudaStreamWaitEvent((s), (e), 0)
#define qrEventCreate cudaEventCreate
typedef cudaGraph_t qrGraph_t;
typedef cudaGraphExec_t qrGraphExec_t;
#define qrStreamBeginCapture(s) cudaStreamBeginCapture((s), cudaStreamCaptureModeThreadLocal)
#define qrStreamEndCapture cudaStreamEndCapture
#define qrGraphInstantiate(e, g) cudaGraphInstantiate((e), (g), 0)
#define qrGraphLaunch cudaGraphLaunch
#define qrGraphExecDestroy cudaGraphExecDestroy
#define qrGraphDestroy cudaGraphDestroy
#define qrEventDestroy cudaEventDestroy
#define qrEventRecord cudaEventRecord
#define qrEventSynchronize cudaEventSynchronize
#define qrEventElapsedTime cudaEventElapsedTime
#define qrIpcGetMemHandle cudaIpcGetMemHandle
#define qrIpcOpenMemHandle(p, h) cudaIpcOpenMemHandle((p), (h), cudaIpcMemLazyEnablePeerAccess)
#define qrIpcCloseMemHandle cudaIpcCloseMemHandle
#define qrLaunchKernel cudaLaunchKernel
#define qrFuncGetAttributes cudaFuncGetAttributes
typedef cudaFuncAttributes qrFuncAttributes;
#define qrOccupancyMaxActiveBlocksPerMultiprocessor cudaOccupancyMaxActiveBlocksPerMultiprocessor
// Communication buffers: plain device memory. Peer reads bypass L1 (.cg), flags use system-scope release/acquire.
#define qrMallocCommBuffer(p, n) cudaMalloc((p), (n))
#else
#define QR_PLATFORM_NAME "hip"
typedef hipError_t qrError_t;
typedef hipStream_t qrStream_t;
typedef hipEvent_t qrEvent_t;
typedef hipIpcMemHandle_t qrIpcMemHandle_t;
typedef hipDeviceProp_t qrDeviceProp_t;
#define qrSuccess hipSuccess
#define qrErrorMemoryAllocation hipErrorOutOfMemory
#define qrErrorNoDevice hipErrorNoDevice
#define qrErrorInsufficientDriver hipErrorInsufficientDriver
#define qrErrorPeerAccessAlreadyEnabled hipErrorPeerAccessAlreadyEnabled
#define qrGetErrorString hipGetErrorString
#define qrGetErrorName hipGetErrorName
#define qrGetLastError hipGetLastError
#define qrGetDeviceCount hipGetDeviceCount
#define qrSetDevice hipSetDevice
#define qrGetDeviceProperties hipGetDeviceProperties
#define qrDeviceGetAttribute hipDeviceGetAttribute
#define qrDevAttrMultiProcessorCount hipDeviceAttributeMultiprocessorCount
#define qrDeviceSynchronize hipDeviceSynchronize
#define qrDeviceCanAccessPeer hipDeviceCanAccessPeer
#define qrDeviceEnablePeerAccess hipDeviceEnablePeerAccess
#define qrDriverGetVersion hipDriverGetVersion
#define qrRuntimeGetVersion hipRuntimeGetVersion
#define qrMalloc hipMalloc
#define qrFree hipFree
#define qrHostAllocMapped(p, n) hipHostMalloc((p), (n), hipHostMallocMapped)
#define qrHostFree hipHostFree
#define qrHostGetDevicePointer hipHostGetDevicePointer
#define qrMemGetInfo hipMemGetInfo
#define qrMemcpy hipMemcpy
#define qrMemcpyAsync hipMemcpyAsync
#define qrMemset hipMemset
#define qrMemcpyHostToDevice hipMemcpyHostToDevice
#define qrMemcpyDeviceToHost hipMemcpyDeviceToHost
#define qrMemcpyDeviceToDevice hipMemcpyDeviceToDevice
#define qrStreamCreateNonBlocking(s) hipStreamCreateWithFlags((s), hipStreamNonBlocking)
#define qrStreamDestroy hipStreamDestroy
#define qrStreamSynchronize hipStreamSynchronize
#define qrStreamWaitEvent(s, e) hipStreamWaitEvent((s), (e), 0)
#define qrEventCreate hipEventCreate
typedef hipGraph_t qrGraph_t;
typedef hipGraphExec_t qrGraphExec_t;
#define qrStreamBeginCapture(s) hipStreamBeginCapture((s), hipStreamCaptureModeThreadLocal)
#define qrStreamEndCapture hipStreamEndCapture
#define qrGraphInstantiate(e, g) hipGraphInstantiate((e), (g), nullptr, nullptr, 0)
#define qrGraphLaunch hipGraphLaunch
#define qrGraphExecDestroy hipGraphExecDestroy
#define qrGraphDestroy hipGraphDestroy
#define qrEventDestroy hipEventDestroy
#define qrEventRecord hipEventRecord
#define qrEventSynchronize hipEventSynchronize
#define qrEventElapsedTime hipEventElapsedTime
#define qrIpcGetMemHandle hipIpcGetMemHandle
#define qrIpcOpenMemHandle(p, h) hipIpcOpenMemHandle((p), (h), hipIpcMemLazyEnablePeerAccess)
#define qrIpcCloseMemHandle hipIpcCloseMemHandle
#define qrLaunchKernel hipLaunchKernel
#define qrFuncGetAttributes hipFuncGetAttributes
typedef hipFuncAttributes qrFuncAttributes;
#define qrOccupancyMaxActiveBlocksPerMultiprocessor hipOccupancyMaxActiveBlocksPerMultiprocessor
// Communication buffers: uncached device memory as upstream allocates it, where the headers know the flag;
// fine-grained (coherent across devices) otherwise.
#if defined(hipDeviceMallocUncached)
#define qrMallocCommBuffer(p, n) hipExtMallocWithFlags((p), (n), hipDeviceMallocUncached)
#else
#define qrMallocCommBuffer(p, n) hipExtMallocWithFlags((p), (n), hipDeviceMallocFinegrained)
#endif
#endif

// Clean-up calls whose failure cannot be acted on (the object is going away either way).
#define QR_BEST_EFFORT(call) ((void)(call))

// ------------------------------------------------------------------------------------------------------------------
// Device-side primitives
// ------------------------------------------------------------------------------------------------------------------
#define QR_DEVICE __device__ __forceinline__
#define QR_HOST_DEVICE __host__ __device__ __forceinline__
// A device function kept out of line (one copy per translation unit): long code off the native policies' hot path.
#define QR_DEVICE_OUTLINED static __device__ __noinline__

// Upstream's __launch_bounds__(256, 4). The second number is read as "minimum blocks per SM" by CUDA and as
// "minimum waves per execution unit" by HIP; both keep the register budget that lets several blocks share a unit.
// QR_LAUNCH_BOUNDS_MIN(n): NVIDIA asks for n blocks per SM (the kernels pick n per world size, see twoshot.cuh); HIP
// keeps upstream's hint.
#define QR_LAUNCH_BOUNDS __launch_bounds__(256, 4)
#if QR_NVIDIA
#define QR_LAUNCH_BOUNDS_MIN(n) __launch_bounds__(256, n)
#else
#define QR_LAUNCH_BOUNDS_MIN(n) __launch_bounds__(256, 4)
#endif

namespace qr {

// One thread's 16-byte vector of one atom: word j holds elements 2j (low half) and 2j+1 (high half).
struct alignas(16) U32x4 {
    uint32_t w[4];
};

QR_HOST_DEVICE U32x4 zero_vec() {
    U32x4 v;
    v.w[0] = v.w[1] = v.w[2] = v.w[3] = 0u;
    return v;
}

#if QR_NVIDIA
QR_DEVICE U32x4 from_uint4(uint4 u) {
    U32x4 v;
    v.w[0] = u.x; v.w[1] = u.y; v.w[2] = u.z; v.w[3] = u.w;
    return v;
}
QR_DEVICE uint4 to_uint4(const U32x4& v) {
    return make_uint4(v.w[0], v.w[1], v.w[2], v.w[3]);
}
#else
typedef int qr_i32x4 __attribute__((__vector_size__(16)));

// Raw buffer instructions through their LLVM intrinsic names (clang-15 has no __builtin_amdgcn_raw_buffer_* yet).
__device__ qr_i32x4 qr_amd_raw_buffer_load(qr_i32x4 rsrc, int32_t voffset, int32_t soffset, int32_t aux)
    __asm("llvm.amdgcn.raw.buffer.load.v4i32");
__device__ void qr_amd_raw_buffer_store(qr_i32x4 data, qr_i32x4 rsrc, int32_t voffset, int32_t soffset, int32_t aux)
    __asm("llvm.amdgcn.raw.buffer.store.v4i32");

// Buffer resource: 48-bit base address (stride 0), num_records = range in bytes, word3 = DATA_FORMAT 32-bit.
QR_DEVICE qr_i32x4 qr_amd_resource(const void* base, uint32_t range_bytes) {
    uint64_t a = (uint64_t)(uintptr_t)base;
    qr_i32x4 r;
    r[0] = (int)(uint32_t)a;
    r[1] = (int)(uint32_t)(a >> 32);
    r[2] = (int)range_bytes;
    r[3] = 0x00020000;
    return r;
}
#endif

// Input load of the 16 bytes at base + offset; reads as zero when the vector lies at or beyond range_bytes. Sizes
// are multiples of 16 bytes, so a vector is either wholly inside or wholly outside the range.
QR_DEVICE U32x4 qr_load_ranged16(const uint8_t* base, uint32_t offset, uint32_t range_bytes) {
#if QR_NVIDIA
    if (offset < range_bytes) {
        return from_uint4(__ldcs(reinterpret_cast<const uint4*>(base + offset)));
    }
    return zero_vec();
#else
    qr_i32x4 r = qr_amd_raw_buffer_load(qr_amd_resource(base, range_bytes), (int32_t)offset, 0, 0);
    U32x4 v;
    v.w[0] = (uint32_t)r[0]; v.w[1] = (uint32_t)r[1]; v.w[2] = (uint32_t)r[2]; v.w[3] = (uint32_t)r[3];
    return v;
#endif
}

// Output store; dropped when the vector lies at or beyond range_bytes.
QR_DEVICE void qr_store_ranged16(uint8_t* base, uint32_t offset, uint32_t range_bytes, const U32x4& v) {
#if QR_NVIDIA
    if (offset < range_bytes) {
        __stcs(reinterpret_cast<uint4*>(base + offset), to_uint4(v));
    }
#else
    qr_i32x4 d;
    d[0] = (int)v.w[0]; d[1] = (int)v.w[1]; d[2] = (int)v.w[2]; d[3] = (int)v.w[3];
    qr_amd_raw_buffer_store(d, qr_amd_resource(base, range_bytes), (int32_t)offset, 0, 0);
#endif
}

// Input tile prefetch into shared memory: the next tile's vectors are copied while the current tile goes through the
// protocol, so the input's memory latency leaves the critical path. NVIDIA: cp.async (global -> shared without
// registers), zero-filled at or beyond the range like qr_load_ranged16; complete after qr_async_wait_all, and visible to
// the copying thread only (every thread reads back just its own vectors). AMD: a plain load and shared store.
QR_DEVICE void qr_async_load16(U32x4* smem_dst, const uint8_t* base, uint32_t offset, uint32_t range_bytes) {
#if QR_NVIDIA
    const uint32_t dst = (uint32_t)__cvta_generic_to_shared(smem_dst);
    const bool inside = offset < range_bytes;
    const uint8_t* src = inside ? base + offset : base;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(dst), "l"(src), "r"(inside ? 16 : 0) : "memory");
#else
    *smem_dst = qr_load_ranged16(base, offset, range_bytes);
#endif
}
QR_DEVICE void qr_async_commit() {
#if QR_NVIDIA
    asm volatile("cp.async.commit_group;" ::: "memory");
#endif
}
QR_DEVICE void qr_async_wait_all() {
#if QR_NVIDIA
    asm volatile("cp.async.wait_all;" ::: "memory");
#endif
}

// Peer-slot traffic (codec payloads and scales).
QR_DEVICE void qr_slot_store16(uint8_t* p, const U32x4& v) {
#if QR_NVIDIA
    __stcg(reinterpret_cast<uint4*>(p), to_uint4(v));
#else
    qr_i32x4 d;
    d[0] = (int)v.w[0]; d[1] = (int)v.w[1]; d[2] = (int)v.w[2]; d[3] = (int)v.w[3];
    __builtin_nontemporal_store(d, reinterpret_cast<qr_i32x4*>(p));
#endif
}
QR_DEVICE U32x4 qr_slot_load16(const uint8_t* p) {
#if QR_NVIDIA
    return from_uint4(__ldcg(reinterpret_cast<const uint4*>(p)));
#else
    qr_i32x4 r = __builtin_nontemporal_load(reinterpret_cast<const qr_i32x4*>(p));
    U32x4 v;
    v.w[0] = (uint32_t)r[0]; v.w[1] = (uint32_t)r[1]; v.w[2] = (uint32_t)r[2]; v.w[3] = (uint32_t)r[3];
    return v;
#endif
}
QR_DEVICE void qr_slot_store8(uint8_t* p, uint32_t lo, uint32_t hi) {
#if QR_NVIDIA
    __stcg(reinterpret_cast<uint2*>(p), make_uint2(lo, hi));
#else
    typedef int qr_i32x2 __attribute__((__vector_size__(8)));
    qr_i32x2 d;
    d[0] = (int)lo; d[1] = (int)hi;
    __builtin_nontemporal_store(d, reinterpret_cast<qr_i32x2*>(p));
#endif
}
QR_DEVICE void qr_slot_load8(const uint8_t* p, uint32_t& lo, uint32_t& hi) {
#if QR_NVIDIA
    uint2 u = __ldcg(reinterpret_cast<const uint2*>(p));
    lo = u.x; hi = u.y;
#else
    typedef int qr_i32x2 __attribute__((__vector_size__(8)));
    qr_i32x2 r = __builtin_nontemporal_load(reinterpret_cast<const qr_i32x2*>(p));
    lo = (uint32_t)r[0]; hi = (uint32_t)r[1];
#endif
}
QR_DEVICE void qr_slot_store4(uint8_t* p, uint32_t v) {
#if QR_NVIDIA
    __stcg(reinterpret_cast<unsigned int*>(p), v);
#else
    __builtin_nontemporal_store(v, reinterpret_cast<uint32_t*>(p));
#endif
}
QR_DEVICE uint32_t qr_slot_load4(const uint8_t* p) {
#if QR_NVIDIA
    return __ldcg(reinterpret_cast<const unsigned int*>(p));
#else
    return __builtin_nontemporal_load(reinterpret_cast<const uint32_t*>(p));
#endif
}
QR_DEVICE void qr_slot_store2(uint8_t* p, uint16_t v) {
#if QR_NVIDIA
    __stcg(reinterpret_cast<unsigned short*>(p), v);
#else
    __builtin_nontemporal_store(v, reinterpret_cast<uint16_t*>(p));
#endif
}
QR_DEVICE uint16_t qr_slot_load2(const uint8_t* p) {
#if QR_NVIDIA
    return __ldcg(reinterpret_cast<const unsigned short*>(p));
#else
    return __builtin_nontemporal_load(reinterpret_cast<const uint16_t*>(p));
#endif
}

// The INT3 high-bit plane: 1 byte per thread. Upstream accesses it with a plain (not nontemporal) load and store.
QR_DEVICE void qr_slot_store1(uint8_t* p, uint8_t v) {
#if QR_NVIDIA
    __stcg(reinterpret_cast<unsigned char*>(p), v);
#else
    *p = v;
#endif
}
QR_DEVICE uint8_t qr_slot_load1(const uint8_t* p) {
#if QR_NVIDIA
    return __ldcg(reinterpret_cast<const unsigned char*>(p));
#else
    return *reinterpret_cast<const volatile uint8_t*>(p);
#endif
}

// Flags. The release store publishes every data store that the block made before its __syncthreads(); the acquire
// load makes the sender's data visible to the reads that follow the receiver's __syncthreads().
QR_DEVICE void qr_flag_release_sys(uint32_t* p, uint32_t v) {
#if QR_NVIDIA
    asm volatile("st.release.sys.global.u32 [%0], %1;" ::"l"(p), "r"(v) : "memory");
#else
    __hip_atomic_store(p, v, __ATOMIC_RELEASE, __HIP_MEMORY_SCOPE_SYSTEM);
#endif
}
QR_DEVICE uint32_t qr_flag_acquire_sys(const uint32_t* p) {
    uint32_t v;
#if QR_NVIDIA
    asm volatile("ld.acquire.sys.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
#else
    v = __hip_atomic_load(const_cast<uint32_t*>(p), __ATOMIC_ACQUIRE, __HIP_MEMORY_SCOPE_SYSTEM);
#endif
    return v;
}
// Flags at GPU scope: enough when every rank of a group runs on this one GPU (peers are then threads of the same
// device), and much cheaper than a system-scope fence. Ranks on other GPUs or in processes whose placement is not known
// use the system-scope pair above.
QR_DEVICE void qr_flag_release_gpu(uint32_t* p, uint32_t v) {
#if QR_NVIDIA
    asm volatile("st.release.gpu.global.u32 [%0], %1;" ::"l"(p), "r"(v) : "memory");
#else
    __hip_atomic_store(p, v, __ATOMIC_RELEASE, __HIP_MEMORY_SCOPE_AGENT);
#endif
}
QR_DEVICE uint32_t qr_flag_acquire_gpu(const uint32_t* p) {
    uint32_t v;
#if QR_NVIDIA
    asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
#else
    v = __hip_atomic_load(const_cast<uint32_t*>(p), __ATOMIC_ACQUIRE, __HIP_MEMORY_SCOPE_AGENT);
#endif
    return v;
}
// Block barrier that also ANDs a predicate over the block: lets the W waiting threads report their verdicts at once.
QR_DEVICE bool qr_syncthreads_and(bool p) {
    return __syncthreads_and(p ? 1 : 0) != 0;
}

// The per-rank status word (device memory of this rank): polled relaxed during a wait, claimed by the first block
// that gives up.
QR_DEVICE uint32_t qr_load_relaxed_gpu(const uint32_t* p) {
    uint32_t v;
#if QR_NVIDIA
    asm volatile("ld.relaxed.gpu.global.u32 %0, [%1];" : "=r"(v) : "l"(p) : "memory");
#else
    v = __hip_atomic_load(const_cast<uint32_t*>(p), __ATOMIC_RELAXED, __HIP_MEMORY_SCOPE_AGENT);
#endif
    return v;
}
QR_DEVICE uint32_t qr_atomic_cas_gpu(uint32_t* p, uint32_t expected, uint32_t desired) {
#if QR_NVIDIA
    return atomicCAS(reinterpret_cast<unsigned int*>(p), expected, desired);
#else
    return atomicCAS(p, expected, desired);
#endif
}

// Constant-rate clock for bounded waits. NVIDIA: %globaltimer counts nanoseconds. AMD: s_memrealtime counts at the
// fixed 100 MHz "real time" rate of gfx90a/gfx94x (the HIP 5.2 headers have no attribute to query it).
QR_DEVICE uint64_t qr_clock_ticks() {
#if QR_NVIDIA
    uint64_t t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
#else
    return __builtin_amdgcn_s_memrealtime();
#endif
}
static inline uint64_t qr_ns_to_ticks(int64_t ns) {
#if QR_NVIDIA
    return (uint64_t)ns;
#else
    return (uint64_t)(ns / 10);
#endif
}

// One step of the 8-lane group tree: lane L gets lane L+s's value (or its own past the segment end). On AMD this is
// upstream's 64-wide __shfl_down; on NVIDIA a width-8 shuffle keeps the segment inside one 32-lane warp. The group
// leader (lane 8g) only ever reads lanes 8g+1..8g+7, so both give the leader the same value.
QR_DEVICE uint32_t qr_group_shfl_down(uint32_t v, int s) {
#if QR_NVIDIA
    return __shfl_down_sync(0xffffffffu, v, (unsigned)s, 8);
#else
    return (uint32_t)__shfl_down((int)v, (unsigned)s, 64);
#endif
}
// The value of lane `lane` of the group (the leader is lane 0), broadcast to the 8 lanes of its group.
QR_DEVICE uint32_t qr_group_broadcast(uint32_t v, int lane = 0) {
#if QR_NVIDIA
    return __shfl_sync(0xffffffffu, v, lane, 8);
#else
    int leader = (int)(threadIdx.x & ~7u) + lane;
    return (uint32_t)__shfl((int)v, leader, 64);
#endif
}

// ---- 16-bit float conversions --------------------------------------------------------------------------------------
QR_DEVICE float qr_f16_to_f32(uint32_t h) {
#if QR_NVIDIA
    return __half2float(__ushort_as_half((unsigned short)h));
#else
    _Float16 x;
    uint16_t b = (uint16_t)h;
    memcpy(&x, &b, 2);
    return (float)x;
#endif
}
// Hardware f32 -> f16 with round-to-nearest-even. NVIDIA: overflow gives inf. AMD gfx94x with FP16_OVFL set: +-65504.
QR_DEVICE uint32_t qr_f32_to_f16_rn(float f) {
#if QR_NVIDIA
    return (uint32_t)__half_as_ushort(__float2half_rn(f));
#else
    _Float16 x = (_Float16)f;
    uint16_t b;
    memcpy(&b, &x, 2);
    return b;
#endif
}
// bf16 is the upper half of a binary32: the widening is exact and the same on every platform.
QR_DEVICE float qr_bf16_to_f32(uint32_t b) {
    return __uint_as_float((b & 0xFFFFu) << 16);
}
// f32 -> bf16 with round-to-nearest-even; NaN stays NaN (quiet bit set).
QR_DEVICE uint32_t qr_f32_to_bf16_rn(float f) {
#if QR_NVIDIA
    return (uint32_t)__bfloat16_as_ushort(__float2bfloat16_rn(f));
#else
    uint32_t u = __float_as_uint(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) {
        return ((u >> 16) | 0x0040u) & 0xFFFFu;
    }
    u += 0x7FFFu + ((u >> 16) & 1u);
    return u >> 16;
#endif
}
// Two binary32 values to a packed pair {lo, hi} with round-to-nearest-even: one cvt.rn.f16x2.f32 (or .bf16x2) on
// NVIDIA instead of two conversions and a pack; the same results as qr_f32_to_f16_rn / qr_f32_to_bf16_rn per half.
QR_DEVICE uint32_t qr_f32x2_to_f16x2_rn(float lo, float hi) {
#if QR_NVIDIA
    const __half2 h = __floats2half2_rn(lo, hi);
    uint32_t u;
    memcpy(&u, &h, 4);
    return u;
#else
    return qr_f32_to_f16_rn(lo) | (qr_f32_to_f16_rn(hi) << 16);
#endif
}
QR_DEVICE uint32_t qr_f32x2_to_bf16x2_rn(float lo, float hi) {
#if QR_NVIDIA
    const __nv_bfloat162 h = __floats2bfloat162_rn(lo, hi);
    uint32_t u;
    memcpy(&u, &h, 4);
    return u;
#else
    return qr_f32_to_bf16_rn(lo) | (qr_f32_to_bf16_rn(hi) << 16);
#endif
}
// Correctly rounded binary32 reciprocal.
QR_DEVICE float qr_rcp_f32_rn(float x) {
#if QR_NVIDIA
    return __frcp_rn(x);
#else
    return 1.0f / x;  // HIP-clang divides with correct rounding unless fast-math is asked for
#endif
}

// ---- packed 16-bit float arithmetic (two halves per 32-bit word) ----------------------------------------------------
#if QR_NVIDIA
QR_DEVICE __half2 qr_as_h2(uint32_t u) {
    __half2 h;
    memcpy(&h, &u, 4);
    return h;
}
QR_DEVICE uint32_t qr_from_h2(__half2 h) {
    uint32_t u;
    memcpy(&u, &h, 4);
    return u;
}
QR_DEVICE __nv_bfloat162 qr_as_b2(uint32_t u) {
    __nv_bfloat162 h;
    memcpy(&h, &u, 4);
    return h;
}
QR_DEVICE uint32_t qr_from_b2(__nv_bfloat162 h) {
    uint32_t u;
    memcpy(&u, &h, 4);
    return u;
}
#endif

#if QR_AMD
// A packed pair as the compiler's own fp16 vector: + and * on it select v_pk_add_f16 / v_pk_mul_f16 (kernels/isa checks
// it), and -ffp-contract=off keeps a multiply and a following add two roundings, as every profile has them.
typedef _Float16 qr_f16x2 __attribute__((ext_vector_type(2)));
QR_DEVICE qr_f16x2 qr_as_f16x2(uint32_t u) {
    qr_f16x2 h;
    memcpy(&h, &u, 4);
    return h;
}
QR_DEVICE uint32_t qr_from_f16x2(qr_f16x2 h) {
    uint32_t u;
    memcpy(&u, &h, 4);
    return u;
}
#endif

// Native packed fp16: IEEE RNE with subnormals. Overflow: inf on NVIDIA and gfx90a; +-65504 on gfx94x (FP16_OVFL).
QR_DEVICE uint32_t qr_pk_add_f16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_h2(__hadd2(qr_as_h2(a), qr_as_h2(b)));
#else
    return qr_from_f16x2(qr_as_f16x2(a) + qr_as_f16x2(b));
#endif
}
QR_DEVICE uint32_t qr_pk_mul_f16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_h2(__hmul2(qr_as_h2(a), qr_as_h2(b)));
#else
    return qr_from_f16x2(qr_as_f16x2(a) * qr_as_f16x2(b));
#endif
}
// maxNum/minNum: a quiet NaN operand is ignored. NVIDIA (measured): max(-0,+0) = +0, min(-0,+0) = -0.
QR_DEVICE uint32_t qr_pk_max_f16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_h2(__hmax2(qr_as_h2(a), qr_as_h2(b)));
#else
    uint32_t r;
    asm volatile("v_pk_max_f16 %0, %1, %2" : "=v"(r) : "v"(a), "v"(b));
    return r;
#endif
}
QR_DEVICE uint32_t qr_pk_min_f16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_h2(__hmin2(qr_as_h2(a), qr_as_h2(b)));
#else
    uint32_t r;
    asm volatile("v_pk_min_f16 %0, %1, %2" : "=v"(r) : "v"(a), "v"(b));
    return r;
#endif
}
// |a| > |b| per half as a mask (0xFFFF where true): an ordered comparison, so false when either is NaN. Exact in any
// format, hence shared by every fp16 policy.
QR_DEVICE uint32_t qr_pk_abs_greater_f16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return __hgt2_mask(__habs2(qr_as_h2(a)), __habs2(qr_as_h2(b)));
#else
    const uint32_t lo = fabsf(qr_f16_to_f32(a)) > fabsf(qr_f16_to_f32(b)) ? 0xFFFFu : 0u;
    const uint32_t hi = fabsf(qr_f16_to_f32(a >> 16)) > fabsf(qr_f16_to_f32(b >> 16)) ? 0xFFFF0000u : 0u;
    return lo | hi;
#endif
}
// Reciprocal. NVIDIA h2rcp is correctly rounded for every fp16 input (measured on H100). AMD: v_rcp_f16 per half, the
// instruction upstream's h2rcp (1/x in the HIP headers) becomes with LLVM 19; named through its intrinsic because
// LLVM 15 (Debian's hipcc) lowers 1/x to an fp32 division instead (found by the ISA check, class "fp16 rcp"). Correct
// rounding of v_rcp_f16 for every input is not established.
QR_DEVICE uint32_t qr_pk_rcp_f16(uint32_t a) {
#if QR_NVIDIA
    return qr_from_h2(h2rcp(qr_as_h2(a)));
#else
    _Float16 lo, hi;
    uint16_t l = (uint16_t)a, h = (uint16_t)(a >> 16);
    memcpy(&lo, &l, 2);
    memcpy(&hi, &h, 2);
    lo = __builtin_amdgcn_rcph(lo);
    hi = __builtin_amdgcn_rcph(hi);
    memcpy(&l, &lo, 2);
    memcpy(&h, &hi, 2);
    return (uint32_t)l | ((uint32_t)h << 16);
#endif
}

// Packed bf16: every operation is the binary32 result rounded to bf16 with RNE (NVIDIA sm_90: measured identical).
QR_DEVICE uint32_t qr_bf16_pack(uint32_t lo, uint32_t hi) {
    return (lo & 0xFFFFu) | (hi << 16);
}
QR_DEVICE uint32_t qr_pk_add_bf16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_b2(__hadd2(qr_as_b2(a), qr_as_b2(b)));
#else
    return qr_bf16_pack(qr_f32_to_bf16_rn(qr_bf16_to_f32(a) + qr_bf16_to_f32(b)),
                        qr_f32_to_bf16_rn(qr_bf16_to_f32(a >> 16) + qr_bf16_to_f32(b >> 16)));
#endif
}
QR_DEVICE uint32_t qr_pk_mul_bf16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_b2(__hmul2(qr_as_b2(a), qr_as_b2(b)));
#else
    return qr_bf16_pack(qr_f32_to_bf16_rn(qr_bf16_to_f32(a) * qr_bf16_to_f32(b)),
                        qr_f32_to_bf16_rn(qr_bf16_to_f32(a >> 16) * qr_bf16_to_f32(b >> 16)));
#endif
}
QR_DEVICE uint32_t qr_pk_max_bf16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_b2(__hmax2(qr_as_b2(a), qr_as_b2(b)));
#else
    return qr_bf16_pack(qr_f32_to_bf16_rn(fmaxf(qr_bf16_to_f32(a), qr_bf16_to_f32(b))),
                        qr_f32_to_bf16_rn(fmaxf(qr_bf16_to_f32(a >> 16), qr_bf16_to_f32(b >> 16))));
#endif
}
QR_DEVICE uint32_t qr_pk_min_bf16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return qr_from_b2(__hmin2(qr_as_b2(a), qr_as_b2(b)));
#else
    return qr_bf16_pack(qr_f32_to_bf16_rn(fminf(qr_bf16_to_f32(a), qr_bf16_to_f32(b))),
                        qr_f32_to_bf16_rn(fminf(qr_bf16_to_f32(a >> 16), qr_bf16_to_f32(b >> 16))));
#endif
}
QR_DEVICE uint32_t qr_pk_rcp_bf16(uint32_t a) {
#if QR_NVIDIA
    return qr_from_b2(h2rcp(qr_as_b2(a)));
#else
    return qr_bf16_pack(qr_f32_to_bf16_rn(qr_rcp_f32_rn(qr_bf16_to_f32(a))),
                        qr_f32_to_bf16_rn(qr_rcp_f32_rn(qr_bf16_to_f32(a >> 16))));
#endif
}

QR_DEVICE uint32_t qr_pk_abs_greater_bf16(uint32_t a, uint32_t b) {
#if QR_NVIDIA
    return __hgt2_mask(__habs2(qr_as_b2(a)), __habs2(qr_as_b2(b)));
#else
    const uint32_t lo = fabsf(qr_bf16_to_f32(a)) > fabsf(qr_bf16_to_f32(b)) ? 0xFFFFu : 0u;
    const uint32_t hi = fabsf(qr_bf16_to_f32(a >> 16)) > fabsf(qr_bf16_to_f32(b >> 16)) ? 0xFFFF0000u : 0u;
    return lo | hi;
#endif
}

// ---- fp8 conversions the hardware has ---------------------------------------------------------------------------------
// Codes of the native conversion: {a in bits 0..7, b in bits 8..15}. Formats are qr_spec.h's QR_FP8_FORMAT_* codes.
#if QR_NVIDIA
#define QR_NATIVE_FP8_FORMAT 0    // e4m3fn
#define QR_NATIVE_FP8_SATURATES 1 // PTX has only cvt.rn.satfinite for f8 destinations: beyond +-448 and +-inf -> +-448
QR_DEVICE uint32_t qr_native_f32x2_to_fp8x2(float a, float b) {
    return (uint32_t)__nv_cvt_float2_to_fp8x2(make_float2(a, b), __NV_SATFINITE, __NV_E4M3);
}
QR_DEVICE void qr_native_fp8x2_to_f32x2(uint32_t codes, float& a, float& b) {
    const __half2_raw h = __nv_cvt_fp8x2_to_halfraw2((__nv_fp8x2_storage_t)(codes & 0xFFFFu), __NV_E4M3);
    a = __half2float(__ushort_as_half(h.x));
    b = __half2float(__ushort_as_half(h.y));
}
#elif defined(__has_builtin)
#if __has_builtin(__builtin_amdgcn_cvt_pk_fp8_f32) && (defined(__gfx940__) || defined(__gfx941__) || defined(__gfx942__) || \
                                                      defined(__gfx950__))
#if defined(__gfx950__)
#define QR_NATIVE_FP8_FORMAT 0    // gfx950: OCP e4m3fn
#else
#define QR_NATIVE_FP8_FORMAT 1    // gfx94x: e4m3fnuz
#endif
#define QR_NATIVE_FP8_SATURATES 0 // without the clamp bit, as aiter converts (assumed: out of range -> NaN)
QR_DEVICE uint32_t qr_native_f32x2_to_fp8x2(float a, float b) {
    return (uint32_t)__builtin_amdgcn_cvt_pk_fp8_f32(a, b, 0, false) & 0xFFFFu;
}
QR_DEVICE void qr_native_fp8x2_to_f32x2(uint32_t codes, float& a, float& b) {
    a = __builtin_amdgcn_cvt_f32_fp8((int)codes, 0);
    b = __builtin_amdgcn_cvt_f32_fp8((int)codes, 1);
}
#endif
#endif

// ---- numerics mode ---------------------------------------------------------------------------------------------------
// Profile the device code of this compilation pass follows with native instructions (values of qr_spec.h's
// QR_PROFILE_*): NVIDIA -> cuda (0); gfx940-family -> cdna3 (1, FP16_OVFL set); other AMD targets -> cdna4 (2).
#if QR_NVIDIA
#define QR_DEVICE_NATIVE_PROFILE 0
#elif defined(__gfx940__) || defined(__gfx941__) || defined(__gfx942__)
#define QR_DEVICE_NATIVE_PROFILE 1
#define QR_SETS_FP16_OVFL 1
#else
#define QR_DEVICE_NATIVE_PROFILE 2
#endif

// Called once at kernel entry. On gfx940-family builds it sets MODE.FP16_OVFL (hwreg 1, offset 23, size 1:
// SIMM16 = (size-1)<<11 | offset<<6 | hwreg = 0x5C1), writing that bit alone; the memory clobber keeps the compiler
// from moving fp16 conversions above it.
// QR_ISA_PLANT_NO_FP16_OVFL removes the write: a planted defect the ISA check must catch (kernels/isa/plants.sh).
QR_DEVICE void qr_enter_native_mode() {
#if defined(QR_SETS_FP16_OVFL) && !defined(QR_ISA_PLANT_NO_FP16_OVFL)
    asm volatile("s_setreg_imm32_b32 0x5c1, 1" ::: "memory");
#endif
}

}  // namespace qr
