"""The PEP 517 build backend of qrref: builds the wheel (and sdist, and editable wheel) with the standard library alone.

qrref is pure Python, so a wheel is a zip of ``src/qrref`` plus the ``.dist-info`` metadata. Doing it here, instead
of through setuptools, means that ``pip install ./python`` needs nothing but pip: no setuptools or wheel package, no
index, whatever the interpreter (a Debian python3, a pyenv build, a GPU machine's environment).

The metadata comes from ``pyproject.toml`` ([project]); the version from ``__version__`` in ``src/qrref/__init__.py``.
Python 3.11+ parses the TOML with tomllib; older interpreters with the small reader below, which understands the
subset this project's pyproject.toml is written in (tables, strings, arrays of strings); tests compare the two.
"""

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "qrref"
TAG = "py3-none-any"
#: Fixed timestamp of every archive member, so that the same sources give the same wheel.
EPOCH = (2020, 1, 1, 0, 0, 0)


# ---- pyproject.toml ----------------------------------------------------------------------------------------------------
def _strings(text):
    return [bytes(m, "ascii").decode("unicode_escape") for m in re.findall(r'"((?:[^"\\]|\\.)*)"', text)]


def _uncomment(line):
    quoted = False
    for i, c in enumerate(line):
        if c == '"' and (i == 0 or line[i - 1] != "\\"):
            quoted = not quoted
        elif c == "#" and not quoted:
            return line[:i].rstrip()
    return line


def parse_toml_subset(text):
    """Tables of string and string-array values, as far as this project's pyproject.toml uses TOML."""
    data = {}
    table = data
    key = None
    array = None  # text of an array that spans lines
    for raw in text.splitlines():
        line = _uncomment(raw).strip()
        if array is not None:
            array += " " + line
            if line.endswith("]"):
                table[key] = _strings(array)
                array = None
            continue
        if not line:
            continue
        m = re.match(r"^\[([A-Za-z0-9_.\-]+)\]$", line)
        if m:
            table = data
            for part in m.group(1).split("."):
                table = table.setdefault(part, {})
            continue
        m = re.match(r"^([A-Za-z0-9_\-]+)\s*=\s*(.+)$", line)
        if not m:
            raise ValueError("pyproject.toml: cannot read the line %r" % raw)
        key, value = m.group(1), m.group(2)
        if value.startswith('"') and value.endswith('"'):
            table[key] = _strings(value)[0]
        elif value.startswith("[") and value.endswith("]"):
            table[key] = _strings(value)
        elif value.startswith("["):
            array = value
        else:
            raise ValueError("pyproject.toml: the value of %s is outside the subset this backend reads: %r" % (key, value))
    return data


def read_pyproject(root=ROOT):
    with open(os.path.join(root, "pyproject.toml"), "rb") as f:
        raw = f.read()
    try:
        import tomllib
    except ImportError:
        return parse_toml_subset(raw.decode("utf-8"))
    return tomllib.loads(raw.decode("utf-8"))


def version(root=ROOT):
    with open(os.path.join(root, "src", PACKAGE, "__init__.py"), encoding="utf-8") as f:
        m = re.search(r'^__version__ = "([^"]+)"$', f.read(), re.M)
    if not m:
        raise ValueError("src/%s/__init__.py has no __version__ = \"...\" line" % PACKAGE)
    return m.group(1)


def metadata(root=ROOT):
    """The METADATA file (core metadata 2.1) of the distribution."""
    p = read_pyproject(root)["project"]
    lines = ["Metadata-Version: 2.1", "Name: " + p["name"], "Version: " + version(root), "Summary: " + p["description"]]
    if "requires-python" in p:
        lines.append("Requires-Python: " + p["requires-python"])
    lines += ["Classifier: " + c for c in p.get("classifiers", [])]
    lines += ["Requires-Dist: " + d for d in p.get("dependencies", [])]
    for extra, deps in sorted(p.get("optional-dependencies", {}).items()):
        lines.append("Provides-Extra: " + extra)
        lines += ['Requires-Dist: %s; extra == "%s"' % (d, extra) for d in deps]
    body = ""
    if "readme" in p:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(root, p["readme"]), encoding="utf-8") as f:
            body = "\n" + f.read()
    return "\n".join(lines) + "\n" + body


def entry_points(root=ROOT):
    groups = read_pyproject(root)["project"].get("entry-points", {})
    out = []
    for group, items in sorted(groups.items()):
        out.append("[%s]" % group)
        out += ["%s = %s" % (k, v) for k, v in sorted(items.items())]
        out.append("")
    return "\n".join(out)


# ---- archives ----------------------------------------------------------------------------------------------------------
def _dist(root=ROOT):
    return "%s-%s" % (PACKAGE, version(root))


def _package_files(root=ROOT):
    base = os.path.join(root, "src")
    found = []
    for folder, dirs, files in os.walk(os.path.join(base, PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".py")]
    return [(os.path.relpath(f, base).replace(os.sep, "/"), f) for f in found]


def _dist_info(root, extra_files=()):
    info = _dist(root) + ".dist-info"
    wheel = "Wheel-Version: 1.0\nGenerator: qrref_build_backend\nRoot-Is-Purelib: true\nTag: %s\n" % TAG
    return info, [(info + "/METADATA", metadata(root).encode("utf-8")), (info + "/WHEEL", wheel.encode("ascii")),
                  (info + "/entry_points.txt", entry_points(root).encode("utf-8"))] + list(extra_files)


def _write_wheel(path, members, info):
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name, EPOCH), data, zipfile.ZIP_DEFLATED)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            record.append("%s,sha256=%s,%d" % (name, digest, len(data)))
        record.append(info + "/RECORD,,")
        z.writestr(zipfile.ZipInfo(info + "/RECORD", EPOCH), "\n".join(record) + "\n", zipfile.ZIP_DEFLATED)


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    info, meta = _dist_info(ROOT)
    members = [(name, _read(path)) for name, path in _package_files(ROOT)] + meta
    name = "%s-%s.whl" % (_dist(ROOT), TAG)
    _write_wheel(os.path.join(wheel_directory, name), members, info)
    return name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # a path file that puts src/ on sys.path: edits to the sources take effect without reinstalling
    info, meta = _dist_info(ROOT)
    members = [("__editable__.%s.pth" % PACKAGE, (os.path.join(ROOT, "src") + "\n").encode("utf-8"))] + meta
    name = "%s-%s.whl" % (_dist(ROOT), TAG)
    _write_wheel(os.path.join(wheel_directory, name), members, info)
    return name


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    info, meta = _dist_info(ROOT)
    for name, data in meta:
        target = os.path.join(metadata_directory, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    return info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_editable = get_requires_for_build_wheel
get_requires_for_build_sdist = get_requires_for_build_wheel


def build_sdist(sdist_directory, config_settings=None):
    dist = _dist(ROOT)
    files = ["pyproject.toml", "README.md"]
    for sub in ("src", "build_backend"):
        for folder, dirs, names in os.walk(os.path.join(ROOT, sub)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.endswith(".egg-info"))
            files += [os.path.relpath(os.path.join(folder, n), ROOT) for n in sorted(names) if n.endswith(".py")]
    name = dist + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        members = [(f.replace(os.sep, "/"), _read(os.path.join(ROOT, f))) for f in files]
        members.append(("PKG-INFO", metadata(ROOT).encode("utf-8")))
        for rel, data in members:
            ti = tarfile.TarInfo(dist + "/" + rel)
            ti.size = len(data)
            ti.mtime = 1577836800
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    return name
