#!/usr/bin/env bash
# The qrref package on a GPU machine, against the project's GPU library. Needs python3 with PyTorch (CUDA), NumPy and
# pytest; no Java, no network.
#
#   python/tests/gpu/run_on_device.sh VECTORS LIBQR OUTDIR
#
#   VECTORS  a set written by `./qr vectors --out DIR` (the directory, or a .tar.gz of it)
#   LIBQR    libqr.so (kernels/build.sh --cuda-only)
#   OUTDIR   where the reports go (created)
#
# Steps, each with its JUnit XML and log in OUTDIR:
#   1. install qrref from this checkout into OUTDIR/site, offline (pip --no-index --no-deps --no-build-isolation
#      --target); when pip cannot, the source tree is used on PYTHONPATH with the plugin named by -p
#   2. vectors:  the worked example python/examples/libqr: every case of the set through libqr, W ranks on GPU 0
#   3. gpu:      python/tests/gpu: a planted corruption of a real output named on the right line, in-place outputs,
#                refusals, calls of changing sizes, and one process per rank (handles through torch.distributed)
#   4. planted:  one bit flipped in one GPU output at a known launch position, through the plugin: exactly one case
#                must fail, and its line must name that rank, tile, atom, group, lane, thread and element
# then OUTDIR/summary.txt. Exit status 0 when every step holds, 1 when one does not, 2 for bad arguments.
set -uo pipefail

usage() { sed -n '5,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -eq 3 ] || usage
vectors_arg=$1
libqr=$2
out=$3
py=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)
pkg=$(cd "$here/../.." && pwd)

[ -f "$libqr" ] || { echo "run_on_device: LIBQR '$libqr' is not a file" >&2; exit 2; }
libqr=$(cd "$(dirname "$libqr")" && pwd)/$(basename "$libqr")
# nothing is written before the arguments are known to be good
if [ -f "$vectors_arg" ]; then
  tar -tzf "$vectors_arg" 2>/dev/null | grep 'manifest\.json$' >/dev/null \
    || { echo "run_on_device: '$vectors_arg' is not a .tar.gz holding a vector set (no manifest.json)" >&2; exit 2; }
elif [ ! -f "$vectors_arg/manifest.json" ]; then
  echo "run_on_device: VECTORS '$vectors_arg' is neither a vector set (no manifest.json) nor a .tar.gz of one" >&2
  exit 2
fi
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)

if [ -f "$vectors_arg" ]; then
  mkdir -p "$out/vectors" && tar -xzf "$vectors_arg" -C "$out/vectors" \
    || { echo "run_on_device: cannot unpack '$vectors_arg'" >&2; exit 2; }
  manifest=$(find "$out/vectors" -maxdepth 2 -name manifest.json | head -n 1)
  [ -n "$manifest" ] || { echo "run_on_device: '$vectors_arg' holds no manifest.json" >&2; exit 2; }
  vectors=$(dirname "$manifest")
else
  vectors=$(cd "$vectors_arg" && pwd)
fi

"$py" -c 'import numpy, pytest, torch; assert torch.cuda.is_available(), "PyTorch sees no CUDA device"' 2>"$out/python-check.txt" \
  || { echo "run_on_device: $py cannot run the tests: $(tail -n 1 "$out/python-check.txt")" >&2; exit 2; }

# ---- 1. install ------------------------------------------------------------------------------------------------------
plugin=()
# built from a copy, so that the carried checkout gets no build/ or egg-info folders
rm -rf "$out/package" && mkdir -p "$out/package" && cp -R "$pkg/pyproject.toml" "$pkg/README.md" "$pkg/src" "$pkg/build_backend" "$out/package/"
if "$py" -m pip install --no-index --no-deps --no-build-isolation --target "$out/site" "$out/package" >"$out/install.log" 2>&1; then
  export PYTHONPATH="$out/site"
  install="pip install --target $out/site"
else
  export PYTHONPATH="$pkg/src"
  install="source tree on PYTHONPATH (pip could not install offline; see install.log)"
  # an in-tree build may have left metadata with the entry point next to the sources
  if ! "$py" -c 'import sys; from importlib.metadata import entry_points as e; eps = e(); g = eps.select(group="pytest11") if hasattr(eps, "select") else eps.get("pytest11", []); sys.exit(0 if any(x.value == "qrref.pytest_plugin" for x in g) else 1)'; then
    plugin=(-p qrref.pytest_plugin)
  fi
fi
export QRREF_REQUIRE_GPU=1
common=(-p no:cacheprovider ${plugin[@]+"${plugin[@]}"} --qr-vectors "$vectors" --qr-native-lib "$libqr" -rfEs)
cd "$pkg" || exit 2

# ---- 2. every case through the worked example -----------------------------------------------------------------------
"$py" -m pytest examples/libqr "${common[@]}" --junitxml "$out/junit-vectors.xml" >"$out/vectors.log" 2>&1
rc_vectors=$?

# ---- 3. the binding's GPU tests ------------------------------------------------------------------------------------
"$py" -m pytest tests/gpu --ignore=tests/gpu/planted "${common[@]}" -s --junitxml "$out/junit-gpu.xml" >"$out/gpu.log" 2>&1
rc_gpu=$?

# ---- 4. a planted corruption through the plugin ---------------------------------------------------------------------
# the largest world size's specials case (two tiles); rank W-1, tile 0, atom 5, thread 37, j 5: group 2*(37/8)+1 = 9, odd
read -r plant_case plant_w plant_codec plant_element < <("$py" - "$vectors" <<'EOF'
import json, os, sys
m = json.load(open(os.path.join(sys.argv[1], "manifest.json")))
g = m["geometry"]
w = max(c["world_size"] for c in m["cases"])
c = next(c for c in m["cases"] if c["world_size"] == w and c["kind"] == "specials" and c["n"] > g["tile_elements"])
print(c["id"], w, c["codec"], 0 * g["tile_elements"] + 5 * g["atom_elements"] + 37 * g["vector_elements"] + 5)
EOF
)
plant_rank=$((plant_w - 1))
export QRREF_PLANT="$plant_case:$plant_rank:0:5:37:5"
"$py" -m pytest tests/gpu/planted "${common[@]}" --qr-world-size "$plant_w" --qr-codec "$plant_codec" \
  --junitxml "$out/junit-planted.xml" >"$out/planted.log" 2>&1
rc_planted=$?
unset QRREF_PLANT
want_line="case=$plant_case rank=$plant_rank tile=0 atom=5 group=9 lane=odd thread=37 element=$plant_element "

# ---- summary --------------------------------------------------------------------------------------------------------
"$py" - "$out" "$vectors" "$install" "$rc_vectors" "$rc_gpu" "$rc_planted" "$want_line" <<'EOF'
import json, os, sys
import xml.etree.ElementTree as ET

out, vectors, install, rc_vectors, rc_gpu, rc_planted, want_line = sys.argv[1:]
cases = json.load(open(os.path.join(vectors, "manifest.json")))["cases"]

def counts(name):
    path = os.path.join(out, name)
    if not os.path.isfile(path):
        return None
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    c = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    c["time"] = sum(float(s.get("time", 0)) for s in suites)
    c["props"] = {p.get("name"): p.get("value") for p in root.iter("property")}
    return c

lines = []
ok = True

def verdict(name, good, text):
    global ok
    ok = ok and good
    lines.append("%-8s %s  %s" % (name, "PASS" if good else "FAIL", text))

def describe(c):
    return "%d tests: %d passed, %d failed, %d errors, %d skipped (%.1f s)" % (
        c["tests"], c["tests"] - c["failures"] - c["errors"] - c["skipped"], c["failures"], c["errors"], c["skipped"], c["time"])

v = counts("junit-vectors.xml")
verdict("vectors", v is not None and rc_vectors == "0" and v["tests"] == len(cases) and v["failures"] + v["errors"] + v["skipped"] == 0,
        ("every case of %d bit-exact? " % len(cases)) + (describe(v) if v else "no JUnit XML (pytest exit %s)" % rc_vectors))
g = counts("junit-gpu.xml")
verdict("gpu", g is not None and rc_gpu == "0" and g["tests"] > 0 and g["failures"] + g["errors"] + g["skipped"] == 0,
        describe(g) if g else "no JUnit XML (pytest exit %s)" % rc_gpu)
p = counts("junit-planted.xml")
log = open(os.path.join(out, "planted.log")).read() if os.path.isfile(os.path.join(out, "planted.log")) else ""
named = [l for l in log.splitlines() if l.startswith("rule=") and want_line in l]
verdict("planted", p is not None and rc_planted == "1" and p["failures"] == 1 and p["errors"] + p["skipped"] == 0 and len(named) == 1,
        (describe(p) if p else "no JUnit XML") + "; expected exactly 1 failure whose line holds '%s': %s"
        % (want_line.strip(), "found" if len(named) == 1 else "NOT found"))
device = (g or {}).get("props", {}).get("device", "?")
library = (g or {}).get("props", {}).get("library", "?")
text = ["qrref on the device: %s" % ("PASS" if ok else "FAIL"),
        "device   %s" % device, "library  %s" % library, "vectors  %s (%d cases)" % (vectors, len(cases)),
        "package  %s" % install, ""] + lines + [""] + named
open(os.path.join(out, "summary.txt"), "w").write("\n".join(text) + "\n")
print("\n".join(text))
sys.exit(0 if ok else 1)
EOF
