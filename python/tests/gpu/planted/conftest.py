"""The worked example's all-reduce (libqr, W ranks on GPU 0) with one planted defect: when QRREF_PLANT is
``CASE:RANK:TILE:ATOM:THREAD:J``, the output of RANK of case CASE gets one bit flipped at the element of that launch
position (element = TILE*tile + ATOM*atom + THREAD*vector + J, from the manifest's geometry). The device run script
checks that the plugin's failure line names exactly that position."""

import os

import pytest


@pytest.fixture(scope="session")
def qr_device():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("PyTorch sees no CUDA device")
    return "cuda:0"


@pytest.fixture(scope="session")
def qr_allreduce(qr_native, qr_vector_set):
    plant = os.environ.get("QRREF_PLANT", "")
    groups = {}

    def run(case, inputs):
        key = (case.world_size, case.profile, case.max_blocks)
        if key not in groups:
            groups[key] = qr_native.group(case.world_size, device=0, profile=case.profile, max_blocks=case.max_blocks)
        outputs = groups[key].allreduce(inputs, case.codec, cast_bf16_to_fp16=case.cast)
        if plant:
            case_id, rank, tile, atom, thread, j = plant.split(":")
            if case_id == case.id:
                import torch
                g = qr_vector_set.geometry
                element = (int(tile) * g["tile_elements"] + int(atom) * g["atom_elements"]
                           + int(thread) * g["vector_elements"] + int(j))
                outputs[int(rank)].view(torch.int16)[element] ^= 0x0001
        return outputs

    yield run
    for g in groups.values():
        g.close()
