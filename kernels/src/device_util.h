// device_util.h: device-side helpers behind the memory and benchmark functions of the C ABI.
#pragma once

#include <stdint.h>

#include "runtime.h"

namespace qr {

int device_fill_random(int device, void* ptr, int64_t n, int dtype, uint64_t seed);
int device_count_mismatches(int device, const void* a, const void* b, int64_t n, int64_t* out);
int device_copy_bandwidth(int device, int64_t bytes, int iters, double* gbps);
int device_rates(int device, int64_t bytes, int iters, double* memcpy_gbps, double* copy_gbps, double* read_gbps);
int device_l2_bytes(int device, int64_t* out);

}  // namespace qr
