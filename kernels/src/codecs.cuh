// codecs.cuh: every kernel codec, one header each (the spec's QuantLevel rows name them: Codec<KernelName>).
#pragma once

#include "codec_fp.cuh"
#include "codec_fp8.cuh"
#include "codec_int3.cuh"
#include "codec_int4.cuh"
#include "codec_int6.cuh"
#include "codec_int8.cuh"
