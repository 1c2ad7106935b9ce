// capture.h: the primitive capture behind qr_capture_primitive (capture.cu).
#pragma once

#include <stdint.h>

#include "qr_api.h"
#include "runtime.h"

namespace qr {

// Runs primitive `op` (QR_PRIM_*) of arithmetic policy `arith` (QR_ARITH_*) over n cases on `device`; host memory in
// and out, element layouts as qr_api.h describes them.
// The fp8 primitives convert with the given fp8 format and out-of-range rule; the others ignore them.
int capture_primitive(int device, int arith, int op, int fp8_format, int fp8_saturate, const void* input, int64_t n,
                      void* output);

}  // namespace qr
