// kernels_int4.cu: every instantiation of the CodecInt4 codec listed in kernel_list.h.
#include "kernel_instances.cuh"

QR_DEFINE_CODEC_TABLE(INT4, CodecInt4)
