"""The fixture a vLLM developer writes to check vLLM's QuickAllReduce bit for bit against the reference:

    pip install ./python                                  # qrref, from this repository
    ./qr vectors --out qr-vectors --profile cdna3         # on any machine with a JDK; copy the folder over
    pytest tests/distributed/test_quick_all_reduce_bits.py --qr-vectors qr-vectors --qr-codec fp,int8,int6,int4

(put this conftest.py, qr_vllm_ranks.py and the test file next to vLLM's tests). Profile cdna3 is MI300 (gfx942),
cdna4 is MI355 (gfx950). Each world size gets its W rank processes, one per GPU, for as long as its cases run.
"""

import pytest

from qr_vllm_ranks import RankPool


@pytest.fixture(scope="session")
def qr_rank_device():
    """The device of rank r: GPU r."""
    return lambda rank: "cuda:%d" % rank


@pytest.fixture(scope="session")
def qr_allreduce(qr_vector_set, qr_rank_device, tmp_path_factory):
    pools = {}

    def run(case, inputs):
        # each rank process loads its own input from the vector set, so `inputs` is not sent over
        if case.world_size not in pools or pools[case.world_size].broken:
            for w in list(pools):  # the set lists the cases world size by world size: one pool at a time
                pools.pop(w).close()
            pools[case.world_size] = RankPool(case.world_size, qr_vector_set.path, qr_rank_device,
                                              tmp_path_factory.mktemp("rendezvous"))
        return pools[case.world_size].run(case)

    yield run
    for p in pools.values():
        p.close()
