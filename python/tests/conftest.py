"""Shared fixtures: a vector set written by this checkout's CPU model, and the checkout's qr launcher.

The set is written once per session with ``qr vectors`` (every codec, world size, data path and profile the model
knows), or taken from QRREF_TEST_VECTORS when that names an existing set. Tests that need qr (a JDK 25+) are skipped
with the reason when it is missing, unless QRREF_REQUIRE_QR=1 (CI), where they fail.
"""

import os
import subprocess

import pytest

from qrref_testing import QR, require, torch_or_skip

pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def qr_launcher():
    if not os.path.isfile(QR):
        require("QRREF_REQUIRE_QR", "not inside a checkout of the project: %s is missing" % QR)
    return QR


@pytest.fixture(scope="session")
def vectors_dir(tmp_path_factory, qr_launcher):
    given = os.environ.get("QRREF_TEST_VECTORS")
    if given and os.path.isfile(os.path.join(given, "manifest.json")):
        return given
    out = str(tmp_path_factory.mktemp("qrv") / "vectors")
    p = subprocess.run([qr_launcher, "vectors", "--out", out], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        require("QRREF_REQUIRE_QR", "qr vectors failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-500:]))
    return out


@pytest.fixture(scope="session")
def vector_set(vectors_dir):
    import qrref
    return qrref.load_vectors(vectors_dir)


@pytest.fixture(scope="session")
def torch():
    # session scope: imported before any pytester snapshot of sys.modules, which would drop it again
    return torch_or_skip()
