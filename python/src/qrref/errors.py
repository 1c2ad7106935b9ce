"""The exceptions of qrref. Every one carries a single line that says what is wrong and, where it can, how to fix it."""


class QrError(Exception):
    """Base class of every qrref error."""


class UsageError(QrError, ValueError):
    """A caller passed something unusable (wrong dtype, sizes that differ, an unknown name)."""


class VectorSetError(QrError):
    """A golden-vector set is missing, malformed, of another format version, or one of its files is corrupted."""


class Unavailable(QrError):
    """Something the call needs is not here: PyTorch, the qr command line and its JDK, libqr.so, or a GPU."""
