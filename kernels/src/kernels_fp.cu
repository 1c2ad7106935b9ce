// kernels_fp.cu: every instantiation of the CodecFp codec listed in kernel_list.h.
#include "kernel_instances.cuh"

QR_DEFINE_CODEC_TABLE(F16, CodecFp)
