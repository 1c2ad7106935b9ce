// kernels_int8.cu: every instantiation of the CodecInt8 codec listed in kernel_list.h.
#include "kernel_instances.cuh"

QR_DEFINE_CODEC_TABLE(INT8, CodecInt8)
