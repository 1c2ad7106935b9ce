#!/usr/bin/env python3
"""Fuzzing and interruption trials of the qr command line: nothing lost, nothing hung, no stack traces.

    python3 tools/fuzz/fuzz.py --size small            # CI: a few minutes on 2 cores
    python3 tools/fuzz/fuzz.py --size full --report target/fuzz

Three parts, each counted:

  npy       mutated .npy files (bytes changed, inserted, deleted or repeated in the header, the data cut or
            extended) read by `qr npy` and, where numpy is importable, by numpy.load: the two must agree on every
            file (accepted with the same dtype and length, or refused); then a share of them run through
            `qr allreduce --inputs` into an output folder, which must end complete (exit 0) or untouched.
  interrupt `qr allreduce --out-dir` over an earlier output set, killed with SIGKILL, SIGTERM or SIGINT at a random
            moment or inside its write phase: the folder must hold the old set or the new one (after SIGKILL a
            decided commit may wait for the next run), SIGTERM and SIGINT must leave no hidden file, and after the
            next run nothing may be left over.
  launch    `qr launch`: a rank killed (SIGKILL) must be named by the launcher within seconds; a launcher killed
            (SIGKILL, SIGTERM, SIGINT) must take its ranks and its rendezvous folder with it.

Every run has a time limit; a run that exceeds it is a hang. A line starting with "\\tat " or an "Exception in
thread" on stderr is a stack trace. The verdict line lists the counts; the exit status is 0 only if the problem
counts are all 0. Run from anywhere: the repository is the folder two levels above this file.
"""
import argparse
import hashlib
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QR = os.path.join(ROOT, "qr")

SIZES = {
    # files mutated, files run through allreduce, interruption trials per signal, launcher trials
    "small": dict(files=80, runs=12, trials=2, launch=1),
    "full": dict(files=400, runs=300, trials=16, launch=3),
}
RUN_TIMEOUT = 120


class Counts:
    def __init__(self):
        self.c = {}
        self.notes = []

    def add(self, key, n=1):
        self.c[key] = self.c.get(key, 0) + n

    def get(self, key):
        return self.c.get(key, 0)

    def note(self, text):
        self.notes.append(text)
        print("  " + text, flush=True)


def qr(args, timeout=RUN_TIMEOUT, **kw):
    """Runs ./qr; returns (exit code or None on timeout, stdout, stderr)."""
    try:
        p = subprocess.run([QR] + args, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace",
                           timeout=timeout, **kw)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or "", e.stderr or ""


def has_stack_trace(text):
    return bool(re.search(r"^\s+at [\w.$]+\(|^Exception in thread|^Caused by: ", text, re.M))


def hidden(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(".")) if os.path.isdir(folder) else []


def rank_files(folder):
    out = {}
    if os.path.isdir(folder):
        for n in os.listdir(folder):
            if re.fullmatch(r"rank\d+\.npy", n):
                with open(os.path.join(folder, n), "rb") as f:
                    out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


# ---- npy ------------------------------------------------------------------------------------------------------------

def npy_bytes(major, header, data):
    h = header.encode("latin1" if major < 3 else "utf8") if isinstance(header, str) else header
    length = struct.pack("<H", len(h)) if major == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([major, 0]) + length + h + data


def seeds(rnd):
    """Valid files as NumPy writes them, and other spellings NumPy reads."""
    n = rnd.choice([8, 16, 64, 2048])
    data = bytes(rnd.getrandbits(8) for _ in range(2 * n))
    pad = lambda text, prefix: text + " " * ((64 - (prefix + len(text) + 1) % 64) % 64) + "\n"
    out = []
    for descr in ["'<f2'", "'<u2'", "'|f2'", "'float16'", "'<e'", "'=H'"]:
        text = "{'descr': %s, 'fortran_order': False, 'shape': (%d,), }" % (descr, n)
        out.append((1, pad(text, 10), data))
    out.append((2, pad("{'descr': '<f2', 'fortran_order': False, 'shape': (%d,), }" % n, 12), data))
    out.append((3, pad("{'descr': '<u2', 'fortran_order': False, 'shape': (%d,), }" % n, 12), data))
    out.append((1, "{'shape': (%dL,), 'fortran_order': False, 'descr': '<f2'}" % n, data))
    return out


def mutate(rnd, major, header, data):
    h = bytearray(header.encode("latin1" if major < 3 else "utf8"))
    alphabet = b"{}()[]',:\"<>|=feuH2L0189 -+_xj.#\\\n\t\x00\x7f\x80\xe9\xff"
    for _ in range(rnd.randint(1, 3)):
        op = rnd.random()
        i = rnd.randrange(len(h) + 1)
        if op < 0.35 and h:
            h[min(i, len(h) - 1)] = rnd.choice(alphabet)
        elif op < 0.55:
            h.insert(i, rnd.choice(alphabet))
        elif op < 0.75 and h:
            del h[min(i, len(h) - 1)]
        elif op < 0.85 and h:
            j = min(len(h), i + rnd.randint(1, 8))
            h[i:i] = h[i:j]
        else:
            cut = rnd.choice([0, 1, len(data) // 2, len(data) - 1, len(data) + 1, len(data) + 64])
            data = (data + bytes(64))[:cut]
    content = npy_bytes(major, bytes(h), data)
    if rnd.random() < 0.05:
        # the fixed prefix: magic, version, header length
        b = bytearray(content)
        k = rnd.randrange(min(12, len(b)))
        b[k] = rnd.getrandbits(8)
        content = bytes(b)
    if rnd.random() < 0.03:
        content = content[:rnd.randrange(len(content))]
    return content


def numpy_verdict(path):
    import numpy as np
    import warnings
    warnings.simplefilter("ignore")
    try:
        a = np.load(path)
    except Exception:
        return "reject"
    if a.ndim == 1 and a.dtype.names is None and a.dtype.str in ("<f2", "<u2"):
        return "ok %s %d" % (a.dtype.str, a.shape[0])
    return "reject"


def part_npy(work, rnd, size, counts):
    print("== npy: %d mutated files" % size["files"], flush=True)
    folder = os.path.join(work, "npy")
    os.makedirs(folder)
    files = []
    for k in range(size["files"]):
        major, header, data = rnd.choice(seeds(rnd))
        path = os.path.join(folder, "m%04d.npy" % k)
        with open(path, "wb") as f:
            f.write(mutate(rnd, major, header, data))
        files.append(path)
    counts.add("npy files", len(files))
    # the reader, all files in one JVM
    code, out, err = qr(["npy"] + files, timeout=600)
    if code is None:
        counts.add("hangs")
        counts.note("qr npy did not finish")
        return
    if has_stack_trace(out + err):
        counts.add("stack traces")
        counts.note("qr npy printed a stack trace")
    ours = {}
    for line in out.splitlines():
        m = re.match(r"^(.*\.npy): (fp16|bf16) \('(<f2|<u2)'\), (\d+) elements", line)
        if m:
            ours[m.group(1)] = "ok %s %s" % (m.group(3), m.group(4))
        else:
            m = re.match(r"^(.*\.npy): ", line)
            if m:
                ours[m.group(1)] = "reject"
    if len(ours) != len(files):
        counts.add("npy lines missing", len(files) - len(ours))
    counts.add("npy accepted", sum(1 for v in ours.values() if v.startswith("ok")))
    try:
        import numpy
        # the reader follows NumPy 1.x (Debian's python3-numpy); NumPy 2 refuses a few odd spellings 1.x reads
        # (negative lengths, 'f2,'), so its differences are counted apart
        reference = numpy.__version__.startswith("1.")
        key = "numpy disagreements" if reference else "numpy %s differences (not the reference 1.x)" % numpy.__version__
        counts.note("numpy %s decides what should be accepted" % numpy.__version__)
        for f in files:
            want = numpy_verdict(f)
            if ours.get(f) != want:
                counts.add(key)
                counts.note("disagreement on %s: numpy %s, qr npy %s (header %r)" % (os.path.basename(f), want, ours.get(f),
                                                                                   open(f, "rb").read()[:120]))
    except ImportError:
        counts.note("numpy is not importable: the accept/refuse decisions are not compared")
    # end to end through allreduce
    for f in files[:size["runs"]]:
        out_dir = os.path.join(work, "npy-out", os.path.basename(f))
        code, out, err = qr(["allreduce", "-w", "2", "--codec", "int4", "--threads", "1", "--inputs", f, f,
                             "--allow-duplicate-inputs", "--out-dir", out_dir])
        counts.add("allreduce runs")
        if code is None:
            counts.add("hangs")
            counts.note("allreduce on %s did not finish" % f)
            continue
        if has_stack_trace(err):
            counts.add("stack traces")
            counts.note("allreduce on %s printed a stack trace: %s" % (f, err[-400:]))
        if code == 0:
            counts.add("allreduce exit 0")
            if len(rank_files(out_dir)) != 2 or hidden(out_dir):
                counts.add("partial output sets")
                counts.note("exit 0 but the output folder holds %s" % os.listdir(out_dir))
        else:
            counts.add("allreduce exit %d" % code)
            errors = [l for l in err.splitlines() if not re.match(r"qr [a-z-]+: (generating|running|computing|writing) ", l)]
            if len(errors) != 1:
                counts.add("multi-line errors")
                counts.note("exit %d with %d error lines on %s" % (code, len(errors), f))
            if os.path.exists(out_dir):
                counts.add("partial output sets")
                counts.note("exit %d left the output folder %s" % (code, os.listdir(out_dir)))


# ---- interruption ---------------------------------------------------------------------------------------------------

def allreduce_cmd(out_dir, seed, n):
    return [QR, "allreduce", "-w", "8", "--codec", "int4", "--random", str(n), "--seed", str(seed), "--threads", "1",
            "--out-dir", out_dir]


def part_interrupt(work, rnd, size, counts):
    n = 1 << 20
    print("== interrupt: %d trials per signal (8 ranks x %d elements)" % (size["trials"], n), flush=True)
    sets = {}
    duration = 1.0
    for name, seed in (("old", 11), ("new", 12)):
        d = os.path.join(work, "set-" + name)
        t_run = time.time()
        p = subprocess.run(allreduce_cmd(d, seed, n), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=RUN_TIMEOUT)
        if p.returncode != 0:
            counts.add("setup failures")
            counts.note("the %s set could not be made: %s" % (name, p.stderr[-300:]))
            return
        sets[name] = rank_files(d)
        duration = time.time() - t_run
    counts.note("a whole run takes %.1f s here: the random moments fall within it" % duration)
    trial = 0
    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
        for k in range(size["trials"]):
            trial += 1
            out_dir = os.path.join(work, "trial%03d" % trial)
            shutil.copytree(os.path.join(work, "set-old"), out_dir)
            proc = subprocess.Popen(allreduce_cmd(out_dir, 12, n), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE, text=True, errors="replace")
            in_write = k % 2 == 1
            err = ""
            t0 = time.time()
            if in_write:
                # wait for the write phase, then a moment more
                while True:
                    line = proc.stderr.readline()
                    if not line:
                        break
                    err += line
                    if ": writing " in line:
                        # the write phase and the commit take a fraction of a second: land anywhere in them
                        time.sleep(rnd.random() * 0.6)
                        break
            else:
                time.sleep(rnd.random() * duration)
            moment = time.time() - t0
            try:
                proc.send_signal(sig)
            except ProcessLookupError:
                pass
            try:
                rest = proc.communicate(timeout=30)[1]
                err += rest or ""
            except subprocess.TimeoutExpired:
                counts.add("hangs")
                counts.note("allreduce did not end within 30 s of %s" % sig.name)
                proc.kill()
                proc.communicate()
            if has_stack_trace(err):
                counts.add("stack traces")
                counts.note("%s: stack trace on stderr: %s" % (sig.name, err[-300:]))
            now = rank_files(out_dir)
            hid = hidden(out_dir)
            state = "old" if now == sets["old"] else "new" if now == sets["new"] else "mixed"
            decided = any(h.startswith(".qr-staging-") and os.path.exists(os.path.join(out_dir, h, "COMMIT")) for h in hid)
            if state == "mixed" and not (sig == signal.SIGKILL and decided):
                counts.add("partial output sets")
                counts.note("%s left a partial set without a commit marker: %s %s" % (sig.name, sorted(now), hid))
            if sig != signal.SIGKILL and hid:
                counts.add("temp files left")
                counts.note("%s left hidden files %s" % (sig.name, hid))
            counts.add("interrupt %s %s" % (sig.name, state + (" (commit pending)" if state == "mixed" else "")))
            # the next run into the folder settles what is left, then writes its own set
            code, out, err2 = qr(["allreduce", "-w", "8", "--codec", "int4", "--random", str(n), "--seed", "12", "--threads", "1",
                                  "--out-dir", out_dir])
            if code != 0 or rank_files(out_dir) != sets["new"]:
                counts.add("partial output sets")
                counts.note("the run after %s: exit %s, files %s" % (sig.name, code, sorted(rank_files(out_dir))))
            if hidden(out_dir):
                counts.add("temp files left")
                counts.note("after the next run: hidden files %s" % hidden(out_dir))
            if has_stack_trace(err2):
                counts.add("stack traces")
            counts.add("interrupt trials")
            print("  trial %d: %s after %.2f s%s: %s%s" % (trial, sig.name, moment, " (write phase)" if in_write else "", state,
                                                          ", commit pending" if decided else ""), flush=True)


# ---- launch ---------------------------------------------------------------------------------------------------------

STARTED = re.compile(r"processes started \(\w+, rendezvous (\S+), pids ([\d ]+)\)")


def start_launch(nproc):
    cmd = [QR, "launch", "--nproc", str(nproc), "--codec", "int4", "--random", "1048576", "--calls", "100000",
           "--timeout-s", "300"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            errors="replace")
    line = ""
    deadline = time.time() + 120
    while time.time() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        m = STARTED.search(line)
        if m:
            time.sleep(2.5)
            return proc, m.group(1), [int(x) for x in m.group(2).split()]
    proc.kill()
    return proc, None, []


def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


def wait_gone(pids, folder, seconds):
    t0 = time.time()
    while time.time() - t0 < seconds:
        if not any(alive(p) for p in pids) and not os.path.exists(folder):
            return time.time() - t0
        time.sleep(0.05)
    return None


def part_launch(work, rnd, size, counts):
    print("== launch: %d trial(s) of each kind" % size["launch"], flush=True)
    for k in range(size["launch"]):
        # a rank dies
        proc, folder, pids = start_launch(4)
        if folder is None:
            counts.add("setup failures")
            continue
        victim = rnd.randrange(len(pids))
        t0 = time.time()
        os.kill(pids[victim], signal.SIGKILL)
        try:
            err = proc.communicate(timeout=30)[1]
            seconds = time.time() - t0
            named = "rank %d (pid %d) ended with exit status 137 (killed by signal 9, SIGKILL)" % (victim, pids[victim]) in err
            if proc.returncode == 0 or not named:
                counts.add("launcher failures")
                counts.note("a killed rank was not named: exit %s, %s" % (proc.returncode, err[-300:]))
            if has_stack_trace(err):
                counts.add("stack traces")
            counts.note("rank %d killed: launcher exit %s after %.1f s" % (victim, proc.returncode, seconds))
            counts.add("dead-rank notice seconds max", 0)
            counts.c["dead-rank notice seconds max"] = max(counts.c["dead-rank notice seconds max"], round(seconds, 1))
        except subprocess.TimeoutExpired:
            counts.add("hangs")
            counts.note("the launcher did not notice a dead rank within 30 s")
            proc.kill()
        gone = wait_gone(pids, folder, 15)
        if gone is None:
            counts.add("orphaned ranks or folders")
            counts.note("after a dead rank: ranks alive %s, folder %s" % ([p for p in pids if alive(p)], os.path.exists(folder)))
        counts.add("launch trials")
        # the launcher dies
        for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            proc, folder, pids = start_launch(2)
            if folder is None:
                counts.add("setup failures")
                continue
            proc.send_signal(sig)
            try:
                proc.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                counts.add("hangs")
                proc.kill()
            gone = wait_gone(pids, folder, 15)
            if gone is None:
                counts.add("orphaned ranks or folders")
                counts.note("after %s to the launcher: ranks alive %s, folder %s" % (sig.name, [p for p in pids if alive(p)],
                                                                                   os.path.exists(folder)))
                for p in pids:
                    if alive(p):
                        os.kill(p, signal.SIGKILL)
            else:
                counts.note("%s to the launcher: ranks and folder gone %.1f s later" % (sig.name, gone))
            counts.add("launch trials")


PROBLEMS = ["stack traces", "hangs", "partial output sets", "temp files left", "numpy disagreements", "multi-line errors",
            "launcher failures", "orphaned ranks or folders", "setup failures", "npy lines missing"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(SIZES), default="small")
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--parts", default="npy,interrupt,launch", help="comma-separated: npy, interrupt, launch")
    ap.add_argument("--report", help="folder for summary.txt (created)")
    for k in ("files", "runs", "trials", "launch"):
        ap.add_argument("--" + k, type=int, help="override the size's number of " + k)
    args = ap.parse_args()
    size = dict(SIZES[args.size])
    for k in ("files", "runs", "trials", "launch"):
        if getattr(args, k) is not None:
            size[k] = getattr(args, k)
    rnd = random.Random(args.seed)
    counts = Counts()
    t0 = time.time()
    code, out, err = qr(["--version"], timeout=900)
    if code != 0:
        print("fuzz: ./qr does not run: " + err[-500:], file=sys.stderr)
        return 3
    work = tempfile.mkdtemp(prefix="qr-fuzz-")
    try:
        parts = args.parts.split(",")
        if "npy" in parts:
            part_npy(work, rnd, size, counts)
        if "interrupt" in parts:
            part_interrupt(work, rnd, size, counts)
        if "launch" in parts:
            part_launch(work, rnd, size, counts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lines = ["fuzz (%s, seed %d, %.0f s): %s" % (args.size, args.seed, time.time() - t0, out.strip())]
    for k in sorted(counts.c):
        lines.append("  %-40s %s" % (k, counts.c[k]))
    bad = {p: counts.get(p) for p in PROBLEMS}
    verdict = "PASS" if not any(bad.values()) else "FAIL"
    lines.append("%s: %s" % (verdict, ", ".join("%s %d" % (k, v) for k, v in bad.items())))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.report:
        os.makedirs(args.report, exist_ok=True)
        with open(os.path.join(args.report, "summary.txt"), "w") as f:
            f.write(text + "\nnotes:\n" + "\n".join(counts.notes) + "\n")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
