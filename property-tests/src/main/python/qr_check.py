#!/usr/bin/env python3
"""Check a QuickReduce kernel's outputs against golden vectors, bit for bit.

    python3 qr_check.py VECTORS_DIR OUTPUTS_DIR

VECTORS_DIR is a set written by ``./qr vectors --out VECTORS_DIR``::

    manifest.json                   cases, parameters, SHA-256 of every file
    <case-id>/in_rank<r>.npy        rank r's input (n elements)
    <case-id>/out.npy               the expected output, the same for every rank

OUTPUTS_DIR holds what the kernel under test produced, one folder per case, named by the case id::

    <case-id>/out_rank0.npy ... out_rank<W-1>.npy    every rank's output, or
    <case-id>/out.npy                               one output only (compared as rank 0's)

Each output is a .npy array of the case's n elements: '<f2' (float16) for fp16 cases and '<u2' (the raw bf16 bits)
for bf16 cases; any 2-byte dtype is accepted and compared as raw bits. Every case runs its W input files through one
all-reduce of W ranks with the case's codec, data path and profile (all in the manifest and in the case id
w<W>.<codec>.<path>.<profile>.n<N>.<kind>.b<grid cap>.s<seed>; the grid cap 0 means "the kernel's own").

The checker first verifies every vector file against the SHA-256 in the manifest, then compares bits (a NaN matches
any NaN of the same dtype; everything else must be identical). For each failing case it prints one line, in the
format of the JVM conformance suite:

    rule=RED-4 property=vectors case=<id> rank=R tile=T atom=A group=G lane=even|odd thread=H element=E
        in=[<every rank's input there>] got=0x.... want=0x.... seed=0x... repro: ./qr conformance ...

(the first wrong element of the first wrong rank; tile/atom/thread/group/lane locate it in the kernel's launch), then
the count of wrong elements over all ranks, then a summary table. Needs Python >= 3.9 and numpy, nothing else.

Exit status: 0 every case passed; 1 some case differs; 2 bad usage, missing files or corrupted vectors.
"""

import argparse
import fnmatch
import hashlib
import json
import os
import sys

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_BAD_INPUT = 2
SUPPORTED_FORMAT = 1
PROG = "qr_check"


class BadInput(Exception):
    """Something the user must fix before a comparison means anything (exit 2)."""


def fail_usage(message):
    print(PROG + ": " + message, file=sys.stderr)
    sys.exit(EXIT_BAD_INPUT)


def load_manifest(vectors_dir):
    path = os.path.join(vectors_dir, "manifest.json")
    if not os.path.isdir(vectors_dir):
        raise BadInput("vectors directory '%s' does not exist" % vectors_dir)
    if not os.path.isfile(path):
        raise BadInput("'%s' not found: VECTORS_DIR must be a set written by ./qr vectors --out DIR" % path)
    try:
        with open(path, "r", encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput("cannot read '%s': %s" % (path, e))
    if manifest.get("format") != "qr-golden-vectors":
        raise BadInput("'%s' is not a QuickReduce vector manifest" % path)
    if manifest.get("format_version") != SUPPORTED_FORMAT:
        raise BadInput("'%s' has format version %s; this checker reads version %d (use the checker that came with the set)"
                       % (path, manifest.get("format_version"), SUPPORTED_FORMAT))
    return manifest


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_vectors(vectors_dir, cases):
    """Checks every vector file of the selected cases against the manifest; returns (files verified, problems)."""
    problems = []
    verified = 0
    for case in cases:
        for entry in case["files"]:
            rel = os.path.join(case["id"], entry["name"])
            path = os.path.join(vectors_dir, rel)
            if not os.path.isfile(path):
                problems.append("vector file missing: %s" % rel)
                continue
            digest = sha256(path)
            if digest != entry["sha256"]:
                problems.append("vector file corrupted: %s: SHA-256 %s does not match the manifest's %s"
                                % (rel, digest, entry["sha256"]))
                continue
            verified += 1
    return verified, problems


def output_files(outputs_dir, case):
    """The kernel's output files of a case: one per rank, or a single out.npy; None when there is none."""
    folder = os.path.join(outputs_dir, case["id"])
    ranks = [os.path.join(folder, "out_rank%d.npy" % r) for r in range(case["world_size"])]
    present = [p for p in ranks if os.path.isfile(p)]
    if present:
        missing = [p for p in ranks if not os.path.isfile(p)]
        if missing:
            raise BadInput("'%s' is missing (the case has %d ranks: out_rank0.npy ... out_rank%d.npy, or a single out.npy)"
                           % (missing[0], case["world_size"], case["world_size"] - 1))
        return ranks
    single = os.path.join(folder, "out.npy")
    if os.path.isfile(single):
        return [single]
    return None


def load_bits(np, path):
    """A .npy file's elements as raw little-endian 16-bit patterns (1-D)."""
    try:
        a = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as e:
        raise BadInput("cannot read '%s': %s" % (path, e))
    if a.dtype.itemsize != 2:
        raise BadInput("'%s' has dtype %s (%d-byte elements); expected 2-byte elements: '<f2' for fp16, '<u2' raw bits for bf16"
                       % (path, a.dtype, a.dtype.itemsize))
    a = np.ascontiguousarray(a).reshape(-1)
    if a.dtype.byteorder == ">" or (a.dtype.byteorder == "=" and sys.byteorder == "big"):
        a = a.byteswap().view(a.dtype.newbyteorder("<"))
    return a.view("<u2")


def coordinates(geometry, element):
    """Where an element sits in the launch, as dev.qrref.spec.Geometry.coordinates computes it."""
    tile_elements = geometry["tile_elements"]
    atom_elements = geometry["atom_elements"]
    vector_elements = geometry["vector_elements"]
    in_tile = element % tile_elements
    in_atom = in_tile % atom_elements
    thread = in_atom // vector_elements
    j = in_atom % vector_elements
    odd = (j & 1) == 1
    return {
        "tile": element // tile_elements,
        "atom": in_tile // atom_elements,
        "thread": thread,
        "group": 2 * (thread // geometry["group_threads"]) + (1 if odd else 0),
        "lane": "odd" if odd else "even",
    }


def hex16(v):
    return "0x%04X" % (int(v) & 0xFFFF)


def nan_mask(bits, dtype_info):
    e = dtype_info["exponent_mask"]
    f = dtype_info["fraction_mask"]
    return ((bits & e) == e) & ((bits & f) != 0)


def repro(manifest, case_id, element=None):
    """The manifest's repro command for a case, narrowed to one element's span when one is named."""
    command = manifest["repro"].replace("{case}", case_id)
    if element is not None:
        command += manifest["repro_isolate"].replace("{element}", str(element))
    return command


def check_case(np, manifest, vectors_dir, case, files):
    """Compares one case; returns (wrong elements, the failure line or None, detail for the count line)."""
    n = case["n"]
    dtype_info = manifest["dtypes"][case["dtype"]]
    folder = os.path.join(vectors_dir, case["id"])
    want = load_bits(np, os.path.join(folder, "out.npy"))
    if want.shape[0] != n:
        raise BadInput("vector '%s/out.npy' holds %d elements, the manifest says %d" % (case["id"], want.shape[0], n))
    want_nan = nan_mask(want, dtype_info)
    head = "rule=%s property=%s case=%s" % (manifest["failure_rule"], manifest["property"], case["id"])
    tail = "seed=%s repro: %s" % (case["seed"], repro(manifest, case["id"]))
    wrong = 0
    first = None
    for rank, path in enumerate(files):
        got = load_bits(np, path)
        if got.shape[0] != n:
            line = "%s rank=%d %s holds %d elements, expected %d %s" % (head, rank, os.path.basename(path), got.shape[0], n, tail)
            return 1, line, "problem(s)"
        bad = (got != want) & ~(nan_mask(got, dtype_info) & want_nan)
        count = int(np.count_nonzero(bad))
        if count and first is None:
            first = (rank, int(np.flatnonzero(bad)[0]), got)
        wrong += count
    if first is None:
        return 0, None, None
    rank, element, got = first
    inputs = []
    for r in range(case["world_size"]):
        inputs.append(hex16(load_bits(np, os.path.join(folder, "in_rank%d.npy" % r))[element]))
    c = coordinates(manifest["geometry"], element)
    line = ("%s rank=%d tile=%d atom=%d group=%d lane=%s thread=%d element=%d in=[%s] got=%s want=%s seed=%s repro: %s"
            % (head, rank, c["tile"], c["atom"], c["group"], c["lane"], c["thread"], element, ",".join(inputs),
               hex16(got[element]), hex16(want[element]), case["seed"], repro(manifest, case["id"], element)))
    return wrong, line, "wrong element(s)"


def summary_table(rows):
    """nccl-tests style: one row per (world size, codec), codecs in quant-level order."""
    lines = ["# %-6s %3s %7s %7s %7s %10s" % ("codec", "W", "cases", "passed", "failed", "wrong")]
    for (w, _, codec), r in sorted(rows.items()):
        lines.append("  %-6s %3d %7d %7d %7d %10d" % (codec, w, r[0], r[1], r[2], r[3]))
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="qr_check.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Checks a QuickReduce kernel's outputs against golden vectors written by ./qr vectors, bit for bit.",
        epilog=__doc__.split("\n", 2)[2])
    p.add_argument("vectors_dir", metavar="VECTORS_DIR", help="the vector set (holds manifest.json)")
    p.add_argument("outputs_dir", metavar="OUTPUTS_DIR", help="the kernel's outputs: <case-id>/out_rank<r>.npy or <case-id>/out.npy")
    p.add_argument("--select", metavar="GLOB", action="append",
                   help="check only cases whose id matches GLOB (fnmatch; repeatable), e.g. 'w8.int4.*'")
    p.add_argument("--allow-missing", action="store_true",
                   help="skip cases without an output folder instead of failing (they are counted as not run)")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        import numpy as np
    except ImportError:
        fail_usage("needs numpy (python3 -m pip install numpy)")
    try:
        manifest = load_manifest(args.vectors_dir)
        cases = manifest["cases"]
        if args.select:
            cases = [c for c in cases if any(fnmatch.fnmatchcase(c["id"], g) for g in args.select)]
            if not cases:
                raise BadInput("no case of the manifest matches --select %s" % " ".join(args.select))
        if not os.path.isdir(args.outputs_dir):
            raise BadInput("outputs directory '%s' does not exist" % args.outputs_dir)

        verified, problems = verify_vectors(args.vectors_dir, cases)
        if problems:
            for line in problems:
                print(PROG + ": " + line, file=sys.stderr)
            raise BadInput("%d vector file(s) missing or corrupted in '%s': write the set again (./qr vectors --out DIR)"
                           % (len(problems), args.vectors_dir))

        planned = []
        missing = []
        for case in cases:
            files = output_files(args.outputs_dir, case)
            if files is None:
                missing.append(case["id"])
            else:
                planned.append((case, files))
        if missing and not args.allow_missing:
            raise BadInput("no kernel output for %d of %d case(s), e.g. '%s' (expected out_rank<r>.npy for every rank, or out.npy; "
                           "--allow-missing skips such cases)"
                           % (len(missing), len(cases), os.path.join(args.outputs_dir, missing[0], "out_rank0.npy")))

        rows = {}
        failed = 0
        wrong_total = 0
        for case, files in planned:
            wrong, line, unit = check_case(np, manifest, args.vectors_dir, case, files)
            row = rows.setdefault((case["world_size"], case["quant_level"], case["codec"]), [0, 0, 0, 0])
            row[0] += 1
            if line is None:
                row[1] += 1
                continue
            row[2] += 1
            row[3] += wrong
            failed += 1
            wrong_total += wrong
            print(line)
            print("  %d %s, seed %s" % (wrong, unit, case["seed"]))
    except BadInput as e:
        fail_usage(str(e))

    print("#")
    print(summary_table(rows))
    print("# vectors: %d file(s) verified against the manifest's SHA-256" % verified)
    checked = len(planned)
    skipped = " (%d case(s) without output skipped)" % len(missing) if missing else ""
    if failed:
        print("FAIL: %d of %d case(s) differ, %d wrong element(s)%s" % (failed, checked, wrong_total, skipped))
        return EXIT_MISMATCH
    print("PASS: %d case(s) bit-exact%s" % (checked, skipped))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
