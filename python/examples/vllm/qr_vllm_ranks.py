"""One process per GPU, each holding vLLM ``QuickAllReduce`` objects, fed the cases of a vector set by the test process.

vLLM's QuickAllReduce is built from a CPU (gloo) process group and a device, takes its codec and the bf16 cast from
the environment variables VLLM_ROCM_QUICK_REDUCE_QUANTIZATION (FP, INT8, INT6, INT4, ...) and
VLLM_ROCM_QUICK_REDUCE_CAST_BF16_TO_FP16 when it is built, and all-reduces one tensor per rank with
``quick_all_reduce(tensor)``. Check these names against the vLLM version under test.

This module has a name of its own (not conftest.py) because the rank processes are spawned and import it by name.
"""

import multiprocessing
import os
import traceback

CODEC_ENV = "VLLM_ROCM_QUICK_REDUCE_QUANTIZATION"
CAST_ENV = "VLLM_ROCM_QUICK_REDUCE_CAST_BF16_TO_FP16"


def _rank_main(rank, world, init_file, device, vectors, tasks, results):
    try:
        import torch
        import torch.distributed as dist
        import qrref
        from qrref.arrays import to_bits
        from vllm.distributed.device_communicators.quick_all_reduce import QuickAllReduce
        if device.startswith("cuda"):
            torch.cuda.set_device(device)
        dist.init_process_group("gloo", init_method="file://" + init_file, rank=rank, world_size=world)
        cases = qrref.load_vectors(vectors, verify=False)  # the test process verified the set
    except Exception:
        results.put((rank, None, traceback.format_exc()))
        return
    comms = {}
    while True:
        case_id = tasks.get()
        if case_id is None:
            break
        try:
            case = cases[case_id]
            key = (case.codec, case.cast)
            if key not in comms:
                # every rank meets the cases in the same order, so the objects are built together
                os.environ[CODEC_ENV] = case.codec.upper()
                os.environ[CAST_ENV] = "1" if case.cast else "0"
                comms[key] = QuickAllReduce(group=dist.group.WORLD, device=device)
            x = case.inputs(as_="torch", device=device)[rank]
            results.put((rank, case_id, to_bits(comms[key].quick_all_reduce(x))))
            case.release()
        except Exception:
            results.put((rank, case_id, traceback.format_exc()))
    for c in comms.values():
        if hasattr(c, "close"):
            c.close()
    dist.destroy_process_group()


class RankPool(object):
    """W spawned processes, rank r on ``device_of(r)``; :meth:`run` all-reduces one case and returns every rank's
    output as raw bits (rank order). A rank that fails or stays silent for ``timeout`` seconds fails the call."""

    def __init__(self, world, vectors, device_of, workdir, timeout=300):
        ctx = multiprocessing.get_context("spawn")
        self.world = world
        self.timeout = timeout
        self.results = ctx.Queue()
        self.tasks = [ctx.Queue() for _ in range(world)]
        init_file = os.path.join(str(workdir), "rendezvous-w%d" % world)
        self.procs = [ctx.Process(target=_rank_main, args=(r, world, init_file, device_of(r), vectors, self.tasks[r],
                                                           self.results), daemon=True) for r in range(world)]
        for p in self.procs:
            p.start()
        self.broken = None

    def run(self, case):
        if self.broken:
            raise RuntimeError("the rank processes stopped after an earlier failure: %s" % self.broken)
        for q in self.tasks:
            q.put(case.id)
        outputs = [None] * self.world
        try:
            for _ in range(self.world):
                rank, case_id, value = self.results.get(timeout=self.timeout)
                if isinstance(value, str):
                    raise RuntimeError("rank %d failed on %s:\n%s" % (rank, case_id, value))
                outputs[rank] = value
        except Exception as e:
            # the other ranks may wait in a collective forever: stop them all; the caller starts a new pool
            self.broken = str(e).splitlines()[0] if str(e) else "no answer within %s s" % self.timeout
            self.close()
            raise
        return outputs

    def close(self):
        for q in self.tasks:
            q.put(None)
        for p in self.procs:
            p.join(timeout=30)
            if p.exitcode is None:
                p.terminate()
