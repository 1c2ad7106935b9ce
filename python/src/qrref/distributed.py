"""One process per rank: a :class:`qrref.native.Comms` per process, its IPC handle exchanged through
``torch.distributed``.

Every rank sets up its communicator and then takes part in one ``all_gather_object``, whatever happened: a rank whose
set-up failed sends its error instead of a handle, so that every rank raises (naming the failing rank and its
message) instead of waiting for a handle that never comes. Any backend that carries Python objects works (``gloo``
included), so the exchange itself needs no GPU.
"""

from .arrays import require_torch
from .errors import QrError
from . import native


class ExchangeError(QrError):
    """Some rank could not set up its communicator; the message names every rank that failed and why."""


def exchange(local, group=None):
    """All ranks' ``local`` values in rank order, through ``torch.distributed.all_gather_object``."""
    dist = require_torch("the handle exchange").distributed
    if not dist.is_available() or not dist.is_initialized():
        raise QrError("torch.distributed is not initialised: call torch.distributed.init_process_group first")
    gathered = [None] * dist.get_world_size(group)
    dist.all_gather_object(gathered, local, group=group)
    return gathered


def comms_from_process_group(lib=None, group=None, device=None, profile=None, max_blocks=0, max_problem_bytes=-1,
                             timeout=native.DEFAULT_TIMEOUT_S, _exchange=exchange):
    """This process's :class:`~qrref.native.Comms`, ready for ``allreduce``: rank and world size from the
    ``torch.distributed`` group, ``device`` defaulting to the current CUDA device, the library from
    :func:`qrref.native.load` unless one is given."""
    dist = require_torch("comms_from_process_group").distributed
    rank = dist.get_rank(group)
    world = dist.get_world_size(group)
    comms = None
    try:
        if lib is None:
            lib = native.load()
        if device is None:
            device = require_torch("comms_from_process_group").cuda.current_device()
        comms = lib.comms(device, profile, max_blocks, timeout)
        comms.init(world, rank, max_problem_bytes)
        local = ("ok", comms.handle())
    except QrError as e:
        local = ("error", "%s: %s" % (type(e).__name__, e))
    everyone = _exchange(local, group)
    failed = ["rank %d: %s" % (r, v[1]) for r, v in enumerate(everyone) if v[0] != "ok"]
    if failed:
        if comms is not None:
            comms.close()
        raise ExchangeError("the QuickReduce set-up failed on %d of %d rank(s): %s" % (len(failed), world, "; ".join(failed)))
    try:
        comms.open_handles([v[1] for v in everyone])
    except QrError:
        comms.close()
        raise
    return comms
