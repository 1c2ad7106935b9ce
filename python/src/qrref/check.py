"""Bit-for-bit comparison of a kernel's per-rank outputs with a case's expected output.

A failure is reported as the JVM conformance suite reports it (dev.qrref.conformance.Failure), on one line::

    rule=RED-4 property=vectors case=<id> rank=R tile=T atom=A group=G lane=even|odd thread=H element=E
        in=[<every rank's input there>] got=0x.... want=0x.... seed=0x... repro: ./qr conformance ... --isolate E

(one line in reality), naming the first wrong element of the first wrong rank, followed by a count line
``  <wrong> wrong element(s), seed 0x...``. The geometry that locates the element comes from the vector manifest, so
this module holds no constant of its own.
"""

import collections

import numpy as np

from .arrays import to_bits
from .errors import UsageError

Coordinates = collections.namedtuple("Coordinates", "tile atom thread group lane")


def coordinates(geometry, element):
    """Where ``element`` sits in the kernel's launch (dev.qrref.spec.Geometry.coordinates), from the manifest's
    geometry: the tile, the atom row in it, the thread that loads it, the 32-element quantization group of the atom
    (two per 8-thread group: even and odd positions) and which of the two (lane ``even`` or ``odd``)."""
    tile_elements = geometry["tile_elements"]
    atom_elements = geometry["atom_elements"]
    vector_elements = geometry["vector_elements"]
    in_tile = element % tile_elements
    in_atom = in_tile % atom_elements
    thread = in_atom // vector_elements
    odd = (in_atom % vector_elements) & 1 == 1
    return Coordinates(tile=element // tile_elements, atom=in_tile // atom_elements, thread=thread,
                       group=2 * (thread // geometry["group_threads"]) + (1 if odd else 0), lane="odd" if odd else "even")


def hex16(v):
    return "0x%04X" % (int(v) & 0xFFFF)


def nan_mask(bits, dtype_info):
    """NaN positions of raw bits, from the dtype's exponent and fraction masks in the manifest."""
    e = dtype_info["exponent_mask"]
    f = dtype_info["fraction_mask"]
    return ((bits & e) == e) & ((bits & f) != 0)


class CheckResult(object):
    """The outcome of one case: ``ok``, the number of ``wrong`` elements over all ranks, and for a failure the first
    wrong ``rank`` and ``element``, the ``got``/``want`` bits there, the one-line report ``line`` and ``count_line``."""

    def __init__(self, case, wrong=0, rank=None, element=None, got=None, want=None, line=None, unit="wrong element(s)"):
        self.case = case
        self.wrong = wrong
        self.rank = rank
        self.element = element
        self.got = got
        self.want = want
        self.line = line
        self.count_line = None if line is None else "  %d %s, seed %s" % (wrong, unit, case.seed)

    @property
    def ok(self):
        return self.line is None

    def __bool__(self):
        return self.ok

    def report(self):
        """The failure line and the count line, or "" when the case passed."""
        return "" if self.ok else self.line + "\n" + self.count_line

    def __repr__(self):
        return "CheckResult(%s: %s)" % (self.case.id, "ok" if self.ok else "%d wrong" % self.wrong)


class Mismatch(AssertionError):
    """A case's outputs differ from the expected bits; ``str()`` is the one-line report and the count line."""

    def __init__(self, result):
        AssertionError.__init__(self, result.report())
        self.result = result


def output_list(outputs, world_size):
    """The per-rank outputs as a list: a sequence of W arrays/tensors, or one array/tensor (compared as rank 0's)."""
    if isinstance(outputs, (list, tuple)):
        items = list(outputs)
    elif hasattr(outputs, "shape") and len(outputs.shape) == 2 and outputs.shape[0] == world_size:
        items = [outputs[r] for r in range(world_size)]
    else:
        items = [outputs]
    if len(items) not in (1, world_size):
        raise UsageError("got %d outputs for a case of %d ranks: give one per rank (or a single output, compared as "
                         "rank 0's)" % (len(items), world_size))
    return items


def check_outputs(case, outputs):
    """Compares ``outputs`` (see :func:`output_list`) with the case's expected bits; NaN matches any NaN of the dtype,
    every other pattern must be identical."""
    vs = case.vector_set
    items = output_list(outputs, case.world_size)
    dtype_info = vs.dtypes[case.dtype]
    want = case.expected(as_="bits")
    want_nan = nan_mask(want, dtype_info)
    head = "rule=%s property=%s case=%s" % (vs.failure_rule, vs.property, case.id)
    wrong = 0
    first = None
    for rank, item in enumerate(items):
        got = to_bits(item, what="output of rank %d" % rank)
        if got.shape[0] != case.n:
            line = "%s rank=%d output holds %d elements, expected %d seed=%s repro: %s" % (
                head, rank, got.shape[0], case.n, case.seed, case.repro())
            return CheckResult(case, wrong=1, rank=rank, line=line, unit="problem(s)")
        bad = (got != want) & ~(nan_mask(got, dtype_info) & want_nan)
        count = int(np.count_nonzero(bad))
        if count and first is None:
            element = int(np.flatnonzero(bad)[0])
            first = (rank, element, int(got[element]))
        wrong += count
    if first is None:
        return CheckResult(case)
    rank, element, got_bits = first
    want_bits = int(want[element])
    inputs = ",".join(hex16(bits[element]) for bits in case.input_bits())
    c = coordinates(vs.geometry, element)
    line = ("%s rank=%d tile=%d atom=%d group=%d lane=%s thread=%d element=%d in=[%s] got=%s want=%s seed=%s repro: %s"
            % (head, rank, c.tile, c.atom, c.group, c.lane, c.thread, element, inputs, hex16(got_bits),
               hex16(want_bits), case.seed, case.repro(element)))
    return CheckResult(case, wrong=wrong, rank=rank, element=element, got=got_bits, want=want_bits, line=line)
