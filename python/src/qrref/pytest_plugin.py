"""pytest plugin (entry point ``pytest11``): ``pytest --qr-vectors DIR`` runs a test once per case of a vector set.

A test that takes the ``qr_case`` fixture is parametrised over the selected cases, with the case id as the test id
(``w4.int4.bf16-cast.cuda.n16392.specials.b0.s0x...``), so ``-k int4``, ``-k "w8 and bf16-cast"`` select as well as the
options ``--qr-codec``, ``--qr-world-size``, ``--qr-data-path``, ``--qr-profile`` and ``--qr-case GLOB``. The user
provides one fixture, ``qr_allreduce``, returning a function ``(case, inputs) -> outputs`` that runs the kernel under
test (inputs and outputs: one array or tensor per rank). A test then reads::

    def test_quickreduce_bits(qr_case, qr_inputs, qr_allreduce):
        qr_case.assert_outputs(qr_allreduce(qr_case, qr_inputs))

A difference fails the test with the one-line report of the JVM suite; the terminal summary repeats every such line
and a table of cases per codec and world size.
"""

import pytest

from .check import Mismatch
from .errors import QrError
from .vectors import VectorSet

_SELECTORS = (("codec", "--qr-codec", "CODEC", str), ("world_size", "--qr-world-size", "W", int),
              ("data_path", "--qr-data-path", "PATH", str), ("profile", "--qr-profile", "PROFILE", str))
_STATE = "_qrref_state"


class _State(object):
    def __init__(self):
        self.vector_set = None
        self.cases = []
        self.failures = []  # (nodeid, report lines)
        self.rows = {}      # (world size, quant level, codec) -> [cases, passed, failed, wrong]


def pytest_addoption(parser):
    g = parser.getgroup("qrref", "QuickReduce golden vectors (qrref)")
    g.addoption("--qr-vectors", metavar="DIR", default=None,
                help="vector set written by 'qr vectors --out DIR': tests taking the qr_case fixture run once per case")
    for field, flag, meta, _ in _SELECTORS:
        g.addoption(flag, metavar=meta, action="append", default=None,
                    help="only cases of this %s (repeatable or comma-separated; values the set does not hold are an "
                         "error)" % field.replace("_", " "))
    g.addoption("--qr-case", metavar="GLOB", action="append", default=None,
                help="only cases whose id matches GLOB (fnmatch; repeatable)")
    g.addoption("--qr-device", metavar="DEVICE", default=None,
                help="the qr_inputs fixture gives PyTorch tensors on DEVICE (cpu, cuda, cuda:1, ...); default: NumPy "
                     "arrays, unless a qr_device fixture says otherwise")
    g.addoption("--qr-native-lib", metavar="PATH", default=None,
                help="libqr.so for the qr_native fixture (default: QR_NATIVE_LIB, then the checkout's "
                     "kernels/build/cuda/libqr.so)")
    parser.addini("qr_vectors", "vector set directory used when --qr-vectors is not given", default=None)


def _split(values, convert):
    if not values:
        return None
    out = []
    for v in values:
        for part in str(v).split(","):
            part = part.strip()
            if part:
                try:
                    out.append(convert(part))
                except ValueError:
                    raise pytest.UsageError("'%s' is not a valid value here (expected a number)" % part)
    return out


def pytest_configure(config):
    config.addinivalue_line("markers", "qr_case: parametrised over the cases of the --qr-vectors set (qrref)")
    state = _State()
    setattr(config, _STATE, state)
    path = config.getoption("--qr-vectors")
    if not path:
        ini = config.getini("qr_vectors")
        if ini:
            path = str(config.rootpath / ini) if hasattr(config, "rootpath") else ini
    if not path:
        return
    try:
        vs = VectorSet(path, verify=True)
        selection = {field: _split(config.getoption(flag), convert) for field, flag, _, convert in _SELECTORS}
        state.cases = vs.select(pattern=config.getoption("--qr-case"), **selection)
    except QrError as e:
        raise pytest.UsageError("qrref: %s" % e)
    if not state.cases:
        raise pytest.UsageError("qrref: no case of '%s' matches the selection" % path)
    state.vector_set = vs


def _state(config):
    return getattr(config, _STATE)


def pytest_generate_tests(metafunc):
    if "qr_case" not in metafunc.fixturenames:
        return
    state = _state(metafunc.config)
    if state.vector_set is None:
        metafunc.parametrize("qr_case", [pytest.param(None, marks=pytest.mark.skip(
            reason="no vector set: run pytest with --qr-vectors DIR (written by 'qr vectors --out DIR')"))], ids=["no-vectors"])
        return
    metafunc.parametrize("qr_case", state.cases, ids=[c.id for c in state.cases])


@pytest.fixture(scope="session")
def qr_vector_set(request):
    """The --qr-vectors set (verified against its SHA-256); skips when none was given."""
    vs = _state(request.config).vector_set
    if vs is None:
        pytest.skip("no vector set: run pytest with --qr-vectors DIR")
    return vs


@pytest.fixture(scope="session")
def qr_device(request):
    """Where qr_inputs puts its tensors: --qr-device, or None for NumPy arrays. Override it to fix a device."""
    return request.config.getoption("--qr-device")


@pytest.fixture
def qr_inputs(qr_case, qr_device):
    """The case's per-rank inputs: NumPy arrays ('<f2', or '<u2' raw bf16 bits), or PyTorch tensors
    (torch.float16 / torch.bfloat16) on qr_device."""
    if qr_device is None:
        return qr_case.inputs(as_="numpy")
    return qr_case.inputs(as_="torch", device=qr_device)


@pytest.fixture
def qr_allreduce():
    """Override this fixture (conftest.py) with a function (case, inputs) -> outputs that runs the kernel under test."""
    raise pytest.UsageError("qrref: define a fixture named 'qr_allreduce' in your conftest.py that returns a function "
                            "(case, inputs) -> outputs running your all-reduce (one input and one output per rank)")


@pytest.fixture(scope="session")
def qr_native(request):
    """The project's GPU library (a qrref.native.Library, from --qr-native-lib); skips with the reason when the library
    or a GPU is missing."""
    from . import native
    from .errors import Unavailable
    try:
        lib = native.load(request.config.getoption("--qr-native-lib"))
        lib.device_count()
    except Unavailable as e:
        pytest.skip(str(e))
    return lib


def _case_of(item):
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return None
    return callspec.params.get("qr_case")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    case = _case_of(item)
    if case is None:
        return
    state = _state(item.config)
    if report.when == "call" or (report.when == "setup" and report.failed):
        row = state.rows.setdefault((case.world_size, case.quant_level, case.codec), [0, 0, 0, 0])
        row[0] += 1
        if report.passed:
            row[1] += 1
        elif report.failed:
            row[2] += 1
            if call.excinfo is not None and isinstance(call.excinfo.value, Mismatch):
                result = call.excinfo.value.result
                row[3] += result.wrong
                state.failures.append((item.nodeid, [result.line, result.count_line]))
        if report.when == "call":
            case.release()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = _state(config)
    if not state.rows:
        return
    tr = terminalreporter
    tr.section("QuickReduce vectors (qrref)")
    for nodeid, lines in state.failures:
        for line in lines:
            tr.write_line(line)
    tr.write_line("# %-8s %3s %7s %7s %7s %10s" % ("codec", "W", "cases", "passed", "failed", "wrong"))
    for (w, _, codec), r in sorted(state.rows.items()):
        tr.write_line("  %-8s %3d %7d %7d %7d %10d" % (codec, w, r[0], r[1], r[2], r[3]))
    vs = state.vector_set
    if vs is not None:
        tr.write_line("# vectors: %s, %d file(s) verified against the manifest's SHA-256" % (vs.path, vs.verified))
