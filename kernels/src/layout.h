// layout.h: one rank's communication buffer (rules BUF-1, BUF-2). The arithmetic is the spec's (LayoutFormulas),
// generated into qr_spec.h as qr_layout_* functions; this struct only holds the three parameters.
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

    int64_t flag_bytes() const { return qr_spec::qr_layout_flag_bytes(world_size, max_blocks); }
    int64_t flags_offset(int phase) const { return qr_spec::qr_layout_flags_offset(world_size, max_blocks, phase); }
    int64_t counters_offset() const { return qr_spec::qr_layout_counters_offset(world_size, max_blocks); }
    int64_t data_offset() const { return qr_spec::qr_layout_data_offset(world_size, max_blocks); }
    int touched_blocks() const { return (int)qr_spec::qr_layout_touched_blocks(max_blocks, max_problem_bytes); }
    int64_t phase_bytes() const { return qr_spec::qr_layout_phase_bytes(max_blocks, max_problem_bytes); }
    int64_t phase_offset(int phase) const {
        return qr_spec::qr_layout_phase_offset(world_size, max_blocks, max_problem_bytes, phase);
    }
    int64_t total_bytes() const { return qr_spec::qr_layout_total_bytes(world_size, max_blocks, max_problem_bytes); }
    static int64_t num_tiles(int64_t n) { return qr_spec::qr_layout_num_tiles(n); }
    int grid(int64_t n) const { return (int)qr_spec::qr_layout_grid(n, max_blocks); }
    // Byte offset of `sender`'s sub-slot of `block` in a receiver's buffer, for a codec of atom-block size `stride`.
    int64_t slot_offset(int phase, int stride, int block, int sender) const {
        return phase_offset(phase) + qr_spec::qr_layout_slot_in_phase(world_size, stride, block, sender);
    }
};

// Argument checks shared by every entry point (rule API-1).
inline bool valid_world_size(int w) { return qr_spec::qr_world_size_valid(w) != 0; }
inline bool valid_max_problem_bytes(int64_t b) {
    return b >= (int64_t)qr_spec::QR_SIZE_MULTIPLE_BYTES && b <= (int64_t)qr_spec::QR_DEFAULT_MAX_PROBLEM_BYTES &&
           b % (int64_t)qr_spec::QR_SIZE_MULTIPLE_BYTES == 0;
}

}  // namespace qr
