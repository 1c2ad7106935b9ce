"""qrref: the QuickReduce JVM reference as an oracle inside Python test suites.

* :func:`load_vectors` opens a golden-vector set written by ``qr vectors --out DIR`` (SHA-256 verified); each
  :class:`Case` gives its per-rank inputs as NumPy arrays or PyTorch tensors and checks a kernel's outputs bit for bit,
  reporting a difference on one line as the JVM conformance suite does.
* :func:`expected_allreduce` computes the expected outputs of any inputs with the CPU model (through ``qr allreduce``).
* :mod:`qrref.native` binds the project's GPU library (libqr.so) with ctypes: all-reduce of PyTorch CUDA tensors.
* The pytest plugin (``pytest --qr-vectors DIR``) parametrises tests over the cases of a set.

NumPy is the only requirement; PyTorch is imported only when tensors are asked for.
"""

__version__ = "0.1.0"

from .check import CheckResult, Mismatch, coordinates
from .errors import QrError, Unavailable, UsageError, VectorSetError
from .oracle import expected_allreduce, find_qr
from .vectors import Case, VectorSet, load as load_vectors

__all__ = ["__version__", "Case", "CheckResult", "Mismatch", "QrError", "Unavailable", "UsageError", "VectorSet",
           "VectorSetError", "coordinates", "expected_allreduce", "find_qr", "load_vectors"]
