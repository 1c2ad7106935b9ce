// layout.h: one rank's communication buffer (rules BUF-1, BUF-2), the same arithmetic as the spec's BufferLayout.
//
//   offset 0                   phase-1 flags   W x maxBlocks x uint32   [block][sender]
//   flagBytes                  phase-2 flags   W x maxBlocks x uint32   [block][sender]
//   2 flagBytes                block counters  maxBlocks x uint32       (this rank's own)
//   dataOffset (256-aligned)   phase-1 data    touchedBlocks x 8 x 4096 [block][sender][atom]
//   dataOffset + phaseBytes    phase-2 data    same size
#pragma once

#include <stdint.h>

#include "qr_spec.h"

namespace qr {

struct Layout {
    int world_size = 0;
    int max_blocks = 0;
    int64_t max_problem_bytes = 0;

    int64_t flag_bytes() const { return (int64_t)world_size * max_blocks * 4; }
    int64_t flags_offset(int phase) const { return phase == 0 ? 0 : flag_bytes(); }
    int64_t counters_offset() const { return 2 * flag_bytes(); }
    int64_t data_offset() const {
        const int64_t end = counters_offset() + (int64_t)max_blocks * 4;
        const int64_t a = qr_spec::QR_DATA_ALIGNMENT;
        return (end + a - 1) / a * a;
    }
    int64_t max_elements() const { return max_problem_bytes / 2; }
    static int64_t num_tiles(int64_t n) { return (n + qr_spec::QR_TILE_ELEMENTS - 1) / qr_spec::QR_TILE_ELEMENTS; }
    int touched_blocks() const {
        const int64_t tiles = num_tiles(max_elements());
        return (int)(tiles < max_blocks ? tiles : max_blocks);
    }
    // Sized for the largest codec slot (the FP codec's 4096-byte atom blocks).
    int64_t phase_bytes() const { return (int64_t)touched_blocks() * qr_spec::QR_ATOMS * qr_spec::QR_FP_STRIDE; }
    int64_t phase_offset(int phase) const { return data_offset() + (phase == 0 ? 0 : phase_bytes()); }
    int64_t total_bytes() const { return data_offset() + 2 * phase_bytes(); }
    int grid(int64_t n) const {
        const int64_t tiles = num_tiles(n);
        return (int)(tiles < max_blocks ? tiles : max_blocks);
    }
};

// Argument checks shared by every entry point (rule API-1). They return a message or nullptr.
inline bool valid_world_size(int w) { return w == 2 || w == 4 || w == 8; }
inline bool valid_max_problem_bytes(int64_t b) {
    return b >= (int64_t)qr_spec::QR_SIZE_MULTIPLE_BYTES && b <= (int64_t)qr_spec::QR_DEFAULT_MAX_PROBLEM_BYTES &&
           b % (int64_t)qr_spec::QR_SIZE_MULTIPLE_BYTES == 0;
}

}  // namespace qr
