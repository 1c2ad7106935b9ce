#!/usr/bin/env python3
"""Regenerates the golden .npy files used by dev.qrref.cpu.io tests (run from this directory).

The tests never call Python: the files below are committed. Bit patterns are spelled out so that the Java side can
assert them without trusting any float parsing.
"""
import numpy as np

FP16_BITS = [0x0000, 0x8000, 0x3C00, 0xC100, 0x7BFF, 0xFBFF, 0x0001, 0x7C00, 0xFC00, 0x7E00]
BF16_BITS = [0x0000, 0x8000, 0x3F80, 0xBF80, 0x7F7F, 0x0001, 0x7F80, 0xFF80, 0x7FC0, 0x4780]

fp16 = np.array(FP16_BITS, dtype=np.uint16).view(np.float16)
bf16 = np.array(BF16_BITS, dtype=np.uint16)

np.save("fp16_v1.npy", fp16)
with open("fp16_v2.npy", "wb") as f:
    np.lib.format.write_array(f, fp16, version=(2, 0))
with open("fp16_v3.npy", "wb") as f:
    np.lib.format.write_array(f, fp16, version=(3, 0))
np.save("bf16_bits_v1.npy", bf16)
np.save("empty_fp16.npy", np.zeros(0, dtype=np.float16))

# rejected files
np.save("reject_2d.npy", np.zeros((2, 4), dtype=np.float16))
np.save("reject_0d.npy", np.float16(1.0))
np.save("reject_fortran.npy", np.asfortranarray(np.zeros((2, 3), dtype=np.float16)))
np.save("reject_f4.npy", np.zeros(4, dtype=np.float32))
np.save("reject_big_endian.npy", np.zeros(4, dtype=">f2"))
np.save("reject_i2.npy", np.zeros(4, dtype=np.int16))
np.save("reject_u1.npy", np.zeros(4, dtype=np.uint8))
np.save("reject_structured.npy", np.zeros(4, dtype=[("a", "<f2")]))
