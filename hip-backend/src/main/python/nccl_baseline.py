#!/usr/bin/env python3
"""NCCL all-reduce baseline for the QuickReduce benchmarks: times torch.distributed.all_reduce on the same sizes and
dtypes as `qr bench`, one process per GPU, with NVLink multicast (NVLS) switched off everywhere.

Usage (on a machine with W GPUs and PyTorch):
    python3 nccl_baseline.py --nproc W [--sizes 65536,...] [--dtypes fp16,bf16] [--iters 50] [--warmup 10] --csv out.csv

Prints a fixed-width table (size, dtype, median latency in microseconds, algbw and busbw in GB/s as nccl-tests
computes them: algbw = bytes / time, busbw = algbw * 2 (W-1) / W) and writes the same rows as CSV. Latency is the
median over --iters calls timed with CUDA events after --warmup calls, on fresh non-zero inputs, and the slowest rank's
median is reported (the collective ends when its last rank ends).
"""
import argparse
import csv
import os
import statistics
import sys

# NVLink SHARP / multicast must stay off: on shared hosts it can take the GPUs out of service.
MULTICAST_OFF = {"NCCL_NVLS_ENABLE": "0", "TORCH_SYMM_MEM_DISABLE_MULTICAST": "1", "NVSHMEM_DISABLE_NVLS": "1"}
os.environ.update(MULTICAST_OFF)

DEFAULT_SIZES = [1 << k for k in range(16, 29, 2)]  # 64 Ki .. 256 Mi elements


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--nproc", type=int, required=True, help="processes = GPUs (1..8)")
    p.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES), help="element counts, comma-separated")
    p.add_argument("--dtypes", default="fp16,bf16", help="fp16 and/or bf16")
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--csv", required=True, help="where to write the rows")
    p.add_argument("--port", type=int, default=29517)
    a = p.parse_args(argv)
    if not 1 <= a.nproc <= 8:
        p.error("--nproc must be 1..8, got %d" % a.nproc)
    a.sizes = [int(s) for s in a.sizes.split(",") if s]
    a.dtypes = [d for d in a.dtypes.split(",") if d]
    for d in a.dtypes:
        if d not in ("fp16", "bf16"):
            p.error("unknown dtype %r (fp16 or bf16)" % d)
    return a


def worker(rank, args, queue):
    import torch
    import torch.distributed as dist

    os.environ.update(MULTICAST_OFF)
    torch.cuda.set_device(rank % torch.cuda.device_count())
    dist.init_process_group("nccl", init_method="tcp://127.0.0.1:%d" % args.port, world_size=args.nproc, rank=rank)
    dtypes = {"fp16": torch.float16, "bf16": torch.bfloat16}
    rows = []
    for dname in args.dtypes:
        for n in args.sizes:
            gen = torch.Generator(device="cuda").manual_seed(1000 * rank + n % 997)
            # several input sets, rotated, so that repeated calls do not run from cache
            sets = [torch.randn(n, device="cuda", dtype=dtypes[dname], generator=gen) for _ in range(4)]
            for i in range(args.warmup):
                dist.all_reduce(sets[i % 4])
            times = []
            for i in range(args.iters):
                start = torch.cuda.Event(enable_timing=True)
                end = torch.cuda.Event(enable_timing=True)
                start.record()
                dist.all_reduce(sets[i % 4])
                end.record()
                end.synchronize()
                times.append(start.elapsed_time(end) * 1000.0)  # ms -> us
            med = torch.tensor([statistics.median(times)], device="cuda")
            dist.all_reduce(med, op=dist.ReduceOp.MAX)
            rows.append((n, dname, med.item()))
            del sets
            torch.cuda.empty_cache()
    if rank == 0:
        queue.put(rows)
    dist.barrier()
    dist.destroy_process_group()


def main(argv):
    args = parse_args(argv)
    import torch
    import torch.multiprocessing as mp

    if not torch.cuda.is_available():
        print("nccl_baseline: no CUDA device visible", file=sys.stderr)
        return 3
    ctx = mp.get_context("spawn")
    queue = ctx.SimpleQueue()
    procs = [ctx.Process(target=worker, args=(r, args, queue)) for r in range(args.nproc)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        print("nccl_baseline: a rank failed (exit codes %s)" % [p.exitcode for p in procs], file=sys.stderr)
        return 1
    rows = queue.get()
    w = args.nproc
    print("# NCCL all_reduce, %d process(es), torch %s, NCCL %s, multicast off" % (w, torch.__version__, ".".join(map(str, torch.cuda.nccl.version()))))
    print("%12s %6s %12s %10s %10s" % ("elements", "dtype", "time(us)", "algbw", "busbw"))
    with open(args.csv, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["backend", "world_size", "elements", "dtype", "median_us", "algbw_GBps", "busbw_GBps"])
        for n, d, us in rows:
            algbw = 2.0 * n / (us * 1e-6) / 1e9
            busbw = algbw * 2 * (w - 1) / w if w > 1 else algbw
            print("%12d %6s %12.2f %10.2f %10.2f" % (n, d, us, algbw, busbw))
            out.writerow(["nccl", w, n, d, "%.3f" % us, "%.3f" % algbw, "%.3f" % busbw])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
