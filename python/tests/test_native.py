"""The ctypes binding of libqr, as far as it can be exercised without a GPU: finding and loading the library, the ABI
codes read from it against the vector manifest's, every failing status turned into an exception carrying
qr_last_error(), and the tensor checks made before anything reaches the library. (tests/gpu runs it on a GPU.)"""

import os
import re

import pytest

from qrref_testing import LIBQR, ROOT, require
from qrref import native
from qrref.errors import Unavailable, UsageError


@pytest.fixture(scope="module")
def lib():
    if not os.path.isfile(LIBQR):
        require("QRREF_REQUIRE_LIBQR", "%s is not built (kernels/build.sh --cuda-only)" % LIBQR)
    return native.load(LIBQR)


def test_find_library_order_and_errors(tmp_path, monkeypatch):
    f = tmp_path / "libqr.so"
    f.write_bytes(b"")
    assert native.find_library(str(f), environ={}) == str(f)
    assert native.find_library(environ={"QR_NATIVE_LIB": str(f)}) == str(f)
    with pytest.raises(Unavailable, match="not at '.*nope.so', where the environment variable QR_NATIVE_LIB points"):
        native.find_library(environ={"QR_NATIVE_LIB": str(tmp_path / "nope.so")})
    with pytest.raises(Unavailable, match="where the path argument points"):
        native.find_library(str(tmp_path / "nope.so"), environ={"QR_NATIVE_LIB": str(f)})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(native, "_checkout_library", lambda: str(tmp_path / "checkout" / "libqr.so"))
    with pytest.raises(Unavailable) as e:
        native.find_library(environ={})
    assert "libqr.so was not found" in str(e.value) and "kernels/build.sh" in str(e.value)


def test_a_file_that_is_not_a_library_is_unavailable(tmp_path):
    f = tmp_path / "libqr.so"
    f.write_bytes(b"not an ELF file")
    with pytest.raises(Unavailable, match="cannot load"):
        native.Library(str(f))


def test_the_library_loads_once_and_states_its_abi(lib):
    assert lib.abi_version == native.ABI_VERSION
    assert native.load(LIBQR) is lib
    assert lib.platform() == "cuda"
    assert lib.mutant() == ""
    assert lib.kernel_count() > 0


def test_abi_codes_come_from_the_library_and_match_the_manifest(lib, vector_set):
    constants = lib.constants()
    assert constants["QUANT_INT4"] == lib.constant("QUANT_INT4")
    for case in vector_set:
        assert lib.quant_level(case.codec) == case.quant_level, case.codec
        assert lib.profile_code(case.profile) == case.profile_code, case.profile
    codes = {name: value for name, value in constants.items() if name.startswith("QUANT_")}
    assert sorted(codes.values()) == sorted(set(c.quant_level for c in vector_set)), "every codec of the library is in the set"
    assert lib.dtype_code("fp16") == constants["DTYPE_FP16"] and lib.dtype_code("bf16") == constants["DTYPE_BF16"]
    assert lib.quant_level(3) == 3


def test_an_unknown_name_lists_what_the_library_knows(lib, vector_set):
    with pytest.raises(UsageError) as e:
        lib.quant_level("int5")
    assert str(e.value) == "unknown codec 'int5' (this libqr knows %s)" % ", ".join(vector_set.values("codec"))
    with pytest.raises(UsageError, match="unknown profile 'gfx942'"):
        lib.profile_code("gfx942")


def test_the_api_header_defines_what_the_binding_assumes():
    header = os.path.join(ROOT, "kernels", "include", "qr_api.h")
    if not os.path.isfile(header):
        pytest.skip("not inside a checkout")
    defines = dict(re.findall(r"^#define (QR_\w+) (\d+)", open(header).read(), re.M))
    assert int(defines["QR_ABI_VERSION"]) == native.ABI_VERSION
    # the codes are spec constants, generated into qr_spec.h
    spec = open(os.path.join(ROOT, "kernels", "include", "qr_spec.h")).read()
    codes = dict((k, int(v, 16)) for k, v in re.findall(r"QR_SPEC_CONST uint32_t (QR_\w+) = 0x([0-9A-F]+)u;", spec))
    for i, state in enumerate(native.STATES):
        assert codes["QR_STATE_" + state.upper()] == i
    for name, value in native.PLACEMENTS.items():
        assert codes["QR_GROUP_" + name.upper()] == value
    assert "64 bytes" in open(header).read() and native.HANDLE_BYTES == 64
    declared = set(re.findall(r"QR_EXPORT int (qr_\w+)\(", open(header).read()))
    assert set(native._SIGNATURES) <= declared


def test_no_gpu_becomes_an_exception_with_the_librarys_message(lib):
    try:
        count = lib.device_count()
    except native.NoDevice as e:
        assert e.function == "qr_device_count" and e.status_name == "NO_DEVICE"
        assert e.status == lib.constant("STATUS_NO_DEVICE")
        assert str(e).startswith("qr_device_count(): NO_DEVICE: ")
        assert isinstance(e, Unavailable)
    else:
        pytest.skip("a GPU is present (%d device(s)): tests/gpu covers it" % count)
    with pytest.raises(native.NoDevice) as e:
        lib.group(2, timeout=1.0)
    assert str(e.value).startswith("qr_group_create(world_size=2, max_problem_bytes=-1, device=0, profile=")


def test_bad_arguments_come_back_as_invalid_argument(lib):
    with pytest.raises(native.NativeError) as e:
        lib.comms(device=-1)
    assert e.value.status_name == "INVALID_ARGUMENT" and "device -1 is negative" in str(e.value)
    with pytest.raises(UsageError, match="timeout must be a positive number"):
        lib.comms(timeout=0)
    with pytest.raises(UsageError, match="placement 'everywhere' is not one of"):
        lib.group(2, placement="everywhere")


def test_a_communicator_lives_and_dies_without_touching_a_gpu(lib):
    c = lib.comms(device=0, profile="cuda", timeout=1.0)
    assert c.state() == "created"
    with pytest.raises(native.NativeError) as e:
        c.handle()
    assert e.value.status_name == "INVALID_STATE" and e.value.function == "qr_comms_get_handle"
    with pytest.raises(UsageError, match="handle of rank 1 has 3 bytes"):
        c.open_handles([b"\0" * 64, b"abc"])
    c.close()
    assert c.state() == "closed"
    with pytest.raises(UsageError, match="is closed"):
        c.allreduce(None, "int4")


def test_tensors_the_kernels_cannot_use_are_refused_before_the_call(torch):
    t = torch.zeros(16, dtype=torch.float16)
    with pytest.raises(UsageError, match="input is on cpu; the GPU library needs CUDA tensors"):
        native._check_tensor(t, "input")
    with pytest.raises(UsageError, match="is a ndarray, not a torch.Tensor"):
        native._check_tensor(t.numpy(), "input")
