"""Helpers shared by the tests (a module of its own name: several conftest.py files live under tests/)."""

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QR = os.path.join(ROOT, "qr")
LIBQR = os.path.join(ROOT, "kernels", "build", "cuda", "libqr.so")


def require(flag, reason):
    """Skip with ``reason``, or fail when the environment variable ``flag`` is 1."""
    if os.environ.get(flag) == "1":
        pytest.fail("%s (and %s=1 requires it)" % (reason, flag))
    pytest.skip(reason)


def torch_or_skip():
    try:
        import torch
    except ImportError:
        require("QRREF_REQUIRE_TORCH", "PyTorch is not importable here: the tensor paths are not tested")
    return torch
