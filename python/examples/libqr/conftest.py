"""Worked example of the qrref pytest plugin: the project's own kernels (libqr.so, through qrref.native) as the
all-reduce under test, all W ranks co-resident on one GPU.

    pytest python/examples/libqr --qr-vectors DIR [--qr-native-lib PATH] [--qr-codec int4 ...]

Without a GPU (or without libqr.so) every case is skipped with the reason.
"""

import pytest


@pytest.fixture(scope="session")
def qr_device():
    # the plugin's qr_inputs fixture then hands over torch.float16 / torch.bfloat16 tensors on the GPU
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch sees no CUDA device")
    return "cuda:0"


@pytest.fixture(scope="session")
def qr_allreduce(qr_native):
    # qr_native: the plugin's fixture for libqr.so (--qr-native-lib); it skips when there is no library or no GPU
    groups = {}

    def run(case, inputs):
        # one group per (W, profile, grid cap), reused by every case that needs it
        key = (case.world_size, case.profile, case.max_blocks)
        if key not in groups:
            groups[key] = qr_native.group(case.world_size, device=0, profile=case.profile, max_blocks=case.max_blocks)
        return groups[key].allreduce(inputs, case.codec, cast_bf16_to_fp16=case.cast)

    yield run
    for g in groups.values():
        g.close()
