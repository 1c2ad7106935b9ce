// twoshot.cuh: the two-shot all-reduce kernel (rules GEO-*, RED-*, FLAG-*), phase by phase as the CPU model runs it.
//
// Per grid-stride iteration j of block B (tile = B + j * grid, colour = counter[B] + j), on rank `me`:
//   load          8 atom vectors of the tile; zero beyond N; bf16 -> fp16 first on the cast path
//   phase 1A      scatter: encode segment r (atoms r*RA .. r*RA+RA-1) into rank r's phase-1 slot [B][me], r = 0..W-1
//                 (the own segment too)
//   release 1     every thread's stores, then threads 0..W-1 release the colour into rank r's phase-1 flag [B][me]
//   phase 1B      reduce: acc = +0; for s = 0..W-1 in order: wait flag [B][s], acc = acc + decode(slot [B][s])
//   phase 2A      gather: encode acc with fresh scales into every rank r's phase-2 slot [B][me]
//   release 2     as release 1, phase-2 flags
//   phase 2B      for s = 0..W-1: wait phase-2 flag [B][s], atoms s*RA.. = decode(slot [B][s])
//   store         8 atom vectors; dropped beyond N; fp16 -> bf16 first on the cast path
// At the end thread 0 writes counter[B] + iterations back (FLAG-1).
#pragma once

#include "codec_fp.cuh"
#include "codec_int4.cuh"
#include "codec_int6.cuh"
#include "codec_int8.cuh"
#include "flags.cuh"

namespace qr {

constexpr int kMaxWorld = 8;

// Everything one rank's launch needs. Offsets are those of layout.h and are the same in every rank's buffer.
struct TwoshotArgs {
    const uint8_t* input;
    uint8_t* output;
    uint32_t range_bytes;  // 2N: loads at or beyond read zero, stores are dropped
    uint32_t num_tiles;
    uint32_t rank;
    uint32_t reserved;
    uint8_t* buffers[kMaxWorld];  // every rank's communication buffer, as this process reaches it
    uint64_t flags_offset[2];
    uint64_t data_offset[2];
    uint64_t counters_offset;
    uint64_t timeout_ticks;
    DeviceStatus* status;
};

template <template <class> class CodecT, class Arith, int W, PathId P>
struct Twoshot {
    using Codec = CodecT<Arith>;
    static constexpr int kRankAtoms = (int)qr_spec::QR_ATOMS / W;
    static constexpr bool kCast = P == PathId::BF16_CAST;
    static constexpr uint32_t kStride = Codec::kStride;
    static_assert(W == 2 || W == 4 || W == 8, "world sizes 2, 4, 8");
    static_assert(kRankAtoms * W == (int)qr_spec::QR_ATOMS, "every atom has one owner");
    static_assert(P != PathId::BF16 || Arith::kFormat == Format::BF16, "the native bf16 path computes in bf16");
    static_assert(P == PathId::BF16 || Arith::kFormat == Format::FP16, "fp16 and cast paths compute in fp16");

    // Sub-slot that `sender` fills for block B in a receiver's buffer (BUF-2).
    QR_DEVICE static uint8_t* slot(uint8_t* buffer, const TwoshotArgs& a, int phase, int sender) {
        return buffer + a.data_offset[phase] + (uint64_t)blockIdx.x * qr_spec::QR_ATOMS * kStride +
               (uint64_t)sender * kRankAtoms * kStride;
    }
    QR_DEVICE static uint32_t* flag(uint8_t* buffer, const TwoshotArgs& a, int phase, int sender) {
        return reinterpret_cast<uint32_t*>(buffer + a.flags_offset[phase]) + (uint64_t)blockIdx.x * W + sender;
    }

    QR_DEVICE static void load_tile(const TwoshotArgs& a, uint32_t tile_offset, int t, U32x4 x[]) {
#pragma unroll
        for (int i = 0; i < (int)qr_spec::QR_ATOMS; i++) {
            x[i] = qr_load_ranged16(a.input, tile_offset + i * qr_spec::QR_ATOM_BYTES + t * qr_spec::QR_VECTOR_BYTES,
                                    a.range_bytes);
            if constexpr (kCast) {
                x[i] = cast_bf16_to_fp16<Arith>(x[i]);
            }
        }
    }

    QR_DEVICE static void store_tile(const TwoshotArgs& a, uint32_t tile_offset, int t, const U32x4 x[]) {
#pragma unroll
        for (int i = 0; i < (int)qr_spec::QR_ATOMS; i++) {
            const U32x4 v = kCast ? cast_fp16_to_bf16(x[i]) : x[i];
            qr_store_ranged16(a.output, tile_offset + i * qr_spec::QR_ATOM_BYTES + t * qr_spec::QR_VECTOR_BYTES,
                              a.range_bytes, v);
        }
    }

    // Phase 1A: segment r goes to rank r (RED-3: the own segment travels through the own buffer too).
    QR_DEVICE static void scatter(const TwoshotArgs& a, int t, const U32x4 x[]) {
#pragma unroll
        for (int r = 0; r < W; r++) {
            uint8_t* dst = slot(a.buffers[r], a, 0, (int)a.rank);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                Codec::encode(x[r * kRankAtoms + k], dst + k * kStride, t);
            }
        }
    }

    // All data stores of the block happen-before the flag stores (FLAG-3).
    QR_DEVICE static void release(const TwoshotArgs& a, int t, int phase, uint32_t colour) {
        __syncthreads();
        if (t < W) {
            qr_flag_release_sys(flag(a.buffers[t], a, phase, (int)a.rank), colour);
        }
    }

    // Block-wide wait for sender s. Each wait has its own shared word, written once per iteration before the
    // barrier, so every thread reads the same verdict and all of them leave together.
    QR_DEVICE static bool wait(const TwoshotArgs& a, int t, int phase, int s, uint32_t colour, int* verdicts) {
        if (t == 0) {
            verdicts[phase * W + s] = wait_flag(flag(a.buffers[a.rank], a, phase, s), colour, a.status,
                                                a.timeout_ticks, (uint32_t)phase + 1, (uint32_t)s, a.rank);
        }
        __syncthreads();
        return verdicts[phase * W + s] != 0;
    }

    // Phase 1B: acc = (((+0 + D(E(x_0))) + D(E(x_1))) + ...) in sender order (RED-1, RED-2).
    QR_DEVICE static bool reduce(const TwoshotArgs& a, int t, uint32_t colour, int* verdicts, U32x4 acc[]) {
#pragma unroll
        for (int k = 0; k < kRankAtoms; k++) {
            acc[k] = zero_vec();
        }
#pragma unroll
        for (int s = 0; s < W; s++) {
            if (!wait(a, t, 0, s, colour, verdicts)) {
                return false;
            }
            const uint8_t* src = slot(a.buffers[a.rank], a, 0, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                const U32x4 d = Codec::decode(src + k * kStride, t);
#pragma unroll
                for (int i = 0; i < 4; i++) {
                    acc[k].w[i] = Arith::add(acc[k].w[i], d.w[i]);
                }
            }
        }
        return true;
    }

    // Phase 2A: the sum, re-encoded with fresh scales, to every rank, itself included (RED-4).
    QR_DEVICE static void gather(const TwoshotArgs& a, int t, const U32x4 acc[]) {
#pragma unroll
        for (int r = 0; r < W; r++) {
            uint8_t* dst = slot(a.buffers[r], a, 1, (int)a.rank);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                Codec::encode(acc[k], dst + k * kStride, t);
            }
        }
    }

    // Phase 2B: every owner's segment, decoded into its atoms.
    QR_DEVICE static bool collect(const TwoshotArgs& a, int t, uint32_t colour, int* verdicts, U32x4 x[]) {
#pragma unroll
        for (int s = 0; s < W; s++) {
            if (!wait(a, t, 1, s, colour, verdicts)) {
                return false;
            }
            const uint8_t* src = slot(a.buffers[a.rank], a, 1, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                x[s * kRankAtoms + k] = Codec::decode(src + k * kStride, t);
            }
        }
        return true;
    }

    QR_DEVICE static void run(const TwoshotArgs& a) {
        __shared__ uint32_t counter_base;
        __shared__ int verdicts[2 * W];
        const int t = (int)(threadIdx.x + qr_spec::QR_WAVEFRONT * threadIdx.y);
        uint32_t* counter = reinterpret_cast<uint32_t*>(a.buffers[a.rank] + a.counters_offset) + blockIdx.x;
        if (t == 0) {
            counter_base = *counter;
        }
        __syncthreads();
        const uint32_t base = counter_base;

        uint32_t iterations = 0;
        for (uint32_t tile = blockIdx.x; tile < a.num_tiles; tile += gridDim.x, iterations++) {
            const uint32_t colour = base + iterations;
            const uint32_t tile_offset = tile * qr_spec::QR_TILE_BYTES;
            U32x4 x[qr_spec::QR_ATOMS];
            U32x4 acc[kRankAtoms];
            load_tile(a, tile_offset, t, x);
            scatter(a, t, x);
            release(a, t, 0, colour);
            if (!reduce(a, t, colour, verdicts, acc)) {
                return;
            }
            gather(a, t, acc);
            release(a, t, 1, colour);
            if (!collect(a, t, colour, verdicts, x)) {
                return;
            }
            store_tile(a, tile_offset, t, x);
        }
        if (t == 0) {
            *counter = base + iterations;
        }
    }
};

template <template <class> class CodecT, class Arith, int W, PathId P>
__global__ QR_LAUNCH_BOUNDS void twoshot_kernel(TwoshotArgs a) {
    qr_enter_native_mode();
    Twoshot<CodecT, Arith, W, P>::run(a);
}

}  // namespace qr
