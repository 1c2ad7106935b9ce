// capture.cu: runs the kernels' own numerics policies (numerics.cuh, group_tree.cuh's comparison) over input tables, so
// the Java side can compare what the hardware does under each policy with every profile of the CPU model
// (qr capture-primitives). The device functions are the ones the all-reduce calls, packed two cases per 32-bit word
// exactly as there; nothing here re-implements an operation.
#include "capture.h"

#include <vector>

#include "numerics.cuh"

namespace qr {

namespace {

// Cases are processed in units of 8 per thread (one U32x4 of 16-bit values: the casts work on whole vectors).
constexpr int64_t kUnit = 8;

QR_DEVICE uint32_t lo_of_pairs(uint32_t p0, uint32_t p1) { return (p0 >> 16) | (p1 & 0xFFFF0000u); }
QR_DEVICE uint32_t hi_of_pairs(uint32_t p0, uint32_t p1) { return (p0 & 0xFFFFu) | (p1 << 16); }

template <class Arith>
QR_DEVICE uint32_t binary(int op, uint32_t a, uint32_t b) {
    switch (op) {
        case QR_PRIM_MAX: return Arith::max(a, b);
        case QR_PRIM_MIN: return Arith::min(a, b);
        case QR_PRIM_ADD: return Arith::add(a, b);
        case QR_PRIM_MUL: return Arith::mul(a, b);
        default: {  // QR_PRIM_ABS_GREATER: the mask as 0/1 per half
            const uint32_t m = Arith::abs_greater(a, b);
            return (m & 1u) | ((m >> 16) & 1u) << 16;
        }
    }
}

// One unit per thread. in/out hold the op's input and output elements (layouts in capture.h).
template <class Arith>
__global__ void capture_kernel(int op, CodecCtx ctx, const uint32_t* in, uint32_t* out, int64_t units) {
    // The mode the all-reduce kernels run in (FP16_OVFL on gfx94x): every kernel starts without it.
    qr_enter_native_mode();
    for (int64_t u = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; u < units; u += (int64_t)gridDim.x * blockDim.x) {
        switch (op) {
            case QR_PRIM_RCP:
            case QR_PRIM_CAST_BF16_TO_FP16:
            case QR_PRIM_CAST_FP16_TO_BF16: {
                U32x4 v;
                for (int j = 0; j < 4; j++) v.w[j] = in[u * 4 + j];
                U32x4 r;
                if (op == QR_PRIM_RCP) {
                    for (int j = 0; j < 4; j++) r.w[j] = Arith::rcp(v.w[j]);
                } else if (op == QR_PRIM_CAST_BF16_TO_FP16) {
                    if constexpr (Arith::kFormat == Format::FP16) {
                        r = cast_bf16_to_fp16<Arith>(v);
                    } else {
                        r = v;  // rejected on the host
                    }
                } else {
                    r = cast_fp16_to_bf16(v);
                }
                for (int j = 0; j < 4; j++) out[u * 4 + j] = r.w[j];
                break;
            }
            case QR_PRIM_TO_FP8:
                // the FP8 codec's conversion of each 16-bit value: two codes per pair, each in its half's low byte
                for (int j = 0; j < 4; j++) {
                    const uint32_t w = in[u * 4 + j];
                    const uint32_t c = fp8_encode_pair(Arith::to_f32(lo16(w)), Arith::to_f32(hi16(w)), ctx);
                    out[u * 4 + j] = (c & 0xFFu) | ((c >> 8) & 0xFFu) << 16;
                }
                break;
            case QR_PRIM_FROM_FP8:
                // the FP8 codec's decode of each code (low byte of each half) to the policy's format
                for (int j = 0; j < 4; j++) {
                    const uint32_t w = in[u * 4 + j];
                    float lo, hi;
                    fp8_decode_pair((w & 0xFFu) | ((w >> 16) & 0xFFu) << 8, ctx, lo, hi);
                    out[u * 4 + j] = Arith::from_f32x2(lo, hi);
                }
                break;
            case QR_PRIM_WIDEN:
                for (int j = 0; j < 4; j++) {
                    const uint32_t w = in[u * 4 + j];
                    out[u * 8 + 2 * j] = __float_as_uint(Arith::to_f32(lo16(w)));
                    out[u * 8 + 2 * j + 1] = __float_as_uint(Arith::to_f32(hi16(w)));
                }
                break;
            case QR_PRIM_FROM_F32:
                for (int j = 0; j < 4; j++) {
                    out[u * 4 + j] = Arith::from_f32x2(__uint_as_float(in[u * 8 + 2 * j]), __uint_as_float(in[u * 8 + 2 * j + 1]));
                }
                break;
            default:  // binary: pairs a << 16 | b
                for (int j = 0; j < 4; j++) {
                    const uint32_t p0 = in[u * 8 + 2 * j];
                    const uint32_t p1 = in[u * 8 + 2 * j + 1];
                    out[u * 4 + j] = binary<Arith>(op, lo_of_pairs(p0, p1), hi_of_pairs(p0, p1));
                }
                break;
        }
    }
}

// 32-bit words per unit of 8 cases, input and output.
void words_per_unit(int op, int* in_words, int* out_words) {
    switch (op) {
        case QR_PRIM_RCP:
        case QR_PRIM_CAST_BF16_TO_FP16:
        case QR_PRIM_CAST_FP16_TO_BF16:
        case QR_PRIM_TO_FP8:
        case QR_PRIM_FROM_FP8: *in_words = 4; *out_words = 4; return;
        case QR_PRIM_WIDEN: *in_words = 4; *out_words = 8; return;
        default: *in_words = 8; *out_words = 4; return;  // FROM_F32 and the binary ops
    }
}

}  // namespace

int capture_primitive(int device, int arith, int op, int fp8_format, int fp8_saturate, const void* input, int64_t n,
                      void* output) {
    if (arith < 0 || arith >= QR_ARITH_COUNT) {
        return fail(INVALID_ARGUMENT, strprintf("arithmetic %d is unknown (expected one of %s)", arith, QR_ARITH_EXPECTED));
    }
    if (op < 0 || op >= QR_PRIM_COUNT) {
        return fail(INVALID_ARGUMENT, strprintf("primitive %d is unknown (expected one of %s)", op, QR_PRIM_EXPECTED));
    }
    if (fp8_format < 0 || fp8_format >= QR_FP8_FORMAT_COUNT || (fp8_saturate != 0 && fp8_saturate != 1)) {
        return fail(INVALID_ARGUMENT, strprintf("fp8 format %d (expected one of %s) or saturation %d (0 or 1) is invalid",
                                                fp8_format, QR_FP8_FORMAT_EXPECTED, fp8_saturate));
    }
    CodecCtx ctx;
    ctx.fp8_format = (uint32_t)fp8_format;
    ctx.fp8_saturate = (uint32_t)fp8_saturate;
    if (arith == (int)ArithId::BF16 && (op == QR_PRIM_CAST_BF16_TO_FP16 || op == QR_PRIM_CAST_FP16_TO_BF16)) {
        return fail(INVALID_ARGUMENT, "the casts between bf16 and fp16 belong to the fp16 policies (the cast data path)");
    }
    if (input == nullptr || output == nullptr || n <= 0) {
        return fail(INVALID_ARGUMENT, "needs input, output and n > 0");
    }
    int in_words = 0, out_words = 0;
    words_per_unit(op, &in_words, &out_words);
    const int64_t units = (n + kUnit - 1) / kUnit;
    // Element sizes in bytes on the host side: 16-bit except the binary32 side of WIDEN / FROM_F32 and the pairs.
    const int64_t in_elem = in_words * 4 / kUnit;
    const int64_t out_elem = out_words * 4 / kUnit;
    std::vector<uint32_t> host_in((size_t)(units * in_words), 0u);
    memcpy(host_in.data(), input, (size_t)(n * in_elem));
    std::vector<uint32_t> host_out((size_t)(units * out_words), 0u);
    QR_RT(qrSetDevice(device));
    uint32_t* d_in = nullptr;
    uint32_t* d_out = nullptr;
    int rc = [&]() -> int {
        QR_RT(qrMalloc((void**)&d_in, host_in.size() * 4));
        QR_RT(qrMalloc((void**)&d_out, host_out.size() * 4));
        QR_RT(qrMemcpy(d_in, host_in.data(), host_in.size() * 4, qrMemcpyHostToDevice));
        const int threads = 256;
        const int blocks = (int)((units + threads - 1) / threads < 4096 ? (units + threads - 1) / threads : 4096);
        switch ((ArithId)arith) {
            case ArithId::NATIVE_FP16: capture_kernel<ArithNativeFp16><<<blocks, threads>>>(op, ctx, d_in, d_out, units); break;
            case ArithId::SATURATING_FP16: capture_kernel<ArithSaturatingFp16><<<blocks, threads>>>(op, ctx, d_in, d_out, units); break;
            case ArithId::BF16: capture_kernel<ArithBf16><<<blocks, threads>>>(op, ctx, d_in, d_out, units); break;
        }
        QR_RT(qrGetLastError());
        QR_RT(qrDeviceSynchronize());
        QR_RT(qrMemcpy(host_out.data(), d_out, host_out.size() * 4, qrMemcpyDeviceToHost));
        return OK;
    }();
    if (d_in) QR_BEST_EFFORT(qrFree(d_in));
    if (d_out) QR_BEST_EFFORT(qrFree(d_out));
    if (rc == OK) {
        memcpy(output, host_out.data(), (size_t)(n * out_elem));
    }
    return rc;
}

}  // namespace qr
