"""Golden-vector sets written by ``qr vectors --out DIR``.

::

    DIR/manifest.json              format, geometry, dtype masks, rule and repro template, and every case with its
                                   parameters and the SHA-256 of each of its files
    DIR/<case id>/in_rank<r>.npy   rank r's input ('<f2' fp16, or '<u2' raw bf16 bits), n elements
    DIR/<case id>/out.npy          the expected output, the same for every rank

Everything a case needs (codec, world size, data path, profile, the ABI codes, the seed) is read from the manifest;
nothing here lists codecs or profiles, so a set written by a newer model with more of them loads as it is.
"""

import fnmatch
import hashlib
import json
import os

import numpy as np

from . import check as _check
from .arrays import from_bits, to_bits
from .errors import VectorSetError

MANIFEST = "manifest.json"
FORMAT = "qr-golden-vectors"
#: Manifest format versions this reader understands.
SUPPORTED_FORMATS = (1,)
#: The case fields a selection can filter on, with the manifest key of each.
SELECTORS = {"codec": "codec", "world_size": "world_size", "data_path": "data_path", "profile": "profile"}


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Case(object):
    """One case of a vector set: W per-rank inputs, one expected output, and the call that links them.

    Attributes come from the manifest: ``id``, ``world_size``, ``codec`` (CLI name, e.g. ``int4``), ``quant_level``
    (the ABI code), ``dtype`` (``fp16``/``bf16``), ``cast`` (bf16 computed in fp16), ``data_path``, ``profile``,
    ``profile_code``, ``n``, ``kind``, ``seed`` (hex string) and ``max_blocks`` (grid cap; 0 = the kernel's own).
    """

    def __init__(self, vector_set, entry):
        self.vector_set = vector_set
        self.entry = entry
        self.id = entry["id"]
        self.world_size = int(entry["world_size"])
        self.codec = entry["codec"]
        self.quant_level = int(entry["quant_level"])
        self.dtype = entry["dtype"]
        self.cast = bool(entry["cast"])
        self.data_path = entry["data_path"]
        self.profile = entry["profile"]
        self.profile_code = int(entry["profile_code"])
        self.n = int(entry["n"])
        self.kind = entry["kind"]
        self.seed = entry["seed"]
        self.max_blocks = int(entry["max_blocks"]) if "max_blocks" in entry else self._max_blocks_from_id()
        self.dir = os.path.join(vector_set.path, self.id)
        self._inputs = None
        self._expected = None

    def _max_blocks_from_id(self):
        # sets written before the manifest carried it: the id's 'b<grid cap>' part (w<W>.<codec>.<path>.<profile>.n<N>.<kind>.b<cap>.s<seed>)
        parts = self.id.split(".")
        if len(parts) == 8 and parts[6].startswith("b") and parts[6][1:].isdigit():
            return int(parts[6][1:])
        return 0

    def __repr__(self):
        return "Case(%s)" % self.id

    def params(self):
        """The call's parameters as a dict (for reports and for the user's all-reduce)."""
        return {k: getattr(self, k) for k in ("world_size", "codec", "quant_level", "dtype", "cast", "data_path",
                                              "profile", "profile_code", "n", "kind", "seed", "max_blocks")}

    def _load(self, name):
        path = os.path.join(self.dir, name)
        try:
            a = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as e:
            raise VectorSetError("cannot read vector file '%s': %s" % (path, e))
        bits = to_bits(a, what="vector file '%s'" % path)
        if bits.shape[0] != self.n:
            raise VectorSetError("vector file '%s' holds %d elements, the manifest says %d" % (path, bits.shape[0], self.n))
        return bits

    def input_bits(self):
        """Every rank's input as raw uint16 bits (cached)."""
        if self._inputs is None:
            self._inputs = [self._load(self.vector_set.layout_input(r)) for r in range(self.world_size)]
        return self._inputs

    def inputs(self, as_="numpy", device=None):
        """Every rank's input, rank order: NumPy arrays ('<f2' for fp16, '<u2' raw bits for bf16), raw bits
        (``as_="bits"``) or PyTorch tensors (torch.float16 / torch.bfloat16) on ``device``. Fresh copies each call."""
        return [from_bits(b, self.dtype, as_=as_, device=device) for b in self.input_bits()]

    def expected(self, as_="numpy", device=None):
        """The expected output (the same for every rank), as :meth:`inputs` gives its arrays."""
        if self._expected is None:
            self._expected = self._load(self.vector_set.expected_name)
        return from_bits(self._expected, self.dtype, as_=as_, device=device)

    def check(self, outputs):
        """Compares a kernel's outputs (one per rank, or a single one) bit for bit; returns a :class:`CheckResult`."""
        return _check.check_outputs(self, outputs)

    def assert_outputs(self, outputs):
        """As :meth:`check`, raising :class:`Mismatch` (an AssertionError holding the one-line report) on a difference."""
        __tracebackhide__ = True
        result = self.check(outputs)
        if not result.ok:
            raise _check.Mismatch(result)
        return result

    def repro(self, element=None):
        """The manifest's repro command for this case, narrowed to one element's 64-element span when one is named."""
        return self.vector_set.repro(self.id, element)

    def release(self):
        """Drops the cached file contents."""
        self._inputs = None
        self._expected = None


class VectorSet(object):
    """A vector set on disk. ``verify=True`` (the default) checks every file of every case against the manifest's
    SHA-256 at once and refuses a set with a missing or corrupted file; :meth:`verify` does it later for a subset."""

    def __init__(self, path, verify=True):
        self.path = os.fspath(path)
        self.manifest = self._read_manifest()
        m = self.manifest
        try:
            self.format_version = m["format_version"]
            self.geometry = m["geometry"]
            self.dtypes = m["dtypes"]
            self.failure_rule = m["failure_rule"]
            self.property = m["property"]
            self.repro_template = m["repro"]
            self.repro_isolate = m.get("repro_isolate", "")
            self.base_seed = m.get("base_seed")
            layout = m.get("layout", {})
            self.input_template = layout.get("input", "{case}/in_rank{r}.npy")
            self.expected_name = layout.get("expected", "{case}/out.npy").split("/", 1)[1]
            self.cases = [Case(self, e) for e in m["cases"]]
        except (KeyError, TypeError, ValueError, IndexError) as e:
            raise VectorSetError("'%s' lacks or mangles a field (%s: %s); write the set again with ./qr vectors --out DIR"
                                 % (self._manifest_path(), type(e).__name__, e))
        self._by_id = {c.id: c for c in self.cases}
        self.verified = 0
        if verify:
            self.verify()

    def _manifest_path(self):
        return os.path.join(self.path, MANIFEST)

    def _read_manifest(self):
        path = self._manifest_path()
        if not os.path.isdir(self.path):
            raise VectorSetError("vectors directory '%s' does not exist" % self.path)
        if not os.path.isfile(path):
            raise VectorSetError("'%s' not found: the directory must hold a set written by ./qr vectors --out DIR" % path)
        try:
            with open(path, "r", encoding="utf-8") as f:
                manifest = json.load(f)
        except (OSError, ValueError) as e:
            raise VectorSetError("cannot read '%s': %s" % (path, e))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise VectorSetError("'%s' is not a QuickReduce vector manifest" % path)
        if manifest.get("format_version") not in SUPPORTED_FORMATS:
            raise VectorSetError("'%s' has format version %s; this qrref reads version(s) %s (update qrref)"
                                 % (path, manifest.get("format_version"), ", ".join(map(str, SUPPORTED_FORMATS))))
        return manifest

    def layout_input(self, rank):
        return self.input_template.split("/", 1)[1].replace("{r}", str(rank))

    def repro(self, case_id, element=None):
        command = self.repro_template.replace("{case}", case_id)
        if element is not None:
            command += self.repro_isolate.replace("{element}", str(element))
        return command

    def __len__(self):
        return len(self.cases)

    def __iter__(self):
        return iter(self.cases)

    def __getitem__(self, case_id):
        try:
            return self._by_id[case_id]
        except KeyError:
            raise KeyError("no case '%s' in the vector set '%s'" % (case_id, self.path))

    def values(self, field):
        """The distinct values of a case field in this set, in manifest order (e.g. ``values("codec")``)."""
        seen = []
        for c in self.cases:
            v = getattr(c, field)
            if v not in seen:
                seen.append(v)
        return seen

    def select(self, codec=None, world_size=None, data_path=None, profile=None, pattern=None):
        """The cases whose fields are among the given values (each a value or a collection; None = any) and whose id
        matches one of the fnmatch ``pattern``s. A value that no case of the set has is an error, not an empty
        selection, so that a typo does not pass silently."""
        wanted = {"codec": codec, "world_size": world_size, "data_path": data_path, "profile": profile}
        chosen = list(self.cases)
        for field, value in wanted.items():
            if value is None:
                continue
            values = [value] if isinstance(value, (str, int)) else list(value)
            if field == "world_size":
                values = [int(v) for v in values]
            present = self.values(field)
            unknown = [v for v in values if v not in present]
            if unknown:
                raise VectorSetError("%s %s: no case of the set '%s' has it (the set has %s)" % (
                    field.replace("_", " "), ", ".join(map(str, unknown)), self.path, ", ".join(map(str, present))))
            chosen = [c for c in chosen if getattr(c, field) in values]
        if pattern is not None:
            patterns = [pattern] if isinstance(pattern, str) else list(pattern)
            chosen = [c for c in chosen if any(fnmatch.fnmatchcase(c.id, p) for p in patterns)]
        return chosen

    def verify(self, cases=None):
        """Checks the files of ``cases`` (default: all) against the manifest's SHA-256; returns how many were checked
        and raises VectorSetError naming every missing or corrupted file."""
        problems = []
        verified = 0
        for case in self.cases if cases is None else cases:
            for entry in case.entry["files"]:
                rel = os.path.join(case.id, entry["name"])
                path = os.path.join(self.path, rel)
                if not os.path.isfile(path):
                    problems.append("vector file missing: %s" % rel)
                    continue
                digest = _sha256(path)
                if digest != entry["sha256"]:
                    problems.append("vector file corrupted: %s: SHA-256 %s does not match the manifest's %s"
                                    % (rel, digest, entry["sha256"]))
                    continue
                verified += 1
        if problems:
            more = "" if len(problems) == 1 else " (and %d more)" % (len(problems) - 1)
            error = VectorSetError("%s%s in '%s': write the set again (./qr vectors --out DIR)" % (problems[0], more, self.path))
            error.problems = problems
            raise error
        self.verified += verified
        return verified


def load(path, verify=True):
    """Opens the vector set at ``path`` (see :class:`VectorSet`)."""
    return VectorSet(path, verify=verify)
