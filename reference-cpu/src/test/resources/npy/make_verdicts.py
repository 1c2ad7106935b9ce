#!/usr/bin/env python3
"""Writes numpy_verdicts.tsv: .npy files, described by their bytes, with what numpy.load makes of each.

Run from this directory with the NumPy the verdicts should come from (the committed file: Debian's python3-numpy):
    python3 make_verdicts.py > numpy_verdicts.tsv

Each line after the first is: major version, header text as hex (its bytes after the length field), number of data
bytes (zeros), and the verdict: "ok <f2 N" or "ok <u2 N" when numpy.load gives a 1-D little-endian float16 or uint16
array of N elements without fields, else "reject <exception type>". The cases are hand-picked spellings (every form
the reader must accept, and near misses), dtype strings, and seeded random mutations of valid headers. The Java test
NpyNumpyVerdictsTest builds each file and requires the reader to agree.
"""
import io
import random
import struct
import sys
import tempfile
import os
import warnings

import numpy as np

warnings.simplefilter("ignore")


def file_bytes(major, header, data):
    h = header.encode("latin1" if major < 3 else "utf8") if isinstance(header, str) else header
    length = struct.pack("<H", len(h)) if major == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([major, 0]) + length + h + b"\0" * data, h


def verdict(content, path):
    with open(path, "wb") as f:
        f.write(content)
    try:
        a = np.load(path)
    except Exception as e:  # any refusal counts, whatever NumPy raises
        return "reject " + type(e).__name__
    if a.ndim == 1 and a.dtype.names is None and a.dtype.str in ("<f2", "<u2"):
        return "ok %s %d" % (a.dtype.str, a.shape[0])
    return "reject not-1d-f2-u2 (%s %s)" % (a.dtype.str, a.shape)


def header(descr="'<f2'", shape="(4,)", fortran="False"):
    return "{'descr': %s, 'fortran_order': %s, 'shape': %s, }\n" % (descr, fortran, shape)


def cases():
    base = header()
    yield 1, base, 8
    # spellings NumPy writes or accepts, and near misses
    for d in ["'<f2'", "'|f2'", "'=f2'", "'f2'", "'<e'", "'float16'", "'half'", "'<u2'", "'|u2'", "'=H'", "'uint16'",
              "'ushort'", "'>f2'", "'>u2'", "'<f4'", "'<i2'", "'|u1'", "'<f2 '", "' <f2'", "'<float16'", "'f 2'", "'f+2'",
              "'f02'", "'1f2'", "'()f2'", "'(1,)f2'", "'f2,'", "'f2,f2'", "'2f2'", "'<(1,)>f2'", "'(1)f2'", "'e2'",
              "\"<f2\"", "u'<f2'", "r'<f2'", "b'<f2'", "f'<f2'", "'<' 'f2'", "'\\x3cf2'", "'\\N{LESS-THAN SIGN}f2'",
              "('<f2', ())", "('<f2', 1)", "('<f2', (1,))", "('<f2', 2)", "('<f2', 0)", "('<f2', '<u2')",
              "('<f2', 'S2')", "('<f2', 'f4')", "('<f2', None)", "('<f2', True)", "('<f2', [2])", "('<f2', [])",
              "('<f2',)", "('<f2', (), 'x')", "[('a', '<f2')]", "[('', '<f2')]", "2", "None", "{'a': 1}"]:
        yield 1, header(descr=d), 8
    for s in ["(4,)", "(4)", "(0x4,)", "(0o4,)", "(0b100,)", "(4L,)", "(4 L,)", "(4l,)", "(+4,)", "(-1,)", "(-4,)",
              "(04,)", "(0_4,)", "(1_0,)", "(4.0,)", "(True,)", "(4j,)", "[4]", "()", "(4, 1)", "(1, 4)", "(2, 2)",
              "((4),)", "(-(4),)", "(- -4,)", "(3,)", "(5,)", "(0,)", "(00,)", "(99999999999999999999,)",
              "(9223372036854775807,)", "(-9223372036854775808,)", "(4,) # comment"]:
        yield 1, header(shape=s), 8
        yield 3, header(shape=s), 8
    for fo in ["True", "False", "0", "1", "None", "'False'", "false"]:
        yield 1, header(fortran=fo), 8
    text = "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }"
    for h in [text, text + "\n", "  " + text + "\n", "\t" + text, "\n" + text, "\n  " + text, "\f" + text,
              text + "\r\n", text + "\r", text + " x\n", text + " # note\n", text + "\n\n   \n", text + "\\\n",
              "(" + text + ")", text + ",", "{'descr': '<f2', # c\n 'fortran_order': False, 'shape': (4,)}",
              "{'descr': '<f2', \\\n 'fortran_order': False, 'shape': (4,)}", "{\n'descr': '<f2',\n'fortran_order': False,\n'shape': (4,)\n}",
              "{'descr': '<f2', 'descr': 1.5, 'fortran_order': False, 'shape': (4,)}",
              "{'descr': 1.5, 'descr': '<f2', 'fortran_order': False, 'shape': (4,)}",
              "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), 'x': 1}", "{'descr': '<f2', 'fortran_order': False}",
              "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), b'x': 1}",
              "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), 1: 2, True: 3}",
              "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), 'x': set()}",
              "{'descr': '<f2', 'fortran_order': False, 'shape': (4,)}...", "{'descr': '<f2', 'fortran_order': False, 'shape': (4,)}\0",
              "{'descr': '<f2',\xa0'fortran_order': False, 'shape': (4,)}", "{'descr': '<f2', 'fortran_order': False, 'shape': (1+2j,)}",
              "[1, 2]", "", "{}", "{'descr': '<f2' 'fortran_order': False, 'shape': (4,)}", "{'descr': '<f2, 'fortran_order': False}",
              "{" * 199 + "}" * 199, "(" * 201 + ")" * 201, text + " " * (10000 - len(text)), text + " " * (10001 - len(text))]:
        yield 1, h, 8
    yield 3, text, 8
    yield 3, "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), 'x': '\u00e9\u4e2d'}", 8
    yield 3, b"{'descr': '<f2', 'fortran_order': False, 'shape': (4,)}\xff", 8
    yield 2, base, 8
    # data lengths
    for n in [0, 6, 7, 9, 16, 100]:
        yield 1, base, n
        yield 1, header(shape="(-1,)"), n
        yield 1, header(descr="('<f2', 2)", shape="(-1,)"), n
    yield 1, header(descr="('<f2', 2)", shape="(2,)"), 8
    yield 1, header(descr="('<f2', 2)", shape="(0,)"), 8
    yield 1, header(descr="('<f2', 0)", shape="(0,)"), 8
    yield 1, header(descr="('<f2', 0)", shape="(4,)"), 8


DTYPE_ALPHABET = ["<", ">", "=", "|", "f", "e", "u", "H", "2", "1", "0", "(", ")", ",", " ", "i", "S", "b"]


def dtype_strings(rnd, count):
    """Random short dtype strings, weighted towards the ones NumPy accepts."""
    seen = set()
    while len(seen) < count:
        n = rnd.randint(1, 6)
        s = "".join(rnd.choice(DTYPE_ALPHABET) for _ in range(n))
        if s in seen:
            continue
        try:
            np.dtype(s)
            seen.add(s)
        except Exception:
            if rnd.random() < 0.15:
                seen.add(s)
    return sorted(seen)


def mutations(rnd, count):
    """Seeded mutations of valid headers: a byte changed, inserted or deleted, or a span repeated."""
    texts = [header(), header(descr="'<u2'"), header(shape="(1024,)"),
             "{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }" + " " * 60 + "\n"]
    alphabet = b"{}()[]',:\"<>|=fue2H0148 -+_xLjJ.#\\\n\t\x00\x80\xff"
    for _ in range(count):
        t = bytearray(rnd.choice(texts).encode("latin1"))
        for _ in range(rnd.randint(1, 3)):
            i = rnd.randrange(len(t))
            op = rnd.random()
            if op < 0.4:
                t[i] = rnd.choice(alphabet)
            elif op < 0.6:
                t.insert(i, rnd.choice(alphabet))
            elif op < 0.8:
                del t[i]
            else:
                j = min(len(t), i + rnd.randint(1, 6))
                t[i:i] = t[i:j]
        yield rnd.choice([1, 1, 2, 3]), bytes(t), rnd.choice([8, 8, 8, 6, 10, 2048])


def main():
    rnd = random.Random(20260512)
    all_cases = list(cases())
    for d in dtype_strings(rnd, 300):
        all_cases.append((1, header(descr=repr(d)), 8))
    all_cases.extend(mutations(rnd, 400))
    print("# numpy %s, python %s; columns: major, header hex, data bytes, verdict" % (np.__version__, sys.version.split()[0]))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "case.npy")
        for major, h, data in all_cases:
            content, hb = file_bytes(major, h, data)
            print("%d\t%s\t%d\t%s" % (major, hb.hex(), data, verdict(content, path)))


if __name__ == "__main__":
    main()
