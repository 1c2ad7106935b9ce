"""The examples as a user would run them, without a GPU:

* python/examples/vllm (the fixture around vLLM's QuickAllReduce) against a stand-in ``vllm`` package whose
  QuickAllReduce gathers the ranks' inputs over the real gloo group and answers with the set's expected output only
  when vLLM's codec and cast variables name the case's: every selected case passes, through real rank processes;
* python/examples/libqr (the project's kernels) is skipped with the reason when there is no GPU.
"""

import os
import shutil

from test_plugin import PLUGIN_ARGS

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(os.path.dirname(HERE), "examples")

FAKE_QUICK_ALL_REDUCE = '''
import os
import numpy as np
import torch
import torch.distributed as dist
import qrref
from qrref.arrays import to_bits

class QuickAllReduce(object):
    """Stand-in: the answer of the vector set, found by every rank's input, when the environment names its codec."""

    def __init__(self, group, device):
        self.group = group
        self.codec = os.environ["VLLM_ROCM_QUICK_REDUCE_QUANTIZATION"]
        self.cast = os.environ["VLLM_ROCM_QUICK_REDUCE_CAST_BF16_TO_FP16"] == "1"
        self.cases = qrref.load_vectors(os.environ["FAKE_VLLM_VECTORS"], verify=False)

    def quick_all_reduce(self, inp):
        mine = torch.from_numpy(to_bits(inp).astype(np.int32))  # gloo gathers no 16-bit integers
        ranks = [torch.empty_like(mine) for _ in range(dist.get_world_size(self.group))]
        dist.all_gather(ranks, mine, group=self.group)
        key = b"".join(r.numpy().astype(np.uint16).tobytes() for r in ranks)
        for case in self.cases:
            if case.world_size == len(ranks) and case.n == mine.numel() and b"".join(b.tobytes() for b in case.input_bits()) == key:
                if case.codec.upper() == self.codec and case.cast == self.cast:
                    return case.expected(as_="torch")
                return torch.zeros_like(inp)
        raise AssertionError("inputs of no case")
'''

CPU_RANKS = '''

@pytest.fixture(scope="session")
def qr_rank_device():
    return lambda rank: "cpu"
'''


def test_the_vllm_fixture_runs_every_rank_in_its_own_process(pytester, vectors_dir, vector_set, torch, monkeypatch):
    for name in ("qr_vllm_ranks.py", "test_quick_all_reduce_bits.py"):
        shutil.copy(os.path.join(EXAMPLES, "vllm", name), str(pytester.path / name))
    with open(os.path.join(EXAMPLES, "vllm", "conftest.py")) as f:
        pytester.makeconftest(f.read() + CPU_RANKS)
    package = pytester.path / "vllm" / "distributed" / "device_communicators"
    package.mkdir(parents=True)
    for folder in (pytester.path / "vllm", pytester.path / "vllm" / "distributed", package):
        (folder / "__init__.py").write_text("")
    (package / "quick_all_reduce.py").write_text(FAKE_QUICK_ALL_REDUCE)
    monkeypatch.setenv("FAKE_VLLM_VECTORS", vectors_dir)
    monkeypatch.setenv("PYTHONPATH", str(pytester.path) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    w = min(vector_set.values("world_size"))
    codecs = vector_set.values("codec")[:2]
    paths = vector_set.values("data_path")
    # both casts of bf16 and fp16, so that each rank builds several QuickAllReduce objects
    r = pytester.runpytest_subprocess(*(PLUGIN_ARGS + ["-p", "no:cacheprovider", "--qr-vectors", vectors_dir,
                                                       "--qr-world-size", str(w), "--qr-codec", ",".join(codecs),
                                                       "--qr-profile", vector_set.values("profile")[0]]))
    selected = vector_set.select(world_size=w, codec=codecs, profile=vector_set.values("profile")[0])
    assert len(set(c.data_path for c in selected)) == len(paths)
    r.assert_outcomes(passed=len(selected))


def test_the_libqr_example_is_skipped_with_the_reason_without_a_gpu(pytester, vectors_dir, vector_set, torch):
    if torch.cuda.is_available():
        import pytest
        pytest.skip("a GPU is present: run_on_device.sh runs this example")
    for name in ("conftest.py", "test_quickreduce.py"):
        shutil.copy(os.path.join(EXAMPLES, "libqr", name), str(pytester.path / name))
    case = vector_set.cases[0]
    r = pytester.runpytest_subprocess(*(PLUGIN_ARGS + ["-p", "no:cacheprovider", "--qr-vectors", vectors_dir,
                                                       "--qr-case", case.id, "-rs"]))
    r.assert_outcomes(skipped=1)
    out = r.stdout.str()
    assert "PyTorch sees no CUDA device" in out or "NO_DEVICE" in out or "libqr.so" in out, out
