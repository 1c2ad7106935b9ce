"""On a GPU: the ctypes binding of libqr with PyTorch CUDA tensors.

    pytest python/tests/gpu --qr-vectors DIR [--qr-native-lib PATH]

* a planted one-element corruption of a real GPU output is named on the right line (rank, element, tile, atom,
  group, lane located by walking the launch forwards);
* outputs given by the caller are written in place, inputs are left alone, sizes may change from call to call;
* tensors the kernels cannot use are refused before the call, and the library's own refusals carry its message;
* one process per rank (qr_comms_*, IPC handles exchanged with torch.distributed over gloo), all ranks on GPU 0:
  every world-size-2 case of the set bit-exact.

Without a GPU these tests are skipped with the reason (they fail instead when QRREF_REQUIRE_GPU=1, as the device run
script sets it). python/tests/gpu/run_on_device.sh runs them with the worked example over a whole vector set.
"""

import multiprocessing
import os
import random
import traceback

import numpy as np
import pytest

from qrref import native
from qrref.arrays import to_bits
from qrref.errors import Unavailable, UsageError


def require(reason):
    if os.environ.get("QRREF_REQUIRE_GPU") == "1":
        pytest.fail(reason + " (and QRREF_REQUIRE_GPU=1 requires a GPU run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def torch():
    try:
        import torch
    except ImportError:
        require("PyTorch is not importable")
    if not torch.cuda.is_available():
        require("PyTorch sees no CUDA device")
    return torch


@pytest.fixture(scope="module")
def lib(request, torch):
    try:
        lib = native.load(request.config.getoption("--qr-native-lib"))
        lib.device_count()
    except Unavailable as e:
        require(str(e))
    return lib


@pytest.fixture(scope="module")
def vector_set(request):
    vs = request.getfixturevalue("qr_vector_set")
    return vs


def run_case(lib, torch, case, outputs=None):
    with lib.group(case.world_size, device=0, profile=case.profile, max_blocks=case.max_blocks) as g:
        inputs = case.inputs(as_="torch", device="cuda:0")
        return inputs, g.allreduce(inputs, case.codec, outputs=outputs, cast_bf16_to_fp16=case.cast)


def test_the_device_and_library(lib, record_property):
    record_property("device", lib.describe(0))
    record_property("library", "%s (%s, ABI %d, %d kernels)" % (lib.path, lib.platform(), lib.abi_version, lib.kernel_count()))
    assert lib.platform() in ("cuda", "hip")
    assert lib.device_count() >= 1


def test_a_planted_corruption_of_a_gpu_output_is_named_on_the_right_line(lib, torch, vector_set):
    from test_check import LINE, launch_map
    rng = random.Random(7)
    checked = []
    for w in vector_set.values("world_size"):
        case = next(c for c in vector_set if c.world_size == w and c.kind == "specials")
        inputs, outputs = run_case(lib, torch, case)
        assert case.check(outputs).ok, case.check(outputs).report()
        where = launch_map(case.n, vector_set.geometry)
        for _ in range(2):
            rank = rng.randrange(w)
            element = rng.randrange(case.n)
            bad = [o.clone() for o in outputs]
            bad[rank].view(torch.int16)[element] ^= 0x0004
            result = case.check(bad)
            m = LINE.match(result.line)
            assert m and result.wrong == 1, result.line
            tile, atom, thread, group, lane = where[element]
            assert (int(m["rank"]), int(m["element"]), int(m["tile"]), int(m["atom"]), int(m["group"]), m["lane"],
                    int(m["thread"])) == (rank, element, tile, atom, group, lane, thread), result.line
            want = int(case.expected(as_="bits")[element])
            assert (int(m["got"], 16), int(m["want"], 16)) == (want ^ 0x0004, want)
            checked.append(result.line)
    print("\n".join(checked))


def test_given_outputs_are_written_in_place_and_inputs_left_alone(lib, torch, vector_set):
    case = next(c for c in vector_set if c.dtype == "bf16" and c.n > 8)
    outputs = [torch.full((case.n,), 7.0, dtype=torch.bfloat16, device="cuda:0") for _ in range(case.world_size)]
    inputs, got = run_case(lib, torch, case, outputs=outputs)
    assert all(a is b for a, b in zip(got, outputs))
    assert case.check(outputs).ok
    for t, bits in zip(inputs, case.input_bits()):
        assert np.array_equal(to_bits(t), bits)


def test_one_group_takes_calls_of_different_sizes(lib, torch, vector_set):
    w = vector_set.values("world_size")[0]
    profile = vector_set.values("profile")[0]
    cases = [c for c in vector_set if c.world_size == w and c.profile == profile and c.max_blocks == 0]
    assert len(set(c.n for c in cases)) > 1
    with lib.group(w, device=0, profile=profile) as g:
        for case in cases + cases[::-1]:
            outputs = g.allreduce(case.inputs(as_="torch", device="cuda:0"), case.codec, cast_bf16_to_fp16=case.cast)
            assert case.check(outputs).ok, case.check(outputs).report()


def test_tensors_the_kernels_cannot_use_are_refused(lib, torch):
    n = 64
    good = [torch.zeros(n, dtype=torch.float16, device="cuda:0") for _ in range(2)]
    with lib.group(2, device=0) as g:
        with pytest.raises(UsageError, match="input of rank 1 is on cpu"):
            g.allreduce([good[0], good[1].cpu()], "int4")
        with pytest.raises(UsageError, match="input of rank 1 has 56 elements, expected 64"):
            g.allreduce([good[0], good[1][:56]], "int4")
        shifted = torch.zeros(n + 8, dtype=torch.float16, device="cuda:0")[1:n + 1]
        with pytest.raises(UsageError, match="is not 16-byte aligned"):
            g.allreduce([good[0], shifted], "int4")
        strided = torch.zeros(2 * n, dtype=torch.float16, device="cuda:0")[::2]
        with pytest.raises(UsageError, match="not contiguous"):
            g.allreduce([good[0], strided], "int4")
        with pytest.raises(UsageError, match="torch.float32"):
            g.allreduce([t.float() for t in good], "int4")
        with pytest.raises(UsageError, match="expected 2 input tensors"):
            g.allreduce(good[:1], "int4")
        with pytest.raises(UsageError, match="unknown codec 'int5'"):
            g.allreduce(good, "int5")
        odd = [torch.zeros(12, dtype=torch.float16, device="cuda:0") for _ in range(2)]
        with pytest.raises(native.NativeError) as e:
            g.allreduce(odd, "int4")
        assert e.value.status_name == "INVALID_ARGUMENT" and "not a multiple of 8" in str(e.value)
        assert str(e.value).startswith("qr_group_allreduce(group=")
        # the refused calls left the group usable
        assert g.state() == "ready"
        assert torch.count_nonzero(g.allreduce(good, "int4")[0]).item() == 0


def _comms_worker(rank, world, init_file, lib_path, vectors, case_ids, results):
    try:
        import torch
        import torch.distributed as dist
        import qrref
        from qrref.distributed import comms_from_process_group
        torch.cuda.set_device(0)
        dist.init_process_group("gloo", init_method="file://" + init_file, rank=rank, world_size=world)
        vs = qrref.load_vectors(vectors, verify=False)
        lib = native.load(lib_path)
        comms = {}
        for case_id in case_ids:
            case = vs[case_id]
            key = (case.profile, case.max_blocks)
            if key not in comms:
                # every rank meets the cases in the same order, so the exchanges line up
                comms[key] = comms_from_process_group(lib=lib, device=0, profile=case.profile, max_blocks=case.max_blocks)
            x = case.inputs(as_="torch", device="cuda:0")[rank]
            y = comms[key].allreduce(x, case.codec, cast_bf16_to_fp16=case.cast)
            results.put((case_id, rank, to_bits(y)))
            case.release()
        for c in comms.values():
            c.close()
        dist.destroy_process_group()
        results.put((None, rank, "done"))
    except Exception:
        results.put((None, rank, traceback.format_exc()))


def test_one_process_per_rank_with_handles_exchanged_by_torch_distributed(lib, torch, vector_set, tmp_path):
    world = min(vector_set.values("world_size"))
    cases = [c for c in vector_set if c.world_size == world]
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    procs = [ctx.Process(target=_comms_worker, args=(r, world, str(tmp_path / "rendezvous"), lib.path, vector_set.path,
                                                     [c.id for c in cases], results)) for r in range(world)]
    for p in procs:
        p.start()
    got = {}
    done = 0
    try:
        while done < world:
            case_id, rank, value = results.get(timeout=180)
            if case_id is None:
                assert value == "done", "rank %d failed:\n%s" % (rank, value)
                done += 1
            else:
                got[(case_id, rank)] = value
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.exitcode is None:
                p.terminate()
    failures = []
    for case in cases:
        result = case.check([got[(case.id, r)] for r in range(world)])
        if not result.ok:
            failures.append(result.report())
    assert not failures, "\n".join(failures)
    print("%d case(s) of world size %d bit-exact with one process per rank" % (len(cases), world))
