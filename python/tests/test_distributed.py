"""The handle exchange of one-process-per-rank runs, over a real torch.distributed group (gloo, CPU, several
processes), with a stand-in for libqr's communicator: every rank opens every rank's handle in rank order, and a rank
whose set-up fails makes every rank raise instead of leaving the others waiting."""

import multiprocessing
import traceback

import pytest

from qrref_testing import torch_or_skip

WORLD = 3


class FakeComms(object):
    def __init__(self, rank, fail):
        self.rank_ = rank
        self.fail = fail
        self.opened = None
        self.closed = False

    def init(self, world_size, rank, max_problem_bytes):
        if self.fail:
            from qrref.errors import QrError
            raise QrError("qr_comms_init(...): OUT_OF_MEMORY: planted on rank %d" % rank)
        self.world = world_size

    def handle(self):
        return bytes([self.rank_]) * 64

    def open_handles(self, handles):
        self.opened = handles

    def close(self):
        self.closed = True


class FakeLib(object):
    def __init__(self, rank, fail):
        self.made = FakeComms(rank, fail)

    def comms(self, device, profile, max_blocks, timeout):
        return self.made


def worker(rank, init_file, results):
    # one process group, two exchanges: every rank healthy, then rank 1 failing its set-up
    try:
        import torch.distributed as dist
        from qrref.distributed import ExchangeError, comms_from_process_group
        dist.init_process_group("gloo", init_method="file://" + init_file, rank=rank, world_size=WORLD)
        for failing_rank in (-1, 1):
            lib = FakeLib(rank, rank == failing_rank)
            try:
                comms = comms_from_process_group(lib=lib, device=0)
                results.put((failing_rank, rank, "ok", [h[0] for h in comms.opened]))
            except ExchangeError as e:
                results.put((failing_rank, rank, "error", str(e), lib.made.closed))
        dist.destroy_process_group()
    except Exception:
        results.put((None, rank, "crash", traceback.format_exc()))


@pytest.fixture(scope="module")
def exchanges(tmp_path_factory):
    """{failing rank (-1: none): {rank: what the rank got}} from WORLD spawned processes."""
    torch_or_skip()
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    init_file = str(tmp_path_factory.mktemp("dist") / "rendezvous")
    procs = [ctx.Process(target=worker, args=(r, init_file, results)) for r in range(WORLD)]
    for p in procs:
        p.start()
    got = {}
    try:
        for _ in range(2 * WORLD):
            item = results.get(timeout=120)
            assert item[2] != "crash", item[3]
            got.setdefault(item[0], {})[item[1]] = item[2:]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.exitcode is None:
                p.terminate()
    assert all(p.exitcode == 0 for p in procs)
    return got


def test_every_rank_opens_every_handle_in_rank_order(exchanges):
    assert exchanges[-1] == {r: ("ok", list(range(WORLD))) for r in range(WORLD)}


def test_a_failing_rank_makes_every_rank_raise_naming_it(exchanges):
    for r in range(WORLD):
        status, message, closed = exchanges[1][r]
        assert status == "error" and closed
        assert message == ("the QuickReduce set-up failed on 1 of %d rank(s): rank 1: QrError: qr_comms_init(...): "
                           "OUT_OF_MEMORY: planted on rank 1" % WORLD)


def test_without_an_initialised_group_the_error_says_so():
    torch_or_skip()
    from qrref.distributed import exchange
    from qrref.errors import QrError
    with pytest.raises(QrError, match="torch.distributed is not initialised"):
        exchange(("ok", b""))
