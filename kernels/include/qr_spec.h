// Generated from the spec module by dev.qrref.spec.CHeaderGenerator. Do not edit: run ./qr gen-header.
#pragma once
#include <stdint.h>

#if defined(__CUDACC__) || defined(__HIPCC__)
#define QR_SPEC_FN static inline __host__ __device__
#else
#define QR_SPEC_FN static inline
#endif

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
QR_SPEC_CONST uint32_t QR_ELEMENT_BYTES = 0x00000002u;  // 2 bytes | fp16 or bf16
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
QR_SPEC_CONST uint32_t QR_INT3_STRIDE = 0x00000380u;  // 896 bytes per atom block | 2 x 256 + 1 x 256 + 128 (scales)
QR_SPEC_CONST uint32_t QR_INT3_PLANE1_OFFSET = 0x00000200u;  // 512 bytes | after plane low2
QR_SPEC_CONST uint32_t QR_INT3_SCALE_OFFSET = 0x00000300u;  // 768 bytes | end of the payload planes
QR_SPEC_CONST uint32_t QR_INT3_LEVELS = 0x00000004u;  // L = 4 | codes -L..L-1 before the bias; 2^(bits-1)
QR_SPEC_CONST uint32_t QR_FP8_STRIDE = 0x00000880u;  // 2176 bytes per atom block | 8 x 256 + 128 (scales)
QR_SPEC_CONST uint32_t QR_FP8_SCALE_OFFSET = 0x00000800u;  // 2048 bytes | end of the payload planes
QR_SPEC_CONST uint32_t QR_MAX_STRIDE = 0x00001000u;  // 4096 bytes | largest codec stride: slots are sized for it
// ---- codec arithmetic
QR_SPEC_CONST uint16_t QR_INT8_FP16_SCALE_FACTOR = 0xA000u;  // -1/128 (fp16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT8_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT8_FP16_RANGE_MIN = 0xD800u;  // -128 (fp16) | -L
QR_SPEC_CONST uint16_t QR_INT8_FP16_RANGE_MAX = 0x57F0u;  // 127 (fp16) | L-1
QR_SPEC_CONST uint32_t QR_INT8_FP16_DECODE_MAGIC = 0x00000001u;  // 1: through 1024.0 | how code - L is formed (QuantLevel.fp16Decode)
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
QR_SPEC_CONST uint32_t QR_INT6_FP16_DECODE_MAGIC = 0x00000001u;  // 1: through 1024.0 | how code - L is formed (QuantLevel.fp16Decode)
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
QR_SPEC_CONST uint32_t QR_INT4_FP16_DECODE_MAGIC = 0x00000001u;  // 1: through 1024.0 | how code - L is formed (QuantLevel.fp16Decode)
QR_SPEC_CONST uint16_t QR_INT4_FP16_DECODE_ADDER = 0xE408u;  // -1032 (fp16) | -(1024 + L)
QR_SPEC_CONST uint16_t QR_INT4_BF16_SCALE_FACTOR = 0xBE00u;  // -1/8 (bf16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT4_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT4_BF16_RANGE_MIN = 0xC100u;  // -8 (bf16) | -L
QR_SPEC_CONST uint16_t QR_INT4_BF16_RANGE_MAX = 0x40E0u;  // 7 (bf16) | L-1
QR_SPEC_CONST uint16_t QR_INT4_BIAS = 0x0008u;  // 8 | L, added as int16
QR_SPEC_CONST uint16_t QR_INT3_FP16_SCALE_FACTOR = 0xB400u;  // -1/4 (fp16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT3_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT3_FP16_RANGE_MIN = 0xC400u;  // -4 (fp16) | -L
QR_SPEC_CONST uint16_t QR_INT3_FP16_RANGE_MAX = 0x4200u;  // 3 (fp16) | L-1
QR_SPEC_CONST uint32_t QR_INT3_FP16_DECODE_MAGIC = 0x00000000u;  // 0: int to half + RMIN | how code - L is formed (QuantLevel.fp16Decode)
QR_SPEC_CONST uint16_t QR_INT3_FP16_DECODE_ADDER = 0x0000u;  // 0 (unused) | no 1024.0 trick for this codec
QR_SPEC_CONST uint16_t QR_INT3_BF16_SCALE_FACTOR = 0xBE80u;  // -1/4 (bf16) | -1/L, exact power of two
QR_SPEC_CONST uint16_t QR_INT3_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_INT3_BF16_RANGE_MIN = 0xC080u;  // -4 (bf16) | -L
QR_SPEC_CONST uint16_t QR_INT3_BF16_RANGE_MAX = 0x4040u;  // 3 (bf16) | L-1
QR_SPEC_CONST uint16_t QR_INT3_BIAS = 0x0004u;  // 4 | L, added as int16
QR_SPEC_CONST uint16_t QR_FP8_FP16_SCALE_FACTOR = 0x1C44u;  // 0.0041656494140625 (fp16) | fp16 nearest to 1/240 (upstream literal)
QR_SPEC_CONST uint16_t QR_FP8_FP16_EPSILON = 0x0001u;  // 2^-24 (fp16) | smallest positive subnormal (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_FP8_BF16_SCALE_FACTOR = 0x3B88u;  // 0.004150390625 (bf16) | bf16 of the fp16 constant, a tie rounded to even (upstream literal)
QR_SPEC_CONST uint16_t QR_FP8_BF16_EPSILON = 0x33D7u;  // 1.6796875 x 2^-24 (bf16) | bf16 nearest to 1e-7 (upstream kScaleEpsilon)
QR_SPEC_CONST uint16_t QR_FP16_MAGIC_1024 = 0x6400u;  // 1024.0 (fp16) | exponent 10, fraction 0: fraction bits count units
QR_SPEC_CONST uint32_t QR_FP8_TARGET_MAX = 0x000000F0u;  // 240 | FP8 maps a group's absmax to about 240 (SF = 1/240)
// ---- buffer layout
QR_SPEC_CONST uint32_t QR_DATA_ALIGNMENT = 0x00000100u;  // 256 bytes | start of the phase-1 data region
QR_SPEC_CONST uint32_t QR_MAX_BLOCKS_LIMIT = 0x00010000u;  // 65536 blocks | upper bound on the grid-cap parameter
QR_SPEC_CONST uint64_t QR_W8_DEFAULT_DATA_OFFSET = 0x0000000000014300ull;  // 82688 bytes | align256(2 x 8 x 1216 x 4 + 1216 x 4): example for W=8, default layout
QR_SPEC_CONST uint64_t QR_W8_DEFAULT_TOTAL_BYTES = 0x0000000004C14300ull;  // 79774464 bytes | dataOffset + 2 x 1216 x 8 x 4096: example for W=8, default layout (upstream: 77824 + 2^32)
// ---- flags
QR_SPEC_CONST uint32_t QR_INITIAL_COUNTER = 0x00000001u;  // 1 | first colour; flags start at 0
QR_SPEC_CONST uint32_t QR_INITIAL_FLAG = 0x00000000u;  // 0 | flags are zeroed at init
QR_SPEC_CONST uint32_t QR_FLAG_WORD_BYTES = 0x00000004u;  // 4 bytes | flags and block counters are uint32
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
// ---- abi
QR_SPEC_CONST uint32_t QR_QUANT_F16 = 0x00000000u;  // fp | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_QUANT_INT8 = 0x00000001u;  // int8 | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_QUANT_INT6 = 0x00000002u;  // int6 | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_QUANT_INT4 = 0x00000003u;  // int4 | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_QUANT_INT3 = 0x00000004u;  // int3 | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_QUANT_FP8 = 0x00000005u;  // fp8 | codec (QuantLevel)
QR_SPEC_CONST uint32_t QR_DTYPE_FP16 = 0x00000000u;  // fp16 | element type (DType)
QR_SPEC_CONST uint32_t QR_DTYPE_BF16 = 0x00000001u;  // bf16 | element type (DType)
QR_SPEC_CONST uint32_t QR_PATH_FP16 = 0x00000000u;  // fp16 | data path (DataPath)
QR_SPEC_CONST uint32_t QR_PATH_BF16 = 0x00000001u;  // bf16 | data path (DataPath)
QR_SPEC_CONST uint32_t QR_PATH_BF16_CAST = 0x00000002u;  // bf16-cast | data path (DataPath)
QR_SPEC_CONST uint32_t QR_PROFILE_CUDA = 0x00000000u;  // cuda | numerics profile (Profile)
QR_SPEC_CONST uint32_t QR_PROFILE_CDNA3 = 0x00000001u;  // cdna3 | numerics profile (Profile)
QR_SPEC_CONST uint32_t QR_PROFILE_CDNA4 = 0x00000002u;  // cdna4 | numerics profile (Profile)
QR_SPEC_CONST uint32_t QR_FP8_FORMAT_E4M3FN = 0x00000000u;  // e4m3fn | fp8 format (Fp8Format)
QR_SPEC_CONST uint32_t QR_FP8_FORMAT_E4M3FNUZ = 0x00000001u;  // e4m3fnuz | fp8 format (Fp8Format)
QR_SPEC_CONST uint32_t QR_STATUS_OK = 0x00000000u;  // success | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_INVALID_ARGUMENT = 0x00000001u;  // an argument is out of its allowed range | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_INVALID_STATE = 0x00000002u;  // the call is not allowed in the object's current state (not initialised, handles not opened, closed, or broken by an earlier timeout) | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_TIMEOUT = 0x00000003u;  // a peer did not set its flag within the wait timeout; the communicator is broken and must be closed | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_DEVICE_ERROR = 0x00000004u;  // the GPU runtime reported an error | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_OUT_OF_MEMORY = 0x00000005u;  // host or device memory could not be allocated | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_UNSUPPORTED = 0x00000006u;  // the combination is not compiled into this build (codec, world size, data path or profile) | status code (Status)
QR_SPEC_CONST uint32_t QR_STATUS_NO_DEVICE = 0x00000007u;  // no usable GPU is present | status code (Status)
QR_SPEC_CONST uint32_t QR_STATE_CREATED = 0x00000000u;  // created (init not called) | communicator state (CommsState)
QR_SPEC_CONST uint32_t QR_STATE_INITIALISED = 0x00000001u;  // initialised (handles not opened) | communicator state (CommsState)
QR_SPEC_CONST uint32_t QR_STATE_READY = 0x00000002u;  // ready | communicator state (CommsState)
QR_SPEC_CONST uint32_t QR_STATE_BROKEN = 0x00000003u;  // broken by an earlier timeout or device error (only destroy is allowed) | communicator state (CommsState)
QR_SPEC_CONST uint32_t QR_STATE_CLOSED = 0x00000004u;  // closed | communicator state (CommsState)
QR_SPEC_CONST uint32_t QR_LAYOUT_FLAG_BYTES = 0x00000000u;  // flag_bytes | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_COUNTERS_OFFSET = 0x00000001u;  // counters_offset | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_DATA_OFFSET = 0x00000002u;  // data_offset | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_TOUCHED_BLOCKS = 0x00000003u;  // touched_blocks | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_PHASE_BYTES = 0x00000004u;  // phase_bytes | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_PHASE2_OFFSET = 0x00000005u;  // phase2_offset | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_LAYOUT_TOTAL_BYTES = 0x00000006u;  // total_bytes | qr_layout_query (LayoutQuery)
QR_SPEC_CONST uint32_t QR_GROUP_AUTO = 0x00000000u;  // auto | group placement (Placement)
QR_SPEC_CONST uint32_t QR_GROUP_ONE_GPU = 0x00000001u;  // one GPU | group placement (Placement)
QR_SPEC_CONST uint32_t QR_GROUP_MULTI_GPU = 0x00000002u;  // one GPU per rank | group placement (Placement)
QR_SPEC_CONST uint32_t QR_ARITH_NATIVE_FP16 = 0x00000000u;  // native-fp16 | arithmetic policy (ArithPolicy)
QR_SPEC_CONST uint32_t QR_ARITH_SATURATING_FP16 = 0x00000001u;  // saturating-fp16 | arithmetic policy (ArithPolicy)
QR_SPEC_CONST uint32_t QR_ARITH_BF16 = 0x00000002u;  // bf16 | arithmetic policy (ArithPolicy)
QR_SPEC_CONST uint32_t QR_PRIM_RCP = 0x00000000u;  // rcp | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_WIDEN = 0x00000001u;  // widen | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_CAST_BF16_TO_FP16 = 0x00000002u;  // cast-bf16-fp16 | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_CAST_FP16_TO_BF16 = 0x00000003u;  // cast-fp16-bf16 | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_FROM_F32 = 0x00000004u;  // from-f32 | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_MAX = 0x00000005u;  // max | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_MIN = 0x00000006u;  // min | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_ABS_GREATER = 0x00000007u;  // abs-greater | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_ADD = 0x00000008u;  // add | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_MUL = 0x00000009u;  // mul | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_TO_FP8 = 0x0000000Au;  // to-fp8 | captured primitive (Primitive)
QR_SPEC_CONST uint32_t QR_PRIM_FROM_FP8 = 0x0000000Bu;  // from-fp8 | captured primitive (Primitive)

// ---- closed lists: X-macros, counts and the texts of error messages
// world sizes: X(C, W) for each, after the caller's first argument
#define QR_LIST_WORLD_SIZES_FOR(X, C) X(C, 2) X(C, 4) X(C, 8)
#define QR_WORLD_SIZE_EXPECTED "2, 4, 8"
// X(NAME, code, "id", KernelName, stride, kind (0 raw, 1 integer, 2 fp8), L)
#define QR_LIST_CODECS(X) \
    X(F16, 0, "fp", Fp, 4096, 0, 0) \
    X(INT8, 1, "int8", Int8, 2176, 1, 128) \
    X(INT6, 2, "int6", Int6, 1664, 1, 32) \
    X(INT4, 3, "int4", Int4, 1152, 1, 8) \
    X(INT3, 4, "int3", Int3, 896, 1, 4) \
    X(FP8, 5, "fp8", Fp8, 2176, 2, 0)
#define QR_CODEC_COUNT 6
#define QR_CODEC_EXPECTED "0 = fp, 1 = int8, 2 = int6, 3 = int4, 4 = int3, 5 = fp8"
// X(NAME, code, "id", fp16_saturates, cast_saturates, fp8_format, fp8_saturates, "amd_arch")
#define QR_LIST_PROFILES(X) \
    X(CUDA, 0, "cuda", 0, 0, 0, 1, "") \
    X(CDNA3, 1, "cdna3", 1, 1, 1, 0, "gfx94") \
    X(CDNA4, 2, "cdna4", 0, 0, 0, 0, "gfx95")
#define QR_PROFILE_COUNT 3
#define QR_PROFILE_EXPECTED "0 = cuda, 1 = cdna3, 2 = cdna4"
// X(NAME, code, "id")
#define QR_LIST_DTYPES(X) \
    X(FP16, 0, "fp16") \
    X(BF16, 1, "bf16")
#define QR_DTYPE_COUNT 2
#define QR_DTYPE_EXPECTED "0 = fp16, 1 = bf16"
// X(NAME, code, "id")
#define QR_LIST_PATHS(X) \
    X(FP16, 0, "fp16") \
    X(BF16, 1, "bf16") \
    X(BF16_CAST, 2, "bf16-cast")
#define QR_PATH_COUNT 3
#define QR_PATH_EXPECTED "0 = fp16, 1 = bf16, 2 = bf16-cast"
// X(NAME, code, "id", bias)
#define QR_LIST_FP8_FORMATS(X) \
    X(E4M3FN, 0, "e4m3fn", 7) \
    X(E4M3FNUZ, 1, "e4m3fnuz", 8)
#define QR_FP8_FORMAT_COUNT 2
#define QR_FP8_FORMAT_EXPECTED "0 = e4m3fn, 1 = e4m3fnuz"
// X(NAME, code)
#define QR_LIST_STATUSES(X) \
    X(OK, 0) \
    X(INVALID_ARGUMENT, 1) \
    X(INVALID_STATE, 2) \
    X(TIMEOUT, 3) \
    X(DEVICE_ERROR, 4) \
    X(OUT_OF_MEMORY, 5) \
    X(UNSUPPORTED, 6) \
    X(NO_DEVICE, 7)
#define QR_STATUS_COUNT 8
#define QR_STATUS_EXPECTED "0 = OK, 1 = INVALID_ARGUMENT, 2 = INVALID_STATE, 3 = TIMEOUT, 4 = DEVICE_ERROR, 5 = OUT_OF_MEMORY, 6 = UNSUPPORTED, 7 = NO_DEVICE"
// X(NAME, code, "description")
#define QR_LIST_STATES(X) \
    X(CREATED, 0, "created (init not called)") \
    X(INITIALISED, 1, "initialised (handles not opened)") \
    X(READY, 2, "ready") \
    X(BROKEN, 3, "broken by an earlier timeout or device error (only destroy is allowed)") \
    X(CLOSED, 4, "closed")
#define QR_STATE_COUNT 5
#define QR_STATE_EXPECTED "0 = created, 1 = initialised, 2 = ready, 3 = broken, 4 = closed"
// X(NAME, code)
#define QR_LIST_LAYOUT_QUERIES(X) \
    X(FLAG_BYTES, 0) \
    X(COUNTERS_OFFSET, 1) \
    X(DATA_OFFSET, 2) \
    X(TOUCHED_BLOCKS, 3) \
    X(PHASE_BYTES, 4) \
    X(PHASE2_OFFSET, 5) \
    X(TOTAL_BYTES, 6)
#define QR_LAYOUT_QUERY_COUNT 7
#define QR_LAYOUT_QUERY_EXPECTED "0 = flag_bytes, 1 = counters_offset, 2 = data_offset, 3 = touched_blocks, 4 = phase_bytes, 5 = phase2_offset, 6 = total_bytes"
// X(NAME, code, "description")
#define QR_LIST_PLACEMENTS(X) \
    X(AUTO, 0, "auto") \
    X(ONE_GPU, 1, "one GPU") \
    X(MULTI_GPU, 2, "one GPU per rank")
#define QR_PLACEMENT_COUNT 3
#define QR_PLACEMENT_EXPECTED "0 = auto, 1 = one GPU, 2 = one GPU per rank"
// X(NAME, code, "id")
#define QR_LIST_ARITHS(X) \
    X(NATIVE_FP16, 0, "native-fp16") \
    X(SATURATING_FP16, 1, "saturating-fp16") \
    X(BF16, 2, "bf16")
#define QR_ARITH_COUNT 3
#define QR_ARITH_EXPECTED "0 = native-fp16, 1 = saturating-fp16, 2 = bf16"
// X(NAME, code, "id")
#define QR_LIST_PRIMS(X) \
    X(RCP, 0, "rcp") \
    X(WIDEN, 1, "widen") \
    X(CAST_BF16_TO_FP16, 2, "cast-bf16-fp16") \
    X(CAST_FP16_TO_BF16, 3, "cast-fp16-bf16") \
    X(FROM_F32, 4, "from-f32") \
    X(MAX, 5, "max") \
    X(MIN, 6, "min") \
    X(ABS_GREATER, 7, "abs-greater") \
    X(ADD, 8, "add") \
    X(MUL, 9, "mul") \
    X(TO_FP8, 10, "to-fp8") \
    X(FROM_FP8, 11, "from-fp8")
#define QR_PRIM_COUNT 12
#define QR_PRIM_EXPECTED "0 = rcp, 1 = widen, 2 = cast-bf16-fp16, 3 = cast-fp16-bf16, 4 = from-f32, 5 = max, 6 = min, 7 = abs-greater, 8 = add, 9 = mul, 10 = to-fp8, 11 = from-fp8"

// ---- lookups by code: -1 or NULL for an unknown code
QR_SPEC_FN int qr_codec_stride(int code) {
    switch (code) {
        case 0: return 4096;
        case 1: return 2176;
        case 2: return 1664;
        case 3: return 1152;
        case 4: return 896;
        case 5: return 2176;
        default: return -1;
    }
}
QR_SPEC_FN int qr_world_size_valid(int w) { return w == 2 || w == 4 || w == 8; }
static inline const char* qr_codec_name(int code) {
    switch (code) {
        case 0: return "fp";
        case 1: return "int8";
        case 2: return "int6";
        case 3: return "int4";
        case 4: return "int3";
        case 5: return "fp8";
        default: return 0;
    }
}
static inline const char* qr_profile_name(int code) {
    switch (code) {
        case 0: return "cuda";
        case 1: return "cdna3";
        case 2: return "cdna4";
        default: return 0;
    }
}
static inline const char* qr_dtype_name(int code) {
    switch (code) {
        case 0: return "fp16";
        case 1: return "bf16";
        default: return 0;
    }
}
static inline const char* qr_state_name(int code) {
    switch (code) {
        case 0: return "created (init not called)";
        case 1: return "initialised (handles not opened)";
        case 2: return "ready";
        case 3: return "broken by an earlier timeout or device error (only destroy is allowed)";
        case 4: return "closed";
        default: return 0;
    }
}

// ---- buffer layout (spec LayoutFormulas); a phase is 0 or 1
QR_SPEC_FN int64_t qr_spec_min(int64_t a, int64_t b) { return a < b ? a : b; }
QR_SPEC_FN int64_t qr_spec_ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
QR_SPEC_FN int64_t qr_spec_align_up(int64_t a, int64_t b) { return (a + b - 1) / b * b; }
// bytes of one phase's flag array: [block][sender]
QR_SPEC_FN int64_t qr_layout_flag_bytes(int64_t world_size, int64_t max_blocks) { return world_size * max_blocks * ((int64_t)QR_FLAG_WORD_BYTES); }
// start of a phase's flags (phase 0 or 1)
QR_SPEC_FN int64_t qr_layout_flags_offset(int64_t world_size, int64_t max_blocks, int64_t phase) { return phase * qr_layout_flag_bytes(world_size, max_blocks); }
// the flag sender sets for block, from its phase's start
QR_SPEC_FN int64_t qr_layout_flag_in_phase(int64_t world_size, int64_t block, int64_t sender) { return (block * world_size + sender) * ((int64_t)QR_FLAG_WORD_BYTES); }
// the block counters (this rank's own), after both flag arrays
QR_SPEC_FN int64_t qr_layout_counters_offset(int64_t world_size, int64_t max_blocks) { return 2 * qr_layout_flag_bytes(world_size, max_blocks); }
// start of the phase-1 data region
QR_SPEC_FN int64_t qr_layout_data_offset(int64_t world_size, int64_t max_blocks) { return qr_spec_align_up(qr_layout_counters_offset(world_size, max_blocks) + max_blocks * ((int64_t)QR_FLAG_WORD_BYTES), ((int64_t)QR_DATA_ALIGNMENT)); }
// tiles covering n elements
QR_SPEC_FN int64_t qr_layout_num_tiles(int64_t n) { return qr_spec_ceil_div(n, ((int64_t)QR_TILE_ELEMENTS)); }
// blocks a call of n elements launches
QR_SPEC_FN int64_t qr_layout_grid(int64_t n, int64_t max_blocks) { return qr_spec_min(qr_layout_num_tiles(n), max_blocks); }
// blocks that can ever run, so slots that can be touched
QR_SPEC_FN int64_t qr_layout_touched_blocks(int64_t max_blocks, int64_t max_problem_bytes) { return qr_layout_grid(max_problem_bytes / ((int64_t)QR_ELEMENT_BYTES), max_blocks); }
// bytes of one phase's data region, sized for the largest codec
QR_SPEC_FN int64_t qr_layout_phase_bytes(int64_t max_blocks, int64_t max_problem_bytes) { return qr_layout_touched_blocks(max_blocks, max_problem_bytes) * ((int64_t)QR_ATOMS) * ((int64_t)QR_MAX_STRIDE); }
// start of a phase's data region (phase 0 or 1)
QR_SPEC_FN int64_t qr_layout_phase_offset(int64_t world_size, int64_t max_blocks, int64_t max_problem_bytes, int64_t phase) { return qr_layout_data_offset(world_size, max_blocks) + phase * qr_layout_phase_bytes(max_blocks, max_problem_bytes); }
// bytes of the buffer
QR_SPEC_FN int64_t qr_layout_total_bytes(int64_t world_size, int64_t max_blocks, int64_t max_problem_bytes) { return qr_layout_data_offset(world_size, max_blocks) + 2 * qr_layout_phase_bytes(max_blocks, max_problem_bytes); }
// the sub-slot sender fills for block, from its phase's start (stride: the codec's atom block)
QR_SPEC_FN int64_t qr_layout_slot_in_phase(int64_t world_size, int64_t stride, int64_t block, int64_t sender) { return block * ((int64_t)QR_ATOMS) * stride + sender * (((int64_t)QR_ATOMS) / world_size) * stride; }

#ifdef __cplusplus
}  // namespace qr_spec
#endif
