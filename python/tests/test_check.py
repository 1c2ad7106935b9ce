"""The bit-for-bit check: the CPU model's own outputs pass; a planted one-element corruption is reported on one line
that names the right rank, element, tile, atom, group, lane and thread (located here by walking the launch forwards,
not by the checker's division), the inputs and the got/want bits; the line is the one qr_check.py prints."""

import os
import random
import re
import subprocess
import sys

import numpy as np
import pytest

import qrref
from qrref.errors import UsageError

LINE = re.compile(r"^rule=(?P<rule>\S+) property=(?P<property>\S+) case=(?P<case>\S+) rank=(?P<rank>\d+) "
                  r"tile=(?P<tile>\d+) atom=(?P<atom>\d+) group=(?P<group>\d+) lane=(?P<lane>even|odd) "
                  r"thread=(?P<thread>\d+) element=(?P<element>\d+) in=\[(?P<inputs>[0-9A-Fx,]+)\] "
                  r"got=(?P<got>0x[0-9A-F]{4}) want=(?P<want>0x[0-9A-F]{4}) seed=(?P<seed>0x[0-9A-F]{16}) "
                  r"repro: (?P<repro>.+)$")


def launch_map(n, geometry):
    """(tile, atom, thread, group, odd) of every element below n, by enumerating the launch as the dossier lays it
    out: thread t of atom i of tile b holds the vector of elements b*T + i*A + V*t ... +V-1; the even and odd
    positions of 8 threads' vectors form two groups."""
    T, A, V, G = (geometry[k] for k in ("tile_elements", "atom_elements", "vector_elements", "group_threads"))
    where = {}
    for b in range((n + T - 1) // T):
        for i in range(T // A):
            for t in range(A // V):
                for j in range(V):
                    e = b * T + i * A + V * t + j
                    if e < n:
                        where[e] = (b, i, t, 2 * (t // G) + (j % 2), "odd" if j % 2 else "even")
    return where


def outputs_of(case, as_="numpy"):
    return [case.expected(as_=as_) for _ in range(case.world_size)]


def flip(outputs, rank, element, mask=0x0001):
    out = [o.copy() for o in outputs]
    out[rank].view(np.uint16)[element] ^= mask
    return out


def test_the_models_outputs_pass_for_every_case(vector_set):
    for case in vector_set:
        result = case.check(outputs_of(case))
        assert result.ok and result.wrong == 0 and result.report() == "", case.id
        assert case.check(case.expected()).ok, "a single output is compared as rank 0's"
        case.release()


def representative_cases(vector_set):
    """One case per (codec, data path) and per world size, preferring the two-tile specials cases."""
    seen = set()
    chosen = []
    for case in sorted(vector_set, key=lambda c: (c.kind != "specials", c.id)):
        for key in (("c", case.codec, case.data_path), ("w", case.world_size)):
            if key not in seen:
                seen.add(key)
                if case not in chosen:
                    chosen.append(case)
    return chosen


def test_a_planted_corruption_is_named_on_one_line(vector_set):
    rng = random.Random(20261204)
    checked = 0
    for case in representative_cases(vector_set):
        where = launch_map(case.n, vector_set.geometry)
        want = case.expected(as_="bits")
        nan = qrref.check.nan_mask(want, vector_set.dtypes[case.dtype])
        for _ in range(3):
            rank = rng.randrange(case.world_size)
            element = rng.choice([e for e in (rng.randrange(case.n) for _ in range(50)) if not nan[e]])
            result = case.check(flip(outputs_of(case), rank, element))
            assert not result.ok and result.wrong == 1
            assert (result.rank, result.element) == (rank, element)
            m = LINE.match(result.line)
            assert m, result.line
            tile, atom, thread, group, lane = where[element]
            assert (int(m["tile"]), int(m["atom"]), int(m["thread"]), int(m["group"]), m["lane"]) == (tile, atom, thread, group, lane)
            assert (m["rule"], m["property"], m["case"], int(m["rank"]), int(m["element"])) == (
                vector_set.failure_rule, vector_set.property, case.id, rank, element)
            assert int(m["want"], 16) == int(want[element]) and int(m["got"], 16) == int(want[element]) ^ 1
            assert [int(x, 16) for x in m["inputs"].split(",")] == [int(b[element]) for b in case.input_bits()]
            assert m["seed"] == case.seed
            assert m["repro"] == "./qr conformance --backend gpu --case %s --isolate %d" % (case.id, element)
            assert result.count_line == "  1 wrong element(s), seed %s" % case.seed
            checked += 1
        case.release()
    assert checked >= 3 * len(vector_set.values("codec"))


def test_the_first_wrong_rank_and_element_are_named_and_every_wrong_element_counted(vector_set):
    case = next(c for c in vector_set if c.world_size >= 4 and c.n > 2048)
    out = flip(flip(flip(outputs_of(case), 3, 2000), 1, 17), 1, 900)
    result = case.check(out)
    assert (result.rank, result.element, result.wrong) == (1, 17, 3)


def test_a_nan_matches_any_nan_but_not_a_number(vector_set):
    case = next(c for c in vector_set if c.kind == "specials" and np.any(
        qrref.check.nan_mask(c.expected(as_="bits"), vector_set.dtypes[c.dtype])))
    info = vector_set.dtypes[case.dtype]
    want = case.expected(as_="bits")
    e = int(np.flatnonzero(qrref.check.nan_mask(want, info))[0])
    out = outputs_of(case)
    other_nan = (int(want[e]) ^ info["fraction_mask"]) | 1  # another payload, still a NaN
    for o in out:
        o.view(np.uint16)[e] = other_nan
    assert qrref.check.nan_mask(np.array([other_nan], dtype=np.uint16), info)[0]
    assert case.check(out).ok
    out[0].view(np.uint16)[e] = 0
    assert case.check(out).element == e
    # an infinity is a number: it matches neither a NaN nor the other infinity
    inf = info["exponent_mask"]
    out = outputs_of(case)
    out[1].view(np.uint16)[e] = inf
    assert case.check(out).element == e
    def infinities(c):
        return (c.expected(as_="bits") & 0x7FFF) == vector_set.dtypes[c.dtype]["exponent_mask"]
    infinite = [c for c in vector_set if c.kind == "specials" and np.any(infinities(c))]
    assert infinite, "the set has infinite outputs"
    case = infinite[0]
    inf = vector_set.dtypes[case.dtype]["exponent_mask"]
    k = int(np.flatnonzero(infinities(case))[0])
    for bits in (inf | 1, int(case.expected(as_="bits")[k]) ^ 0x8000):
        out = outputs_of(case)
        out[0].view(np.uint16)[k] = bits
        assert case.check(out).element == k, hex(bits)


def test_an_output_of_the_wrong_length_is_a_failure_line(vector_set):
    case = vector_set.cases[0]
    out = outputs_of(case)
    out[1] = out[1][:-8]
    result = case.check(out)
    assert not result.ok
    assert result.line.startswith("rule=%s property=%s case=%s rank=1 output holds %d elements, expected %d seed=%s repro: "
                                  % (vector_set.failure_rule, vector_set.property, case.id, case.n - 8, case.n, case.seed))
    assert result.count_line.endswith("1 problem(s), seed %s" % case.seed)


def test_outputs_that_cannot_be_compared_are_usage_errors(vector_set):
    case = vector_set.cases[0]
    with pytest.raises(UsageError, match="dtype float32"):
        case.check([o.astype(np.float32) for o in outputs_of(case)])
    if case.world_size > 2:
        with pytest.raises(UsageError, match="got 2 outputs for a case of"):
            case.check(outputs_of(case)[:2])
    with pytest.raises(UsageError, match="got %d outputs" % (case.world_size + 1)):
        case.check(outputs_of(case) + [case.expected()])


def test_assert_outputs_raises_an_assertion_error_holding_the_report(vector_set):
    case = vector_set.cases[3]
    with pytest.raises(qrref.Mismatch) as e:
        case.assert_outputs(flip(outputs_of(case), 0, 5))
    assert isinstance(e.value, AssertionError)
    assert str(e.value) == e.value.result.line + "\n" + e.value.result.count_line
    assert " element=5 " in str(e.value)
    assert case.assert_outputs(outputs_of(case)).ok


def test_tensors_are_compared_by_their_bits(vector_set, torch):
    case = next(c for c in vector_set if c.dtype == "bf16" and c.n > 8)
    tensors = outputs_of(case, as_="torch")
    assert tensors[0].dtype == torch.bfloat16
    assert case.check(tensors).ok
    tensors[1] = tensors[1].clone()
    tensors[1].view(torch.int16)[7] ^= 0x0100
    result = case.check(tensors)
    assert (result.rank, result.element) == (1, 7)
    # a 2-D (W, n) tensor is W outputs
    assert case.check(torch.stack(outputs_of(case, as_="torch"))).ok


def test_the_line_is_the_one_qr_check_prints(vector_set, vectors_dir, tmp_path):
    """The checker that ships with the set (and that the JVM suite's tests hold to its Failure format) reads the same
    outputs from files; its failure lines must be ours, character for character."""
    checker = os.path.join(vectors_dir, "qr_check.py")
    cases = representative_cases(vector_set)[:6]
    ours = []
    for k, case in enumerate(cases):
        out = flip(outputs_of(case), k % case.world_size, (37 * k + 11) % case.n, 0x0040)
        folder = tmp_path / case.id
        folder.mkdir()
        for r, o in enumerate(out):
            np.save(str(folder / ("out_rank%d.npy" % r)), o)
        result = case.check(out)
        ours += [result.line, result.count_line]
    p = subprocess.run([sys.executable, checker, vectors_dir, str(tmp_path)] + sum((["--select", c.id] for c in cases), []),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert p.returncode == 1, p.stderr
    theirs = [l for l in p.stdout.splitlines() if l.startswith("rule=") or l.startswith("  ") and "seed" in l]
    assert sorted(theirs) == sorted(ours)
