// Generated from the spec module by dev.qrref.spec.CHeaderGenerator. Do not edit: run ./qr gen-header.
#pragma once
#include <stdint.h>

#ifdef __cplusplus
namespace qr_spec {
#define QR_SPEC_CONST static constexpr
#else
#define QR_SPEC_CONST static const
#endif

// ---- geometry
QR_SPEC_CONST uint32_t QR_THREADS = 0x00000100u;  // 256 threads | 4 wavefronts x 64 lanes (blockDim 64 x 4)
QR_SPEC_CONST uint32_t QR_WAVEFRONT = 0x00000040u;  // 64 lanes | AMD wavefront; = 2 CUDA warps
QR_SPEC_CONST uint32_t QR_ATOMS = 0x00000008u;  // 8 vectors per thread | upstream kAtoms
QR_SPEC_CONST uint32_t QR_VECTOR_BYTES = 0x00000010u;  // 16 bytes | one 128-bit load per thread per atom
QR_SPEC_CONST uint32_t QR_VECTOR_ELEMENTS = 0x00000008u;  // 8 elements | VECTOR_BYTES / 2
QR_SPEC_CONST uint32_t QR_ATOM_BYTES = 0x00001000u;  // 4096 bytes | THREADS x VECTOR_BYTES = 256 x 16
QR_SPEC_CONST uint32_t QR_ATOM_ELEMENTS = 0x00000800u;  // 2048 elements | ATOM_BYTES / 2
QR_SPEC_CONST uint32_t QR_TILE_BYTES = 0x00008000u;  // 32768 bytes | ATOMS x ATOM_BYTES = 8 x 4096
QR_SPEC_CONST uint32_t QR_TILE_ELEMENTS = 0x00004000u;  // 16384 elements | TILE_BYTES / 2
QR_SPEC_CONST uint32_t QR_GROUP_THREADS = 0x00000008u;  // 8 lanes | lanes 8g..8g+7 of a wavefront
QR_SPEC_CONST uint32_t QR_GROUP_SPAN = 0x00000040u;  // 64 elements | GROUP_THREADS x VECTOR_ELEMENTS
QR_SPEC_CONST uint32_t QR_GROUP_SIZE = 0x00000020u;  // 32 elements | even (or odd) positions of a GROUP_SPAN
QR_SPEC_CONST uint32_t QR_THREAD_GROUPS = 0x00000020u;  // 32 scale words per atom | THREADS / GROUP_THREADS
QR_SPEC_CONST uint32_t QR_SCALE_BYTES = 0x00000080u;  // 128 bytes per atom block | THREAD_GROUPS x 4
QR_SPEC_CONST uint32_t QR_DEFAULT_MAX_BLOCKS = 0x000004C0u;  // 1216 blocks | 304 CUs (MI300X) x 4; a layout parameter
QR_SPEC_CONST uint32_t QR_SIZE_MULTIPLE_BYTES = 0x00000010u;  // 16 bytes | byte size must be a multiple of one vector
QR_SPEC_CONST uint64_t QR_DEFAULT_MAX_PROBLEM_BYTES = 0x0000000080000000ull;  // 2 GiB | 2^31; also the largest allowed
// ---- codec layout
QR_SPEC_CONST uint32_t QR_FP_STRIDE = 0x00001000u;  // 4096 bytes per atom block | 16 x 256
QR_SPEC_CONST uint32_t QR_INT8_STRIDE = 0x00000880u;  // 2176 bytes per atom block | 8 x 256 + 128 (scales)
QR_SPEC_CONST uint32_t QR_INT8_SCALE_OFFSET = 0x00000800u;  // 2048 bytes | end of the payload planes
QR_SPEC_CONST uint32_t QR_INT8_LEVELS = 0x00000080u;  // L = 128 | codes -L..L-1 before the bias; 2^(bits-1)
QR_SPEC_CONST uint32_t QR_INT6_STRIDE = 0x00000680u;  // 1664 bytes per atom block | 4 x 256 + 2 x 256 + 128 (scales)
QR_SPEC_CONST uint32_t QR_INT6_PLANE1_OFFSET = 0x00000400u;  // 1024 bytes | after plane nibbles
QR_SPEC_CONST uint32_t QR_INT6_SCALE_OFFSET = 0x00000600u;  // 1536 bytes | end of the payload planes
QR_SPEC_CONST uint32_t QR_INT6_LEVELS = 0x00000020u;  // L = 32 | codes -L..L-1 before the bias; 2^(bits-1)
QR_SPEC_CONST uint32_t QR_INT4_STRIDE = 0x00000480u;  // 1152 bytes per atom block | 4 x 256 + 128 (scales)
QR_SPEC_CONST uint32_t QR_INT4_SCALE_OFFSET = 0x00000400u;  // 1024 bytes | end of the payload planes
QR_SPEC_CONST uint32_t QR_INT4_LEVELS = 0x00000008u;  // L = 8 | codes -L..L-1 before the bias; 2^(bits-1)
// ---- codec arithmetic
QR_SPEC_CONST uint16_t QR_INT8_FP16_SCALE_FACTOR = 0xA000u;  // -1/128 (fp16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT8_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT8_FP16_RANGE_MIN = 0xD800u;  // -128 (fp16) | -L
QR_SPEC_CONST uint16_t QR_INT8_FP16_RANGE_MAX = 0x57F0u;  // 127 (fp16) | L-1
QR_SPEC_CONST uint16_t QR_INT8_FP16_DECODE_ADDER = 0xE480u;  // -1152 (fp16) | -(1024 + L)
QR_SPEC_CONST uint16_t QR_INT8_BF16_SCALE_FACTOR = 0xBC00u;  // -1/128 (bf16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT8_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT8_BF16_RANGE_MIN = 0xC300u;  // -128 (bf16) | -L
QR_SPEC_CONST uint16_t QR_INT8_BF16_RANGE_MAX = 0x42FEu;  // 127 (bf16) | L-1
QR_SPEC_CONST uint16_t QR_INT8_BIAS = 0x0080u;  // 128 | L, added as int16
QR_SPEC_CONST uint16_t QR_INT6_FP16_SCALE_FACTOR = 0xA800u;  // -1/32 (fp16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT6_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT6_FP16_RANGE_MIN = 0xD000u;  // -32 (fp16) | -L
QR_SPEC_CONST uint16_t QR_INT6_FP16_RANGE_MAX = 0x4FC0u;  // 31 (fp16) | L-1
QR_SPEC_CONST uint16_t QR_INT6_FP16_DECODE_ADDER = 0xE420u;  // -1056 (fp16) | -(1024 + L)
QR_SPEC_CONST uint16_t QR_INT6_BF16_SCALE_FACTOR = 0xBD00u;  // -1/32 (bf16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT6_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT6_BF16_RANGE_MIN = 0xC200u;  // -32 (bf16) | -L
QR_SPEC_CONST uint16_t QR_INT6_BF16_RANGE_MAX = 0x41F8u;  // 31 (bf16) | L-1
QR_SPEC_CONST uint16_t QR_INT6_BIAS = 0x0020u;  // 32 | L, added as int16
QR_SPEC_CONST uint16_t QR_INT4_FP16_SCALE_FACTOR = 0xB000u;  // -1/8 (fp16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT4_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT4_FP16_RANGE_MIN = 0xC800u;  // -8 (fp16) | -L
QR_SPEC_CONST uint16_t QR_INT4_FP16_RANGE_MAX = 0x4700u;  // 7 (fp16) | L-1
QR_SPEC_CONST uint16_t QR_INT4_FP16_DECODE_ADDER = 0xE408u;  // -1032 (fp16) | -(1024 + L)
QR_SPEC_CONST uint16_t QR_INT4_BF16_SCALE_FACTOR = 0xBE00u;  // -1/8 (bf16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT4_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT4_BF16_RANGE_MIN = 0xC100u;  // -8 (bf16) | -L
QR_SPEC_CONST uint16_t QR_INT4_BF16_RANGE_MAX = 0x40E0u;  // 7 (bf16) | L-1
QR_SPEC_CONST uint16_t QR_INT4_BIAS = 0x0008u;  // 8 | L, added as int16
QR_SPEC_CONST uint16_t QR_FP16_MAGIC_1024 = 0x6400u;  // 1024.0 (fp16) | exponent 10, fraction 0: fraction bits count units
// ---- buffer layout
QR_SPEC_CONST uint32_t QR_DATA_ALIGNMENT = 0x00000100u;  // 256 bytes | start of the phase-1 data region
QR_SPEC_CONST uint32_t QR_MAX_BLOCKS_LIMIT = 0x00010000u;  // 65536 blocks | upper bound on the grid-cap parameter
QR_SPEC_CONST uint64_t QR_W8_DEFAULT_DATA_OFFSET = 0x0000000000014300ull;  // 82688 bytes | align256(2 x 8 x 1216 x 4 + 1216 x 4): example for W=8, default layout
QR_SPEC_CONST uint64_t QR_W8_DEFAULT_TOTAL_BYTES = 0x0000000004C14300ull;  // 79774464 bytes | dataOffset + 2 x 1216 x 8 x 4096: example for W=8, default layout (upstream: 77824 + 2^32)
// ---- flags
QR_SPEC_CONST uint32_t QR_INITIAL_COUNTER = 0x00000001u;  // 1 | first colour; flags start at 0
QR_SPEC_CONST uint32_t QR_INITIAL_FLAG = 0x00000000u;  // 0 | flags are zeroed at init
// ---- api
QR_SPEC_CONST uint32_t QR_IPC_HANDLE_BYTES = 0x00000040u;  // 64 bytes | sizeof(cudaIpcMemHandle_t) = sizeof(hipIpcMemHandle_t)
// ---- formats
QR_SPEC_CONST uint16_t QR_FP16_EXPONENT_MASK = 0x7C00u;  // 5 exponent bits | ((1 << e) - 1) << m
QR_SPEC_CONST uint16_t QR_FP16_FRACTION_MASK = 0x03FFu;  // 10 fraction bits | (1 << m) - 1
QR_SPEC_CONST uint16_t QR_FP16_MAX_FINITE = 0x7BFFu;  // 65504.0 | exponent mask - 1
QR_SPEC_CONST uint16_t QR_FP16_INFINITY = 0x7C00u;  // +inf | exponent all ones, fraction 0
QR_SPEC_CONST uint16_t QR_BF16_EXPONENT_MASK = 0x7F80u;  // 8 exponent bits | ((1 << e) - 1) << m
QR_SPEC_CONST uint16_t QR_BF16_FRACTION_MASK = 0x007Fu;  // 7 fraction bits | (1 << m) - 1
QR_SPEC_CONST uint16_t QR_BF16_MAX_FINITE = 0x7F7Fu;  // 3.3895313892515355E38 | exponent mask - 1
QR_SPEC_CONST uint16_t QR_BF16_INFINITY = 0x7F80u;  // +inf | exponent all ones, fraction 0
// ---- api
QR_SPEC_CONST uint32_t QR_QUANT_F16 = 0x00000000u;  // fp | seed's QuickReduceQuantLevel
QR_SPEC_CONST uint32_t QR_QUANT_INT8 = 0x00000001u;  // int8 | seed's QuickReduceQuantLevel
QR_SPEC_CONST uint32_t QR_QUANT_INT6 = 0x00000002u;  // int6 | seed's QuickReduceQuantLevel
QR_SPEC_CONST uint32_t QR_QUANT_INT4 = 0x00000003u;  // int4 | seed's QuickReduceQuantLevel
QR_SPEC_CONST uint32_t QR_DTYPE_FP16 = 0x00000000u;  // fp16 | C ABI element type
QR_SPEC_CONST uint32_t QR_DTYPE_BF16 = 0x00000001u;  // bf16 | C ABI element type
QR_SPEC_CONST uint32_t QR_PROFILE_CUDA = 0x00000000u;  // cuda | numerics profile
QR_SPEC_CONST uint32_t QR_PROFILE_CDNA3 = 0x00000001u;  // cdna3 | numerics profile
QR_SPEC_CONST uint32_t QR_PROFILE_CDNA4 = 0x00000002u;  // cdna4 | numerics profile
QR_SPEC_CONST uint32_t QR_STATUS_OK = 0x00000000u;  // success | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_INVALID_ARGUMENT = 0x00000001u;  // an argument is out of its allowed range | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_INVALID_STATE = 0x00000002u;  // the call is not allowed in the object's current state (not initialised, handles not opened, closed, or broken by an earlier timeout) | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_TIMEOUT = 0x00000003u;  // a peer did not set its flag within the wait timeout; the communicator is broken and must be closed | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_DEVICE_ERROR = 0x00000004u;  // the GPU runtime reported an error | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_OUT_OF_MEMORY = 0x00000005u;  // host or device memory could not be allocated | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_UNSUPPORTED = 0x00000006u;  // the combination is not compiled into this build (codec, world size, data path or profile) | C ABI status code
QR_SPEC_CONST uint32_t QR_STATUS_NO_DEVICE = 0x00000007u;  // no usable GPU is present | C ABI status code

#ifdef __cplusplus
}  // namespace qr_spec
#endif
