// kernels_int6.cu: every instantiation of the CodecInt6 codec listed in kernel_list.h.
#include "kernel_instances.cuh"

QR_DEFINE_CODEC_TABLE(INT6, CodecInt6)
