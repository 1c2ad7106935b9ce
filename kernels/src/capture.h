// capture.h: the primitive capture behind qr_capture_primitive (capture.cu).
#pragma once

#include <stdint.h>

#include "qr_api.h"
#include "runtime.h"

namespace qr {

// Runs primitive `op` (QR_PRIM_*) of arithmetic policy `arith` (QR_ARITH_*) over n cases on `device`; host memory in
// and out, element layouts as qr_api.h describes them.
int capture_primitive(int device, int arith, int op, const void* input, int64_t n, void* output);

}  // namespace qr
