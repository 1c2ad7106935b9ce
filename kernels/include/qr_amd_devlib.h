// qr_amd_devlib.h: stand-ins for the six ROCm device-library functions the HIP headers call, for AMD builds made
// without the device libraries (-nogpulib). Included only by qr_compat.h, only when QR_AMD_NO_DEVICE_LIBS is defined.
//
// Why: Debian ships ROCm's device libraries only up to gfx940, so clang-19 cannot link them for gfx942. The code
// objects built this way are for inspection (the ISA check of kernels/isa/), never loaded: a ROCm install links the
// real libraries instead. Each stand-in is what the library function computes for HIP's launches (whole blocks).
#pragma once

#if !defined(QR_AMD_NO_DEVICE_LIBS)
#error "qr_amd_devlib.h is for builds without the ROCm device libraries only"
#endif

#if defined(__HIP_DEVICE_COMPILE__)
extern "C" {

// The dispatch packet (HSA kernel dispatch packet): workgroup sizes are 16-bit at bytes 4, 6, 8, grid sizes 32-bit at
// bytes 12, 16, 20.
__device__ static inline uint32_t qr_amd_dispatch_u16(int byte) {
    return ((const __attribute__((address_space(4))) uint16_t*)__builtin_amdgcn_dispatch_ptr())[byte / 2];
}
__device__ static inline uint32_t qr_amd_dispatch_u32(int byte) {
    return ((const __attribute__((address_space(4))) uint32_t*)__builtin_amdgcn_dispatch_ptr())[byte / 4];
}

__device__ size_t __ockl_get_local_id(uint dim) {
    return dim == 0 ? __builtin_amdgcn_workitem_id_x() : dim == 1 ? __builtin_amdgcn_workitem_id_y()
                                                                   : dim == 2 ? __builtin_amdgcn_workitem_id_z() : 0;
}
__device__ size_t __ockl_get_group_id(uint dim) {
    return dim == 0 ? __builtin_amdgcn_workgroup_id_x() : dim == 1 ? __builtin_amdgcn_workgroup_id_y()
                                                                    : dim == 2 ? __builtin_amdgcn_workgroup_id_z() : 0;
}
__device__ size_t __ockl_get_local_size(uint dim) {
    return dim < 3 ? qr_amd_dispatch_u16(4 + 2 * (int)dim) : 1;
}
__device__ size_t __ockl_get_num_groups(uint dim) {
    if (dim >= 3) return 1;
    const uint32_t block = qr_amd_dispatch_u16(4 + 2 * (int)dim);
    return (qr_amd_dispatch_u32(12 + 4 * (int)dim) + block - 1) / block;
}

// OpenCL's fence: the scope and order arrive as constants after inlining; the address-space flags are not needed
// (an amdgcn fence orders every address space).
__device__ void __atomic_work_item_fence(__cl_mem_fence_flags flags, __memory_order order, __memory_scope scope) {
    (void)flags;
#define QR_AMD_FENCE(SCOPE)                                                          \
    switch (order) {                                                                 \
        case __memory_order_acquire: __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, SCOPE); break; \
        case __memory_order_release: __builtin_amdgcn_fence(__ATOMIC_RELEASE, SCOPE); break; \
        case __memory_order_acq_rel: __builtin_amdgcn_fence(__ATOMIC_ACQ_REL, SCOPE); break; \
        case __memory_order_seq_cst: __builtin_amdgcn_fence(__ATOMIC_SEQ_CST, SCOPE); break; \
        default: break;                                                              \
    }
    switch (scope) {
        case __memory_scope_work_item: break;
        case __memory_scope_sub_group: QR_AMD_FENCE("wavefront") break;
        case __memory_scope_work_group: QR_AMD_FENCE("workgroup") break;
        case __memory_scope_device: QR_AMD_FENCE("agent") break;
        default: QR_AMD_FENCE("") break;
    }
#undef QR_AMD_FENCE
}

// Block-wide AND (the __syncthreads_and of the HIP headers): one LDS word, three barriers.
__device__ int __ockl_wgred_and_i32(int x) {
    __shared__ int all;
    const bool first = __builtin_amdgcn_workitem_id_x() == 0 && __builtin_amdgcn_workitem_id_y() == 0 &&
                       __builtin_amdgcn_workitem_id_z() == 0;
    if (first) all = 1;
    __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
    __builtin_amdgcn_s_barrier();
    __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
    if (!x) __hip_atomic_store(&all, 0, __ATOMIC_RELAXED, __HIP_MEMORY_SCOPE_WORKGROUP);
    __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
    __builtin_amdgcn_s_barrier();
    __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
    const int r = __hip_atomic_load(&all, __ATOMIC_RELAXED, __HIP_MEMORY_SCOPE_WORKGROUP);
    __builtin_amdgcn_fence(__ATOMIC_RELEASE, "workgroup");
    __builtin_amdgcn_s_barrier();
    __builtin_amdgcn_fence(__ATOMIC_ACQUIRE, "workgroup");
    return r;
}

}  // extern "C"
#endif
