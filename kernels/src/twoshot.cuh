// twoshot.cuh: the two-shot all-reduce kernel (rules GEO-*, RED-*, FLAG-*), phase by phase as the CPU model runs it.
//
// Per grid-stride iteration j of block B (tile = B + j * grid, colour = counter[B] + j), on rank `me`:
//   load          8 atom vectors of the tile; zero beyond N; bf16 -> fp16 first on the cast path
//   phase 1A      scatter: encode segment r (atoms r*RA .. r*RA+RA-1) into rank r's phase-1 slot [B][me], r = 0..W-1
//                 (the own segment too)
//   release 1     every thread's stores, then threads 0..W-1 release the colour into rank r's phase-1 flag [B][me]
//   phase 1B      reduce: wait for the phase-1 flags [B][s] of every sender s (in parallel); acc = +0; for s = 0..W-1
//                 in order: acc = acc + decode(slot [B][s])
//   phase 2A      gather: encode acc once with fresh scales, store it into every rank r's phase-2 slot [B][me]
//   release 2     as release 1, phase-2 flags
//   phase 2B      wait for every phase-2 flag [B][s]; atoms s*RA.. = decode(slot [B][s])
//   store         8 atom vectors; dropped beyond N; fp16 -> bf16 first on the cast path
// At the end thread 0 writes counter[B] + iterations back (FLAG-1).
#pragma once

#include "codecs.cuh"
#include "flags.cuh"

namespace qr {

constexpr int kMaxWorld = 8;

// Where a block keeps its input tile.
//   register tile  loaded at the top of each iteration with streaming (evict-first) loads, 8 atoms x 4 registers; the
//                  fastest on the H100 (kernels/PERF_NOTES.md), used by the native fp16 policy (cuda, and the cast).
//   shared tile    prefetched into shared memory one iteration ahead (cp.async) and read back one atom at a time;
//                  phase 2B writes each decoded atom straight to the output. Needs 32 KB of shared memory but not the
//                  32 tile registers, so the policies that compute in binary32 (the cdna3 emulation, native bf16)
//                  use it and run without register spills.
// QR_SMEM_TILE=1 gives every policy the shared tile (measured slower for native fp16: PERF_NOTES.md, v2).
#ifndef QR_SMEM_TILE
#define QR_SMEM_TILE 0
#endif

template <class Arith>
constexpr bool kSharedTile = QR_SMEM_TILE != 0 || Arith::kId != ArithId::NATIVE_FP16;

// Blocks per SM the register budget is sized for (NVIDIA __launch_bounds__). Register tile: 4 (64 registers), upstream's
// choice and the best measured. Shared tile (32 KB a block, at most 6 per SM): 6 (40 registers), but 4 at W = 2, which
// keeps four atoms of partial sums live through phase 1, and for the cdna3 emulation 4, or 3 at W = 8. A group sizes
// its grid from the kernels it will run (kernel_table.cu).
template <int W, class Arith>
struct Occupancy {
    static constexpr int kMinBlocksPerSm = !kSharedTile<Arith>                     ? 4
                                           : Arith::kId == ArithId::SATURATING_FP16 ? (W == 8 ? 3 : 4)
                                           : W == 2                                 ? 4
                                                                                    : 6;
};

// Everything one rank's launch needs. Offsets are those of layout.h and are the same in every rank's buffer.
struct TwoshotArgs {
    const uint8_t* input;
    uint8_t* output;
    uint32_t range_bytes;  // 2N: loads at or beyond read zero, stores are dropped
    uint32_t num_tiles;
    uint32_t rank;
    uint32_t gpu_scope;    // 1: every peer runs on this GPU, so flags need only GPU-scope release/acquire
    uint8_t* buffers[kMaxWorld];  // every rank's communication buffer, as this process reaches it
    uint64_t flags_offset[2];
    uint64_t data_offset[2];
    uint64_t counters_offset;
    uint64_t timeout_ticks;
    DeviceStatus* status;
    uint32_t host_colour;  // the colour a host-side scheme would bake into a captured launch (read by one mutant only)
    CodecCtx ctx;          // the profile's fp8 conversion (FP8 codec only)
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

    // Sub-slot that `sender` fills for block B in a receiver's buffer (BUF-2): the spec's layout formula.
    QR_DEVICE static uint8_t* slot(uint8_t* buffer, const TwoshotArgs& a, int phase, int sender) {
        return buffer + mutation::data_region(a.data_offset, phase, kStride) +
               qr_spec::qr_layout_slot_in_phase(W, kStride, blockIdx.x, sender);
    }
    QR_DEVICE static uint32_t* flag(uint8_t* buffer, const TwoshotArgs& a, int phase, int sender) {
        return reinterpret_cast<uint32_t*>(buffer + mutation::flag_region(a.flags_offset, phase, W) +
                                           qr_spec::qr_layout_flag_in_phase(W, blockIdx.x, sender));
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
                Codec::encode(x[r * kRankAtoms + k], dst + k * kStride, t, a.ctx);
            }
        }
    }

    // All data stores of the block happen-before the flag stores (FLAG-3).
    QR_DEVICE static void release(const TwoshotArgs& a, int t, int phase, uint32_t colour) {
        __syncthreads();
        if (t < W) {
            uint32_t* f = flag(a.buffers[t], a, phase, (int)a.rank);
            if (a.gpu_scope) {
                qr_flag_release_gpu(f, colour);
            } else {
                qr_flag_release_sys(f, colour);
            }
        }
    }

    // Block-wide wait for every sender of a phase: thread s < W waits for sender s, all W flags at once, and one
    // barrier gathers the verdicts (one flag round trip per phase instead of W in sequence). Every thread sees the same
    // verdict and all of them leave together.
    QR_DEVICE static bool wait_all(const TwoshotArgs& a, int t, int phase, uint32_t colour) {
        bool ok = true;
        if (t < W) {
            ok = wait_flag(flag(a.buffers[a.rank], a, phase, t), colour, a.status, a.timeout_ticks, (uint32_t)phase + 1,
                           (uint32_t)t, a.rank, a.gpu_scope != 0);
        }
        return qr_syncthreads_and(ok);
    }

    // Phase 1B: acc = (((+0 + D(E(x_0))) + D(E(x_1))) + ...) in sender order (RED-1, RED-2).
    QR_DEVICE static bool reduce(const TwoshotArgs& a, int t, uint32_t colour, const U32x4 x[], U32x4 acc[]) {
#pragma unroll
        for (int k = 0; k < kRankAtoms; k++) {
            acc[k] = zero_vec();
        }
        if (!wait_all(a, t, 0, colour)) {
            return false;
        }
#pragma unroll
        for (int i = 0; i < W; i++) {
            const int s = mutation::sender(i, W);
            const uint8_t* src = slot(a.buffers[a.rank], a, 0, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                const U32x4 d = mutation::kOwnContributionRaw && s == (int)a.rank ? x[s * kRankAtoms + k]
                                                                                    : Codec::decode(src + k * kStride, t, a.ctx);
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    acc[k].w[j] = Arith::add(acc[k].w[j], d.w[j]);
                }
            }
        }
        (void)x;
        return true;
    }

    // Phase 2A: the sum, re-encoded once with fresh scales, to every rank, itself included (RED-4).
    QR_DEVICE static void gather(const TwoshotArgs& a, int t, const U32x4 acc[]) {
#pragma unroll
        for (int k = 0; k < kRankAtoms; k++) {
            const typename Codec::Packed p = Codec::pack(acc[k], a.ctx);
#pragma unroll
            for (int r = 0; r < W; r++) {
                Codec::store(p, slot(a.buffers[r], a, 1, (int)a.rank) + k * kStride, t);
            }
        }
    }

    // Phase 2B: every owner's segment, decoded into its atoms.
    QR_DEVICE static bool collect(const TwoshotArgs& a, int t, uint32_t colour, U32x4 x[]) {
        if (!wait_all(a, t, 1, colour)) {
            return false;
        }
#pragma unroll
        for (int s = 0; s < W; s++) {
            const uint8_t* src = slot(a.buffers[a.rank], a, 1, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                x[s * kRankAtoms + k] = Codec::decode(src + k * kStride, t, a.ctx);
            }
        }
        return true;
    }

    // Atom i of the current tile from the shared-memory copy, on the cast path converted to fp16.
    QR_DEVICE static U32x4 input_atom(const U32x4 (*tile)[qr_spec::QR_THREADS], int i, int t) {
        const U32x4 v = tile[i][t];
        if constexpr (kCast) {
            return cast_bf16_to_fp16<Arith>(v);
        } else {
            return v;
        }
    }

    QR_DEVICE static void prefetch(const TwoshotArgs& a, uint32_t tile, int t, U32x4 (*buf)[qr_spec::QR_THREADS]) {
        const uint32_t tile_offset = tile * qr_spec::QR_TILE_BYTES;
#pragma unroll
        for (int i = 0; i < (int)qr_spec::QR_ATOMS; i++) {
            qr_async_load16(&buf[i][t], a.input, tile_offset + i * qr_spec::QR_ATOM_BYTES + t * qr_spec::QR_VECTOR_BYTES,
                            a.range_bytes);
        }
        qr_async_commit();
    }

    // Phase 1B with the tile in shared memory (the own segment is read back only by one mutant).
    QR_DEVICE static bool reduce_smem(const TwoshotArgs& a, int t, uint32_t colour, const U32x4 (*tile)[qr_spec::QR_THREADS],
                                      U32x4 acc[]) {
#pragma unroll
        for (int k = 0; k < kRankAtoms; k++) {
            acc[k] = zero_vec();
        }
        if (!wait_all(a, t, 0, colour)) {
            return false;
        }
#pragma unroll
        for (int i = 0; i < W; i++) {
            const int s = mutation::sender(i, W);
            const uint8_t* src = slot(a.buffers[a.rank], a, 0, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                const U32x4 d = mutation::kOwnContributionRaw && s == (int)a.rank ? input_atom(tile, s * kRankAtoms + k, t)
                                                                                    : Codec::decode(src + k * kStride, t, a.ctx);
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    acc[k].w[j] = Arith::add(acc[k].w[j], d.w[j]);
                }
            }
        }
        (void)tile;
        return true;
    }

    // Phase 2B straight to the output: each decoded atom is stored as soon as it is decoded.
    QR_DEVICE static bool collect_store(const TwoshotArgs& a, int t, uint32_t colour, uint32_t tile_offset) {
        if (!wait_all(a, t, 1, colour)) {
            return false;
        }
#pragma unroll
        for (int s = 0; s < W; s++) {
            const uint8_t* src = slot(a.buffers[a.rank], a, 1, s);
#pragma unroll
            for (int k = 0; k < kRankAtoms; k++) {
                const U32x4 v = Codec::decode(src + k * kStride, t, a.ctx);
                const int i = s * kRankAtoms + k;
                qr_store_ranged16(a.output, tile_offset + i * qr_spec::QR_ATOM_BYTES + t * qr_spec::QR_VECTOR_BYTES,
                                  a.range_bytes, kCast ? cast_fp16_to_bf16(v) : v);
            }
        }
        return true;
    }

    QR_DEVICE static void run(const TwoshotArgs& a) {
        if constexpr (kSharedTile<Arith>) {
            run_shared_tile(a);
        } else {
            run_register_tile(a);
        }
    }

    QR_DEVICE static void run_register_tile(const TwoshotArgs& a) {
        __shared__ uint32_t counter_base;
        const int t = (int)(threadIdx.x + qr_spec::QR_WAVEFRONT * threadIdx.y);
        uint32_t* counter = reinterpret_cast<uint32_t*>(a.buffers[a.rank] + a.counters_offset) + blockIdx.x;
        if (t == 0) {
            counter_base = *counter;
        }
        __syncthreads();
        const uint32_t base = counter_base;

        uint32_t iterations = 0;
        for (uint32_t tile = blockIdx.x; tile < a.num_tiles; tile += gridDim.x, iterations++) {
            const uint32_t colour = mutation::colour(base, a.host_colour, iterations);
            const uint32_t tile_offset = tile * qr_spec::QR_TILE_BYTES;
            U32x4 x[qr_spec::QR_ATOMS];
            U32x4 acc[kRankAtoms];
            load_tile(a, tile_offset, t, x);
            scatter(a, t, x);
            release(a, t, 0, colour);
            if (!reduce(a, t, colour, x, acc)) {
                return;
            }
            gather(a, t, acc);
            release(a, t, 1, colour);
            if (!collect(a, t, colour, x)) {
                return;
            }
            store_tile(a, tile_offset, t, x);
        }
        if (t == 0) {
            *counter = base + iterations;
        }
    }

    QR_DEVICE static void run_shared_tile(const TwoshotArgs& a) {
        __shared__ uint32_t counter_base;
        __shared__ U32x4 tile_buf[qr_spec::QR_ATOMS][qr_spec::QR_THREADS];
        const int t = (int)(threadIdx.x + qr_spec::QR_WAVEFRONT * threadIdx.y);
        uint32_t* counter = reinterpret_cast<uint32_t*>(a.buffers[a.rank] + a.counters_offset) + blockIdx.x;
        if (t == 0) {
            counter_base = *counter;
        }
        if (blockIdx.x < a.num_tiles) {
            prefetch(a, blockIdx.x, t, tile_buf);
        }
        __syncthreads();
        const uint32_t base = counter_base;

        uint32_t iterations = 0;
        for (uint32_t tile = blockIdx.x; tile < a.num_tiles; tile += gridDim.x, iterations++) {
            const uint32_t colour = mutation::colour(base, a.host_colour, iterations);
            const uint32_t tile_offset = tile * qr_spec::QR_TILE_BYTES;
            U32x4 acc[kRankAtoms];
            qr_async_wait_all();
#pragma unroll
            for (int r = 0; r < W; r++) {
                uint8_t* dst = slot(a.buffers[r], a, 0, (int)a.rank);
#pragma unroll
                for (int k = 0; k < kRankAtoms; k++) {
                    Codec::encode(input_atom(tile_buf, r * kRankAtoms + k, t), dst + k * kStride, t, a.ctx);
                }
            }
            const uint32_t next = tile + gridDim.x;
            const bool prefetch_now = !mutation::kOwnContributionRaw;  // that mutant reads its own segment back in 1B
            // Every thread has read its own vectors of this tile (the slot stores above depend on them): the buffer can
            // take the next tile.
            if (prefetch_now && next < a.num_tiles) {
                prefetch(a, next, t, tile_buf);
            }
            release(a, t, 0, colour);
            if (!reduce_smem(a, t, colour, tile_buf, acc)) {
                return;
            }
            if (!prefetch_now && next < a.num_tiles) {
                prefetch(a, next, t, tile_buf);
            }
            gather(a, t, acc);
            release(a, t, 1, colour);
            if (!collect_store(a, t, colour, tile_offset)) {
                return;
            }
        }
        if (t == 0) {
            *counter = base + iterations;
        }
    }
};

template <template <class> class CodecT, class Arith, int W, PathId P>
__global__ QR_LAUNCH_BOUNDS_MIN((Occupancy<W, Arith>::kMinBlocksPerSm)) void twoshot_kernel(TwoshotArgs a) {
    qr_enter_native_mode();
    Twoshot<CodecT, Arith, W, P>::run(a);
}

}  // namespace qr
