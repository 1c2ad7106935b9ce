"""The pytest plugin, run in a fresh pytest (pytester) over a user's conftest: parametrisation over the cases,
selection by option and by -k, the failure line of a planted corruption, and the errors a user can make."""

import re
import sys

import pytest

if sys.version_info >= (3, 10):
    from importlib.metadata import entry_points

    def _pytest11():
        return entry_points(group="pytest11")
else:
    from importlib.metadata import entry_points as _eps

    def _pytest11():
        return _eps().get("pytest11", [])

#: When qrref is installed its entry point loads the plugin; from a source tree it is named with -p.
PLUGIN_ARGS = [] if any(ep.value == "qrref.pytest_plugin" for ep in _pytest11()) else ["-p", "qrref.pytest_plugin"]

CONFTEST = """
import os
import numpy as np
import pytest

@pytest.fixture(scope="session")
def qr_allreduce():
    # the 'kernel' returns the expected output on every rank, except where CORRUPT names case:rank:element
    plant = os.environ.get("CORRUPT", "")
    def run(case, inputs):
        assert len(inputs) == case.world_size
        outputs = [case.expected() for _ in inputs]
        if plant:
            case_id, rank, element = plant.rsplit(":", 2)
            if case.id == case_id:
                outputs[int(rank)].view(np.uint16)[int(element)] ^= 0x8000
        return outputs
    return run
"""

TEST = """
def test_bits(qr_case, qr_inputs, qr_allreduce):
    qr_case.assert_outputs(qr_allreduce(qr_case, qr_inputs))
"""


@pytest.fixture
def user_suite(pytester):
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_user=TEST)
    return pytester


def run(pytester, *args):
    return pytester.runpytest_subprocess(*(PLUGIN_ARGS + ["-p", "no:cacheprovider"] + list(args)))


def test_every_case_runs_and_passes(user_suite, vectors_dir, vector_set):
    r = run(user_suite, "--qr-vectors", vectors_dir, "-v")
    r.assert_outcomes(passed=len(vector_set))
    out = r.stdout.str()
    for case in vector_set.cases[:5]:
        assert "test_user.py::test_bits[%s] PASSED" % case.id in out
    assert "QuickReduce vectors (qrref)" in out
    for codec in vector_set.values("codec"):
        for w in vector_set.values("world_size"):
            n = len(vector_set.select(codec=codec, world_size=w))
            assert re.search(r"^  %-8s %3d %7d %7d %7d %10d$" % (re.escape(codec), w, n, n, 0, 0), out, re.M), (codec, w)


def test_a_planted_corruption_fails_that_case_alone_with_its_line(user_suite, vectors_dir, vector_set, monkeypatch):
    case = next(c for c in vector_set if c.world_size == max(vector_set.values("world_size")) and c.n > 16384)
    element = 16384 + 3  # tile 1, atom 0, thread 0, the odd group 1
    monkeypatch.setenv("CORRUPT", "%s:%d:%d" % (case.id, case.world_size - 1, element))
    r = run(user_suite, "--qr-vectors", vectors_dir, "--qr-world-size", str(case.world_size), "--qr-codec", case.codec)
    selected = vector_set.select(world_size=case.world_size, codec=case.codec)
    r.assert_outcomes(passed=len(selected) - 1, failed=1)
    want = case.expected(as_="bits")[element]
    line = ("rule=%s property=%s case=%s rank=%d tile=1 atom=0 group=1 lane=odd thread=0 element=%d in=[%s] got=0x%04X "
            "want=0x%04X seed=%s repro: ./qr conformance --backend gpu --case %s --isolate %d") % (
        vector_set.failure_rule, vector_set.property, case.id, case.world_size - 1, element,
        ",".join("0x%04X" % b[element] for b in case.input_bits()), want ^ 0x8000, want, case.seed, case.id, element)
    lines = r.stdout.str().splitlines()
    # in the failing test's report and once more in the summary section
    assert lines.count(line) == 1 and any(l.endswith(line) for l in lines if l.startswith("E ")), r.stdout.str()
    assert "  1 wrong element(s), seed %s" % case.seed in lines


def test_options_and_k_select_cases(user_suite, vectors_dir, vector_set):
    path = vector_set.values("data_path")[-1]
    profile = vector_set.values("profile")[0]
    r = run(user_suite, "--qr-vectors", vectors_dir, "--qr-data-path", path, "--qr-profile", profile)
    r.assert_outcomes(passed=len(vector_set.select(data_path=path, profile=profile)))
    codecs = vector_set.values("codec")[:2]
    r = run(user_suite, "--qr-vectors", vectors_dir, "--qr-codec", ",".join(codecs), "--qr-case", "*.specials.*")
    r.assert_outcomes(passed=len(vector_set.select(codec=codecs, pattern="*.specials.*")))
    w = vector_set.values("world_size")[0]
    r = run(user_suite, "--qr-vectors", vectors_dir, "-k", "w%d and %s" % (w, path))
    r.assert_outcomes(passed=len([c for c in vector_set if c.world_size == w and path in c.id]))


def test_a_value_the_set_lacks_stops_the_run_with_one_line(user_suite, vectors_dir):
    r = run(user_suite, "--qr-vectors", vectors_dir, "--qr-codec", "int5")
    assert r.ret == pytest.ExitCode.USAGE_ERROR
    assert "qrref: codec int5: no case of the set" in r.stderr.str()


def test_a_corrupted_set_stops_the_run(user_suite, vectors_dir, vector_set, tmp_path):
    from test_vectors import copy_set
    case = vector_set.cases[0]
    dst, _ = copy_set(vectors_dir, tmp_path, [case.id])
    (dst / case.id / "out.npy").write_bytes(b"\x93NUMPY broken")
    r = run(user_suite, "--qr-vectors", str(dst))
    assert r.ret == pytest.ExitCode.USAGE_ERROR
    assert "qrref: vector file corrupted: %s/out.npy" % case.id in r.stderr.str()


def test_without_a_set_the_test_is_skipped_with_the_reason(user_suite):
    r = run(user_suite, "-rs")
    r.assert_outcomes(skipped=1)
    assert "no vector set: run pytest with --qr-vectors DIR" in r.stdout.str()


def test_without_the_users_fixture_the_error_says_what_to_define(pytester, vectors_dir, vector_set):
    pytester.makepyfile(test_user=TEST)
    r = run(pytester, "--qr-vectors", vectors_dir, "--qr-case", vector_set.cases[0].id)
    assert "define a fixture named 'qr_allreduce'" in r.stdout.str()
    assert r.ret != 0


def test_the_ini_option_names_the_set(user_suite, vectors_dir, vector_set):
    user_suite.makeini("[pytest]\nqr_vectors = %s\n" % vectors_dir)
    r = run(user_suite, "--qr-case", vector_set.cases[0].id)
    r.assert_outcomes(passed=1)


def test_tensor_inputs_on_a_device(user_suite, vectors_dir, vector_set, torch):
    user_suite.makepyfile(test_tensors="""
import torch

def test_tensors(qr_case, qr_inputs):
    want = torch.bfloat16 if qr_case.dtype == "bf16" else torch.float16
    assert all(t.dtype == want and t.device.type == "cpu" for t in qr_inputs)
    assert len(qr_inputs) == qr_case.world_size
""")
    r = run(user_suite, "--qr-vectors", vectors_dir, "--qr-device", "cpu", "test_tensors.py", "--qr-profile",
            vector_set.values("profile")[0])
    r.assert_outcomes(passed=len(vector_set.select(profile=vector_set.values("profile")[0])))
