"""ctypes binding of libqr, the project's GPU library (the C ABI of ``kernels/include/qr_api.h``).

Two ways to run an all-reduce of PyTorch CUDA tensors with the project's kernels:

* :class:`Group` (``qr_group_*``): all W ranks in this process, one stream each, buffers shared by raw pointer; W
  ranks co-resident on one GPU, or W GPUs with peer access. Inputs and outputs are ``tensor.data_ptr()``.
* :class:`Comms` (``qr_comms_*``): one rank per process; the 64-byte IPC handles of the ranks' buffers are exchanged by
  the caller (:func:`qrref.distributed.comms_from_process_group` does it with ``torch.distributed``).

Every non-zero status becomes a :class:`NativeError` holding ``qr_last_error()`` (the function, its arguments and the
cause). The integer codes of codecs, element types, profiles and statuses are read from the library itself
(``qr_spec_constant``), so the binding follows whatever spec the library was built from; only the few ``#define``s of
qr_api.h that are not spec constants (the ABI version) are written here, checked against ``qr_abi_version()``; the
state and placement codes the binding names are checked against the library's spec constants at load.

The library is found from the ``path`` argument, the environment variable ``QR_NATIVE_LIB``, or the checkout's
``kernels/build/cuda/libqr.so`` (built by ``kernels/build.sh``), in that order.
"""

import ctypes
import os
import threading

from .arrays import dtype_id_of_torch, dtype_of_tensor, is_tensor, require_torch
from .errors import QrError, Unavailable, UsageError

ENV_LIB = "QR_NATIVE_LIB"
DEFAULT_PATH = os.path.join("kernels", "build", "cuda", "libqr.so")
#: qr_api.h's QR_ABI_VERSION this binding was written for.
ABI_VERSION = 2
#: Communicator states, in the order of their codes (spec constants QR_STATE_*, checked against the library at load).
STATES = ("created", "initialised", "ready", "broken", "closed")
#: Group placements (spec constants QR_GROUP_*, checked against the library at load).
PLACEMENTS = {"auto": 0, "one_gpu": 1, "multi_gpu": 2}
#: Bytes of one IPC handle (cudaIpcMemHandle_t / hipIpcMemHandle_t).
HANDLE_BYTES = 64
#: The kernels load and store 16-byte vectors.
ALIGNMENT = 16
#: The one codec whose command-line name is not its ABI constant's suffix (QUANT_F16): the unquantized "FP" codec.
CODEC_ALIASES = {"fp": "f16"}
DEFAULT_TIMEOUT_S = 30.0

_c_int_p = ctypes.POINTER(ctypes.c_int)
_c_i64_p = ctypes.POINTER(ctypes.c_int64)
_c_u64_p = ctypes.POINTER(ctypes.c_uint64)
_c_str_p = ctypes.POINTER(ctypes.c_char_p)
_void_pp = ctypes.POINTER(ctypes.c_void_p)

# name -> argument types; every function returns an int status (qr_last_error excepted)
_SIGNATURES = {
    "qr_abi_version": [_c_int_p],
    "qr_platform": [_c_str_p],
    "qr_native_profile": [_c_int_p],
    "qr_profile_supported": [ctypes.c_int, ctypes.c_int, _c_int_p],
    "qr_mutant": [_c_str_p],
    "qr_kernel_count": [_c_int_p],
    "qr_spec_constant_count": [_c_int_p],
    "qr_spec_constant_at": [ctypes.c_int, _c_str_p, _c_u64_p],
    "qr_spec_constant": [ctypes.c_char_p, _c_u64_p],
    "qr_device_count": [_c_int_p],
    "qr_device_describe": [ctypes.c_int, ctypes.c_char_p, ctypes.c_int64],
    "qr_comms_create": [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int64, _c_u64_p],
    "qr_comms_init": [ctypes.c_uint64, ctypes.c_int, ctypes.c_int, ctypes.c_int64],
    "qr_comms_get_handle": [ctypes.c_uint64, ctypes.c_void_p],
    "qr_comms_open_handles": [ctypes.c_uint64, ctypes.c_void_p, ctypes.c_int],
    "qr_comms_allreduce": [ctypes.c_uint64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_int, ctypes.c_int,
                           ctypes.c_int, ctypes.c_void_p],
    "qr_comms_state": [ctypes.c_uint64, _c_int_p],
    "qr_comms_world_size": [ctypes.c_uint64, _c_int_p],
    "qr_comms_rank": [ctypes.c_uint64, _c_int_p],
    "qr_comms_max_blocks": [ctypes.c_uint64, _c_int_p],
    "qr_comms_destroy": [ctypes.c_uint64],
    "qr_group_create": [ctypes.c_int, ctypes.c_int64, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int64,
                        ctypes.c_int, _c_u64_p],
    "qr_group_allreduce": [ctypes.c_uint64, _void_pp, _void_pp, ctypes.c_int64, ctypes.c_int, ctypes.c_int, ctypes.c_int],
    "qr_group_state": [ctypes.c_uint64, _c_int_p],
    "qr_group_world_size": [ctypes.c_uint64, _c_int_p],
    "qr_group_max_blocks": [ctypes.c_uint64, _c_int_p],
    "qr_group_total_bytes": [ctypes.c_uint64, _c_i64_p],
    "qr_group_device": [ctypes.c_uint64, ctypes.c_int, _c_int_p],
    "qr_group_destroy": [ctypes.c_uint64],
}


class NativeError(QrError):
    """A libqr function returned a non-zero status. ``function``, ``status`` (the integer), ``status_name``
    (``INVALID_ARGUMENT``, ``TIMEOUT``, ...) and ``detail`` (qr_last_error()) say what happened."""

    def __init__(self, function, status, status_name, detail):
        QrError.__init__(self, detail or "%s failed with status %d (%s)" % (function, status, status_name))
        self.function = function
        self.status = status
        self.status_name = status_name
        self.detail = detail


class NoDevice(NativeError, Unavailable):
    """Status NO_DEVICE: no usable GPU (or no driver) here."""


def _checkout_library():
    """The checkout's build path when this package is used from a checkout (src layout), else None."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if not os.path.isfile(os.path.join(root, "kernels", "include", "qr_api.h")):
        return None
    return os.path.join(root, DEFAULT_PATH)


def find_library(path=None, environ=None):
    """The path of libqr.so, or an Unavailable error naming every place that was tried. A path given explicitly
    (argument or QR_NATIVE_LIB) that holds no file is an error of its own, not a reason to look further."""
    env = os.environ if environ is None else environ
    for value, source in ((path, "the path argument"), (env.get(ENV_LIB), "the environment variable " + ENV_LIB)):
        if value:
            p = os.path.abspath(os.fspath(value))
            if not os.path.isfile(p):
                raise Unavailable("libqr.so is not at '%s', where %s points" % (p, source))
            return p
    tried = [os.path.abspath(DEFAULT_PATH)]
    checkout = _checkout_library()
    if checkout and checkout not in tried:
        tried.append(checkout)
    for p in tried:
        if os.path.isfile(p):
            return p
    raise Unavailable("libqr.so was not found; looked at: the path argument (not given), %s (not set), %s. Build it with "
                      "kernels/build.sh (needs nvcc), or set %s to its path" % (ENV_LIB, ", ".join(tried), ENV_LIB))


class Library(object):
    """libqr.so, loaded once per path (:func:`load`). Use :meth:`group` and :meth:`comms` to all-reduce."""

    def __init__(self, path=None):
        self.path = find_library(path)
        try:
            self._lib = ctypes.CDLL(self.path)
        except OSError as e:
            raise Unavailable("cannot load '%s': %s" % (self.path, e))
        for name, argtypes in _SIGNATURES.items():
            try:
                f = getattr(self._lib, name)
            except AttributeError:
                raise Unavailable("'%s' does not export %s: it is not a libqr of ABI %d" % (self.path, name, ABI_VERSION))
            f.argtypes = argtypes
            f.restype = ctypes.c_int
        self._lib.qr_last_error.argtypes = []
        self._lib.qr_last_error.restype = ctypes.c_char_p
        self._constants = None
        self._status_names = {}
        v = ctypes.c_int()
        self._call("qr_abi_version", ctypes.byref(v))
        if v.value != ABI_VERSION:
            raise Unavailable("'%s' has ABI version %d; this qrref binds version %d" % (self.path, v.value, ABI_VERSION))
        self.abi_version = v.value
        self._status_names = {value: name[len("STATUS_"):] for name, value in self.constants().items()
                              if name.startswith("STATUS_")}
        # the codes this binding names are spec constants of the library: a library whose codes differ is refused
        expected = dict(("STATE_" + s.upper(), i) for i, s in enumerate(STATES))
        expected.update(("GROUP_" + p.upper(), v) for p, v in PLACEMENTS.items())
        table = self.constants()
        wrong = ["%s=%s (binding: %d)" % (k, table.get(k), v) for k, v in sorted(expected.items()) if table.get(k) != v]
        if wrong:
            raise Unavailable("'%s' has other ABI codes than this qrref binds: %s" % (self.path, ", ".join(wrong)))

    def __repr__(self):
        return "Library(%r)" % self.path

    # ---- calls ------------------------------------------------------------------------------------------------------
    def _call(self, name, *args):
        status = getattr(self._lib, name)(*args)
        if status != 0:
            # qr_last_error is thread-local: read on the thread that made the call, before its next call
            detail = (self._lib.qr_last_error() or b"").decode("utf-8", "replace")
            status_name = self._status_names.get(status, str(status))
            cls = NoDevice if status_name == "NO_DEVICE" else NativeError
            raise cls(name, status, status_name, detail)
        return status

    def _int(self, name, *args):
        out = ctypes.c_int()
        self._call(name, *(args + (ctypes.byref(out),)))
        return out.value

    def _str(self, name, *args):
        out = ctypes.c_char_p()
        self._call(name, *(args + (ctypes.byref(out),)))
        return (out.value or b"").decode("utf-8", "replace")

    # ---- spec constants ---------------------------------------------------------------------------------------------
    def constants(self):
        """Every spec constant the library was compiled with, by name without the QR_ prefix (e.g. ``INT4_STRIDE``)."""
        if self._constants is None:
            count = self._int("qr_spec_constant_count")
            table = {}
            name = ctypes.c_char_p()
            value = ctypes.c_uint64()
            for i in range(count):
                self._call("qr_spec_constant_at", i, ctypes.byref(name), ctypes.byref(value))
                table[name.value.decode("ascii")] = value.value
            self._constants = table
        return dict(self._constants)

    def constant(self, name):
        value = ctypes.c_uint64()
        self._call("qr_spec_constant", name.encode("ascii"), ctypes.byref(value))
        return value.value

    def _codes(self, prefix):
        return {name[len(prefix):].lower(): value for name, value in self.constants().items() if name.startswith(prefix)}

    def _code(self, prefix, what, value, aliases=None):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        codes = self._codes(prefix)
        key = str(value).lower()
        key = (aliases or {}).get(key, key)
        if key not in codes:
            shown = sorted(codes, key=codes.get)
            if aliases:
                shown = [next((a for a, t in aliases.items() if t == k), k) for k in shown]
            raise UsageError("unknown %s '%s' (this libqr knows %s)" % (what, value, ", ".join(shown)))
        return codes[key]

    def quant_level(self, codec):
        """The ABI code of a codec: its QUANT_* constant, by command-line name (``int4``, ``fp``, ...) or code."""
        return self._code("QUANT_", "codec", codec, CODEC_ALIASES)

    def dtype_code(self, dtype):
        """The ABI code of an element type (``fp16``, ``bf16``), or of a torch dtype."""
        if not isinstance(dtype, (str, int)):
            found = dtype_id_of_torch(dtype)
            if found is None:
                raise UsageError("dtype %s is not one of the ABI's element types (float16, bfloat16)" % (dtype,))
            dtype = found
        return self._code("DTYPE_", "dtype", dtype)

    def profile_code(self, profile):
        """The ABI code of a numerics profile (``cuda``, ``cdna3``, ``cdna4``), or None for the library's native one."""
        if profile is None:
            return self._int("qr_native_profile")
        return self._code("PROFILE_", "profile", profile)

    # ---- library and devices ----------------------------------------------------------------------------------------
    def platform(self):
        return self._str("qr_platform")

    def mutant(self):
        return self._str("qr_mutant")

    def kernel_count(self):
        return self._int("qr_kernel_count")

    def device_count(self):
        return self._int("qr_device_count")

    def describe(self, device=0):
        buf = ctypes.create_string_buffer(512)
        self._call("qr_device_describe", device, buf, len(buf))
        return buf.value.decode("utf-8", "replace")

    def profile_supported(self, device, profile):
        return self._int("qr_profile_supported", device, self.profile_code(profile)) == 1

    def group(self, world_size, device=0, profile=None, max_blocks=0, max_problem_bytes=-1, timeout=DEFAULT_TIMEOUT_S,
              placement="one_gpu"):
        """A :class:`Group` of ``world_size`` ranks in this process."""
        return Group(self, world_size, device, profile, max_blocks, max_problem_bytes, timeout, placement)

    def comms(self, device=0, profile=None, max_blocks=0, timeout=DEFAULT_TIMEOUT_S):
        """A :class:`Comms`: this process's rank of a group of processes."""
        return Comms(self, device, profile, max_blocks, timeout)


_loaded = {}
_loaded_lock = threading.Lock()


def load(path=None):
    """The :class:`Library` at ``path`` (see :func:`find_library`), loaded once per process and path."""
    p = find_library(path)
    with _loaded_lock:
        if p not in _loaded:
            _loaded[p] = Library(p)
        return _loaded[p]


def _timeout_ns(timeout):
    if timeout is None or timeout <= 0:
        raise UsageError("timeout must be a positive number of seconds, got %r" % (timeout,))
    return int(timeout * 1e9)


def _check_tensor(t, what, n=None, dtype=None, device=None):
    """A CUDA tensor the kernels can read or write in place: float16/bfloat16, contiguous, 16-byte aligned."""
    if not is_tensor(t):
        raise UsageError("%s is a %s, not a torch.Tensor (the GPU library works on CUDA tensors)" % (what, type(t).__name__))
    if t.device.type != "cuda":
        raise UsageError("%s is on %s; the GPU library needs CUDA tensors" % (what, t.device))
    found = dtype_of_tensor(t)
    if found is None:
        raise UsageError("%s is %s; expected torch.float16 or torch.bfloat16" % (what, t.dtype))
    if dtype is not None and found != dtype:
        raise UsageError("%s is %s, the other tensors %s" % (what, found, dtype))
    if not t.is_contiguous():
        raise UsageError("%s is not contiguous (call .contiguous())" % what)
    if n is not None and t.numel() != n:
        raise UsageError("%s has %d elements, expected %d" % (what, t.numel(), n))
    if device is not None and t.device.index != device:
        raise UsageError("%s is on cuda:%s, its rank runs on cuda:%d" % (what, t.device.index, device))
    if t.data_ptr() % ALIGNMENT:
        raise UsageError("%s starts at 0x%x, which is not %d-byte aligned (the kernels move 16-byte vectors; a "
                         "slice that starts mid-vector needs .clone())" % (what, t.data_ptr(), ALIGNMENT))
    return found


def _synchronize(torch, devices):
    # the library runs on its own streams: what PyTorch queued on the tensors must be finished first
    for d in sorted(set(devices)):
        torch.cuda.synchronize(d)


class _KeepCurrentDevice(object):
    # libqr selects each rank's device on the calling thread, which PyTorch would then take as its current device
    def __init__(self, torch):
        self.torch = torch

    def __enter__(self):
        self.device = self.torch.cuda.current_device()

    def __exit__(self, *exc):
        self.torch.cuda.set_device(self.device)


class Group(object):
    """W ranks in this process (``qr_group_create``); close it (or use ``with``) to free its buffers."""

    def __init__(self, lib, world_size, device=0, profile=None, max_blocks=0, max_problem_bytes=-1,
                 timeout=DEFAULT_TIMEOUT_S, placement="one_gpu"):
        if placement not in PLACEMENTS:
            raise UsageError("placement '%s' is not one of %s" % (placement, ", ".join(PLACEMENTS)))
        self.lib = lib
        self.profile = lib.profile_code(profile)
        out = ctypes.c_uint64()
        lib._call("qr_group_create", int(world_size), int(max_problem_bytes), int(device), self.profile, int(max_blocks),
                  _timeout_ns(timeout), PLACEMENTS[placement], ctypes.byref(out))
        self.id = out.value
        self.world_size = lib._int("qr_group_world_size", self.id)
        self.max_blocks = lib._int("qr_group_max_blocks", self.id)
        total = ctypes.c_int64()
        lib._call("qr_group_total_bytes", self.id, ctypes.byref(total))
        self.total_bytes = total.value
        self.devices = [lib._int("qr_group_device", self.id, r) for r in range(self.world_size)]
        self._closed = False

    def __repr__(self):
        return "Group(id=%d, world_size=%d, devices=%s, max_blocks=%d)" % (self.id, self.world_size, self.devices,
                                                                          self.max_blocks)

    def state(self):
        return STATES[self.lib._int("qr_group_state", self.id)]

    def allreduce_ptrs(self, inputs, outputs, n, dtype, codec, cast_bf16_to_fp16=False):
        """One all-reduce of raw device pointers (rank r's on ``devices[r]``); returns when every rank is done."""
        self._check_open()
        w = self.world_size
        if len(inputs) != w or len(outputs) != w:
            raise UsageError("expected %d input and %d output pointers, got %d and %d" % (w, w, len(inputs), len(outputs)))
        ins = (ctypes.c_void_p * w)(*[int(p) for p in inputs])
        outs = (ctypes.c_void_p * w)(*[int(p) for p in outputs])
        self.lib._call("qr_group_allreduce", self.id, ins, outs, int(n), self.lib.dtype_code(dtype),
                       self.lib.quant_level(codec), 1 if cast_bf16_to_fp16 else 0)

    def allreduce(self, inputs, codec, outputs=None, cast_bf16_to_fp16=False):
        """All-reduces one CUDA tensor per rank (float16 or bfloat16, contiguous, equal sizes, rank r's on
        ``devices[r]``) into ``outputs`` (allocated like the inputs when None); returns the outputs."""
        torch = require_torch("Group.allreduce")
        w = self.world_size
        if len(inputs) != w:
            raise UsageError("expected %d input tensors (one per rank), got %d" % (w, len(inputs)))
        n = inputs[0].numel() if is_tensor(inputs[0]) else None
        dtype = _check_tensor(inputs[0], "input of rank 0", device=self.devices[0])
        for r in range(1, w):
            _check_tensor(inputs[r], "input of rank %d" % r, n, dtype, self.devices[r])
        if outputs is None:
            outputs = [torch.empty_like(t, memory_format=torch.contiguous_format) for t in inputs]
        elif len(outputs) != w:
            raise UsageError("expected %d output tensors (one per rank), got %d" % (w, len(outputs)))
        for r in range(w):
            _check_tensor(outputs[r], "output of rank %d" % r, n, dtype, self.devices[r])
        _synchronize(torch, self.devices)
        with _KeepCurrentDevice(torch):
            self.allreduce_ptrs([t.data_ptr() for t in inputs], [t.data_ptr() for t in outputs], n, dtype, codec,
                                cast_bf16_to_fp16)
        return outputs

    def _check_open(self):
        if self._closed:
            raise UsageError("group %d is closed" % self.id)

    def close(self):
        if not self._closed:
            self._closed = True
            self.lib._call("qr_group_destroy", self.id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Comms(object):
    """One rank of a group of processes (``qr_comms_*``): create, :meth:`init`, exchange :meth:`handle`s, then
    :meth:`open_handles` with every rank's handle in rank order; then :meth:`allreduce`. Close it when done."""

    def __init__(self, lib, device=0, profile=None, max_blocks=0, timeout=DEFAULT_TIMEOUT_S):
        self.lib = lib
        self.device = int(device)
        self.profile = lib.profile_code(profile)
        out = ctypes.c_uint64()
        lib._call("qr_comms_create", self.device, self.profile, int(max_blocks), _timeout_ns(timeout), ctypes.byref(out))
        self.id = out.value
        self._closed = False

    def __repr__(self):
        return "Comms(id=%d, device=%d, state=%s)" % (self.id, self.device, self.state())

    def state(self):
        return STATES[self.lib._int("qr_comms_state", self.id)]

    def init(self, world_size, rank, max_problem_bytes=-1):
        """Allocates and zeroes this rank's buffer (on the GPU)."""
        self.lib._call("qr_comms_init", self.id, int(world_size), int(rank), int(max_problem_bytes))

    @property
    def world_size(self):
        return self.lib._int("qr_comms_world_size", self.id)

    @property
    def rank(self):
        return self.lib._int("qr_comms_rank", self.id)

    @property
    def max_blocks(self):
        return self.lib._int("qr_comms_max_blocks", self.id)

    def handle(self):
        """This rank's buffer handle: 64 bytes to hand to every other rank."""
        buf = ctypes.create_string_buffer(HANDLE_BYTES)
        self.lib._call("qr_comms_get_handle", self.id, buf)
        return buf.raw

    def open_handles(self, handles):
        """Maps every rank's buffer; ``handles`` are the W handles in rank order (this rank's own included)."""
        handles = [bytes(h) for h in handles]
        bad = [r for r, h in enumerate(handles) if len(h) != HANDLE_BYTES]
        if bad:
            raise UsageError("handle of rank %d has %d bytes, expected %d" % (bad[0], len(handles[bad[0]]), HANDLE_BYTES))
        blob = ctypes.create_string_buffer(b"".join(handles), HANDLE_BYTES * len(handles))
        self.lib._call("qr_comms_open_handles", self.id, blob, len(handles))

    def allreduce(self, input, codec, output=None, cast_bf16_to_fp16=False, stream=None):
        """All-reduces this rank's CUDA tensor with every other rank's; ``stream`` (a torch.cuda.Stream) defaults to the
        current stream of the tensor's device. Returns ``output`` (allocated like the input when None) when the call
        has completed."""
        torch = require_torch("Comms.allreduce")
        self._check_open()
        dtype = _check_tensor(input, "input", device=self.device)
        if output is None:
            output = torch.empty_like(input, memory_format=torch.contiguous_format)
        _check_tensor(output, "output", input.numel(), dtype, self.device)
        if stream is None:
            stream = torch.cuda.current_stream(self.device)
        if not stream.cuda_stream:
            # handle 0 makes the library use a stream of its own, which is not ordered after PyTorch's default stream
            _synchronize(torch, [self.device])
        with _KeepCurrentDevice(torch):
            self.lib._call("qr_comms_allreduce", self.id, input.data_ptr(), output.data_ptr(), input.numel(),
                           self.lib.dtype_code(dtype), self.lib.quant_level(codec), 1 if cast_bf16_to_fp16 else 0,
                           ctypes.c_void_p(stream.cuda_stream))
        return output

    def _check_open(self):
        if self._closed:
            raise UsageError("communicator %d is closed" % self.id)

    def close(self):
        if not self._closed:
            self._closed = True
            self.lib._call("qr_comms_destroy", self.id)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
