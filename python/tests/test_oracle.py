"""Expected outputs of arbitrary inputs through 'qr allreduce': they equal the vector set's expected outputs for the
set's own inputs, keep the caller's shapes and tensor types, and every way of not finding qr says so."""

import os
import stat

import numpy as np
import pytest

import qrref
from qrref import oracle
from qrref.errors import Unavailable, UsageError


def pick(vector_set, **want):
    for case in vector_set:
        if all(getattr(case, k) == v for k, v in want.items()) and case.n > 8:
            return case
    pytest.fail("the set has no case with %s" % want)


@pytest.fixture(scope="module")
def oracle_cases(vector_set):
    """An fp16 case, a native-bf16 case and a bf16-cast case, each of another codec and, where there are several,
    another profile than the CLI's default."""
    codecs = vector_set.values("codec")
    profiles = vector_set.values("profile")
    return [pick(vector_set, dtype="fp16", codec=codecs[-1]),
            pick(vector_set, data_path="bf16", codec=codecs[len(codecs) // 2], profile=profiles[-1]),
            pick(vector_set, data_path="bf16-cast", codec=codecs[0], profile=profiles[1 % len(profiles)])]


def test_the_cli_computes_the_sets_expected_outputs(oracle_cases, qr_launcher):
    for case in oracle_cases:
        inputs = case.inputs()  # float16 arrays, or uint16 raw bits for bf16
        outputs = qrref.expected_allreduce(inputs, case.codec, dtype=case.dtype, cast_bf16_to_fp16=case.cast,
                                           profile=case.profile, qr=qr_launcher)
        assert len(outputs) == case.world_size
        for o in outputs:
            assert o.dtype == inputs[0].dtype and o.shape == (case.n,)
        assert case.check(outputs).ok, case.check(outputs).report()


def test_tensors_come_back_as_tensors_of_the_same_shape(oracle_cases, qr_launcher, torch):
    case = next(c for c in oracle_cases if c.dtype == "bf16")
    inputs = [t.reshape(-1, 8) for t in case.inputs(as_="torch")]
    outputs = qrref.expected_allreduce(inputs, case.codec, cast_bf16_to_fp16=case.cast, profile=case.profile,
                                       qr=qr_launcher)
    assert all(o.dtype == torch.bfloat16 and o.shape == inputs[0].shape for o in outputs)
    assert case.check([o.reshape(-1) for o in outputs]).ok


def test_a_value_qr_refuses_comes_back_as_its_line(oracle_cases, qr_launcher):
    case = oracle_cases[0]
    with pytest.raises(UsageError) as e:
        qrref.expected_allreduce(case.inputs(), "int5", qr=qr_launcher)
    assert str(e.value).startswith("qr allreduce: Invalid value for option '--codec': unknown codec 'int5'")


def test_inputs_are_checked_before_qr_runs():
    a = np.zeros(16, np.float16)
    with pytest.raises(UsageError, match="differ in size: 16, 8"):
        qrref.expected_allreduce([a, a[:8]], "int4", qr="/nonexistent")
    with pytest.raises(UsageError, match="raw bf16 bits only with dtype='bf16'"):
        qrref.expected_allreduce([a.view(np.uint16)] * 2, "int4", qr="/nonexistent")
    with pytest.raises(UsageError, match="has dtype float32"):
        qrref.expected_allreduce([a.astype(np.float32)] * 2, "int4", qr="/nonexistent")
    with pytest.raises(UsageError, match="one array or tensor per rank"):
        qrref.expected_allreduce([], "int4")


def write_script(path, text):
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_find_qr_order_and_errors(tmp_path, monkeypatch):
    launcher = write_script(tmp_path / "qr", "# qr: the QuickReduce command line\n")
    assert oracle.find_qr(launcher, environ={}) == launcher
    assert oracle.find_qr(str(tmp_path), environ={}) == launcher  # a checkout folder
    assert oracle.find_qr(environ={"QR_CLI": launcher}) == launcher
    assert oracle.find_qr(environ={"QR_HOME": str(tmp_path)}) == launcher
    with pytest.raises(Unavailable, match="not at '.*missing', where the environment variable QR_CLI points"):
        oracle.find_qr(environ={"QR_CLI": str(tmp_path / "missing")})
    with pytest.raises(Unavailable, match="where the qr argument points"):
        oracle.find_qr(str(tmp_path / "missing"), environ={"QR_CLI": launcher})
    # on the PATH only this project's launcher counts
    other = tmp_path / "bin"
    other.mkdir()
    write_script(other / "qr", "echo a QR-code generator\n")
    monkeypatch.setattr(oracle, "_checkout_launcher", lambda: None)
    with pytest.raises(Unavailable) as e:
        oracle.find_qr(environ={"PATH": str(other)})
    assert "qr on the PATH (%s is another program)" % (other / "qr") in str(e.value)
    assert "Set QR_CLI to the qr launcher" in str(e.value)
    assert oracle.find_qr(environ={"PATH": str(tmp_path)}) == launcher


def test_a_missing_jdk_is_reported_as_unavailable(tmp_path):
    # what the launcher prints and returns when it finds no JDK 25+
    fake = write_script(tmp_path / "qr", "# QuickReduce\necho 'qr: no JDK 25 or newer found (java on the PATH is version 17)' >&2\nexit 1\n")
    with pytest.raises(Unavailable, match="^qr: no JDK 25 or newer found"):
        qrref.expected_allreduce([np.zeros(8, np.float16)] * 2, "int4", qr=fake)


def test_exit_codes_map_to_errors(tmp_path):
    for code, cls in ((1, oracle.OracleFailed), (2, UsageError), (3, Unavailable)):
        fake = write_script(tmp_path / ("qr%d" % code), "echo 'qr allreduce: problem %d' >&2\nexit %d\n" % (code, code))
        with pytest.raises(cls, match="qr allreduce: problem %d" % code):
            oracle.run([fake, "allreduce"])


def test_the_checkout_launcher_is_found_from_the_source_tree(qr_launcher):
    found = oracle._checkout_launcher()
    if found is None:
        pytest.skip("qrref is imported from an installed copy, not from the source tree")
    assert os.path.samefile(found, qr_launcher)
