"""Expected outputs for any inputs, from the CPU model through the ``qr`` command line.

For tensors that are not in a vector set: :func:`expected_allreduce` writes each rank's input as a ``.npy`` file, runs
``qr allreduce -w W --codec C --dtype D [--cast-bf16-to-fp16] [--profile P] --inputs ... --out-dir ...`` and reads the
W outputs back. Codec and profile names are passed through, so whatever the installed ``qr`` knows is accepted and
anything else comes back as its one-line error.

``qr`` is found, in this order: the ``qr`` argument (the launcher, or the checkout that holds it); the environment
variable ``QR_CLI`` (the launcher); ``QR_HOME`` (the checkout); ``qr`` on the PATH when it is this project's launcher;
the checkout this package sits in (when it is used from the source tree). The launcher needs a JDK 25 or newer, and its
first use builds the project.
"""

import os
import shutil
import subprocess
import tempfile

import numpy as np

from .arrays import NUMPY_DTYPES, dtype_of_tensor, from_bits, is_tensor, to_bits
from .errors import QrError, Unavailable, UsageError

ENV_CLI = "QR_CLI"
ENV_HOME = "QR_HOME"
#: The launcher says this in its first lines: how a ``qr`` on the PATH is told from other programs of that name.
LAUNCHER_MARK = b"QuickReduce"
#: qr's exit codes (README: 0 ok, 1 run failed, 2 bad usage or input, 3 backend unavailable).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


class OracleFailed(QrError):
    """qr ran and failed (exit 1) for a reason other than a missing JDK."""


def _is_launcher(path):
    try:
        with open(path, "rb") as f:
            return LAUNCHER_MARK in f.read(512)
    except OSError:
        return False


def _checkout_launcher():
    # src layout: <checkout>/python/src/qrref/oracle.py
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    candidate = os.path.join(root, "qr")
    if os.path.isfile(candidate) and os.path.isdir(os.path.join(root, "spec")):
        return candidate
    return None


def _explicit(path, source):
    p = os.path.join(path, "qr") if os.path.isdir(path) else path
    if not os.path.isfile(p):
        raise Unavailable("the qr launcher is not at '%s', where %s points" % (os.path.abspath(p), source))
    if not os.access(p, os.X_OK):
        raise Unavailable("'%s' (from %s) is not executable" % (os.path.abspath(p), source))
    return os.path.abspath(p)


def find_qr(qr=None, environ=None):
    """The path of the ``qr`` launcher, or an Unavailable error naming every place that was tried. A path given
    explicitly (argument, QR_CLI, QR_HOME) that holds no launcher is an error of its own, not a reason to look further."""
    env = os.environ if environ is None else environ
    if qr:
        return _explicit(os.fspath(qr), "the qr argument")
    if env.get(ENV_CLI):
        return _explicit(env[ENV_CLI], "the environment variable " + ENV_CLI)
    if env.get(ENV_HOME):
        return _explicit(os.path.join(env[ENV_HOME], "qr"), "the environment variable " + ENV_HOME)
    tried = ["the qr argument (not given)", ENV_CLI + " (not set)", ENV_HOME + " (not set)"]
    on_path = shutil.which("qr", path=env.get("PATH", os.defpath))
    if on_path and _is_launcher(on_path):
        return on_path
    tried.append("qr on the PATH (%s)" % ("%s is another program" % on_path if on_path else "none"))
    checkout = _checkout_launcher()
    if checkout:
        return checkout
    tried.append("the checkout around this package (qrref is installed outside one)")
    raise Unavailable("the qr command line was not found; looked at: %s. Set %s to the qr launcher of a QuickReduce JVM "
                      "reference checkout (it needs a JDK 25 or newer)" % ("; ".join(tried), ENV_CLI))


def _dtype_of(item, dtype, rank):
    if is_tensor(item):
        found = dtype_of_tensor(item)
        if found is None:
            raise UsageError("input of rank %d is a %s tensor; expected torch.float16 or torch.bfloat16" % (rank, item.dtype))
        if dtype is not None and dtype != found:
            raise UsageError("input of rank %d is %s, but dtype=%r was asked for" % (rank, found, dtype))
        return found
    a = np.asarray(item)
    if a.dtype.kind == "f" and a.dtype.itemsize == 2:
        if dtype not in (None, "fp16"):
            raise UsageError("input of rank %d is a float16 array, but dtype=%r was asked for (bf16 arrays hold raw bits "
                             "as uint16)" % (rank, dtype))
        return "fp16"
    if a.dtype.kind in "ui" and a.dtype.itemsize == 2:
        if dtype != "bf16":
            raise UsageError("input of rank %d is a %s array: 16-bit integer arrays are taken as raw bf16 bits only with "
                             "dtype='bf16'" % (rank, a.dtype))
        return "bf16"
    raise UsageError("input of rank %d has dtype %s; expected float16 (fp16), uint16 raw bf16 bits, or a float16/bfloat16 "
                     "tensor" % (rank, a.dtype))


def expected_allreduce(inputs, codec, dtype=None, cast_bf16_to_fp16=False, profile=None, qr=None, timeout=None,
                       threads=None):
    """The outputs the CPU model computes for one all-reduce of ``inputs`` (one array or tensor per rank, equal sizes,
    any shape whose size is a multiple of 8), one per rank, each shaped like the rank's input and of the same kind:
    NumPy arrays for NumPy inputs, tensors on the input's device for tensors.

    ``dtype`` is inferred from float16 / bfloat16 tensors and float16 arrays; uint16 arrays are raw bf16 bits and need
    ``dtype="bf16"``. ``profile`` None is the CLI's default (cuda). Errors: UsageError for bad inputs or a value qr
    refuses (its message is qr's line), Unavailable when qr or its JDK is missing, OracleFailed otherwise."""
    if isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__len__") or len(inputs) == 0:
        raise UsageError("inputs must be a list with one array or tensor per rank")
    dtypes = [_dtype_of(item, dtype, r) for r, item in enumerate(inputs)]
    if len(set(dtypes)) != 1:
        raise UsageError("the ranks' inputs mix element types: %s" % ", ".join(dtypes))
    dtype_id = dtypes[0]
    bits = [to_bits(item, what="input of rank %d" % r) for r, item in enumerate(inputs)]
    sizes = [b.shape[0] for b in bits]
    if len(set(sizes)) != 1:
        raise UsageError("the ranks' inputs differ in size: %s elements" % ", ".join(map(str, sizes)))
    launcher = find_qr(qr)
    with tempfile.TemporaryDirectory(prefix="qrref-") as tmp:
        paths = []
        for r, b in enumerate(bits):
            p = os.path.join(tmp, "in_rank%d.npy" % r)
            np.save(p, b.view(NUMPY_DTYPES[dtype_id]), allow_pickle=False)
            paths.append(p)
        out_dir = os.path.join(tmp, "out")
        cmd = [launcher, "allreduce", "-w", str(len(inputs)), "--codec", str(codec), "--dtype", dtype_id]
        if cast_bf16_to_fp16:
            cmd.append("--cast-bf16-to-fp16")
        if profile is not None:
            cmd += ["--profile", str(profile)]
        if threads is not None:
            cmd += ["--threads", str(int(threads))]
        cmd += ["--inputs"] + paths + ["--out-dir", out_dir]
        run(cmd, timeout)
        outputs = []
        for r, item in enumerate(inputs):
            got = to_bits(np.load(os.path.join(out_dir, "rank%d.npy" % r), allow_pickle=False), what="qr's output")
            if is_tensor(item):
                outputs.append(from_bits(got, dtype_id, as_="torch", device=item.device).reshape(item.shape))
            else:
                outputs.append(from_bits(got, dtype_id, as_="numpy").reshape(np.shape(item)))
        return outputs


def run(cmd, timeout=None):
    """Runs a qr command; returns its stdout, or raises the error its exit code stands for with its last stderr line."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, universal_newlines=True)
    except subprocess.TimeoutExpired:
        raise OracleFailed("%s did not finish within %s s" % (" ".join(cmd[:2]), timeout))
    except OSError as e:
        raise Unavailable("cannot run '%s': %s" % (cmd[0], e))
    if p.returncode == EXIT_OK:
        return p.stdout
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    last = lines[-1] if lines else "(no message; stdout: %s)" % p.stdout.strip()[-300:]
    if p.returncode == EXIT_USAGE:
        raise UsageError(last)
    if p.returncode == EXIT_UNAVAILABLE or "no JDK" in p.stderr:
        raise Unavailable(last)
    raise OracleFailed("%s exited with %d: %s" % (" ".join(cmd[:2]), p.returncode, last))
