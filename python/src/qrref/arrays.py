"""Moving 16-bit element data between raw bit patterns, NumPy arrays and PyTorch tensors.

Bit patterns are the common currency: a vector file holds them, the checker compares them, and a tensor of either
element type is reinterpreted, never converted, on its way in and out. NumPy has no bfloat16, so bf16 data on the NumPy
side is a ``uint16`` array of raw bits; on the PyTorch side it is a real ``torch.bfloat16`` tensor.

PyTorch is imported only when a tensor is asked for or handed in, so the package works with NumPy alone.
"""

import sys

import numpy as np

from .errors import Unavailable, UsageError

#: The element types of the C ABI and the vector manifest (``dtype`` ids), with their NumPy and PyTorch names. NumPy
#: has no bfloat16: bf16 arrays hold raw bits.
NUMPY_DTYPES = {"fp16": np.dtype("<f2"), "bf16": np.dtype("<u2")}
TORCH_DTYPE_NAMES = {"fp16": "float16", "bf16": "bfloat16"}

_torch = None


def torch_module():
    """PyTorch, or None when it cannot be imported."""
    global _torch
    if _torch is None:
        try:
            import torch
        except ImportError:
            return None
        _torch = torch
    return _torch


def require_torch(what):
    """PyTorch, or an Unavailable error naming what needed it."""
    torch = torch_module()
    if torch is None:
        raise Unavailable("%s needs PyTorch, which cannot be imported here (install torch, or ask for NumPy arrays)" % what)
    return torch


def is_tensor(value):
    """True for a torch.Tensor; never imports PyTorch for a value that cannot be one."""
    if "torch" not in sys.modules:
        return False
    return isinstance(value, sys.modules["torch"].Tensor)


def torch_dtype(dtype_id):
    torch = require_torch("a %s tensor" % dtype_id)
    return getattr(torch, TORCH_DTYPE_NAMES[dtype_id])


def dtype_id_of_torch(dtype):
    """The ABI dtype id of torch.float16 or torch.bfloat16, else None."""
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    for dtype_id, name in TORCH_DTYPE_NAMES.items():
        if dtype == getattr(torch, name):
            return dtype_id
    return None


def dtype_of_tensor(tensor):
    """The ABI dtype id of a float16 or bfloat16 tensor, else None."""
    return dtype_id_of_torch(tensor.dtype)


def to_bits(value, what="array"):
    """Any 2-byte NumPy array or PyTorch tensor (any device, any shape) as a flat little-endian uint16 NumPy array."""
    if is_tensor(value):
        if value.element_size() != 2:
            raise UsageError("%s is a %s tensor (%d-byte elements); expected float16 or bfloat16 (2-byte elements)"
                             % (what, value.dtype, value.element_size()))
        torch = sys.modules["torch"]
        flat = value.detach().reshape(-1)
        if flat.device.type != "cpu":
            flat = flat.cpu()
        # view as int16 first: NumPy cannot take a bfloat16 tensor, and uint16 tensors are not in every PyTorch
        return np.array(flat.contiguous().view(torch.int16).numpy().view(np.uint16), dtype="<u2")
    a = np.asarray(value)
    if a.dtype.itemsize != 2:
        raise UsageError("%s has dtype %s (%d-byte elements); expected 2-byte elements: float16 for fp16, uint16 raw "
                         "bits for bf16" % (what, a.dtype, a.dtype.itemsize))
    a = np.ascontiguousarray(a).reshape(-1)
    if a.dtype.byteorder == ">" or (a.dtype.byteorder == "=" and sys.byteorder == "big"):
        a = a.byteswap().view(a.dtype.newbyteorder("<"))
    return a.view("<u2")


def from_bits(bits, dtype_id, as_="numpy", device=None):
    """Raw bits as the element type ``dtype_id``: a NumPy array ('<f2' for fp16, '<u2' raw bits for bf16), the raw
    bits themselves (``as_="bits"``), or a PyTorch tensor of torch.float16 / torch.bfloat16 on ``device``."""
    bits = np.ascontiguousarray(bits, dtype="<u2")
    if as_ == "bits":
        return bits.copy()
    if as_ == "numpy":
        return bits.view(NUMPY_DTYPES[dtype_id]).copy()
    if as_ == "torch":
        torch = require_torch("as_='torch'")
        t = torch.from_numpy(bits.view(np.int16).copy()).view(torch_dtype(dtype_id))
        return t if device is None else t.to(device)
    raise UsageError("as_=%r is not one of 'numpy', 'torch', 'bits'" % (as_,))
