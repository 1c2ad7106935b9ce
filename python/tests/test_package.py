"""Packaging: the version, the pytest11 entry point of an installed copy, and imports that must not need PyTorch."""

import os
import subprocess
import sys

import pytest

import qrref

HERE = os.path.dirname(os.path.abspath(__file__))


def installed():
    from importlib import metadata
    try:
        return metadata.distribution("qrref")
    except metadata.PackageNotFoundError:
        if os.environ.get("QRREF_EXPECT_INSTALLED") == "1":
            pytest.fail("qrref is not installed, and QRREF_EXPECT_INSTALLED=1 says it should be")
        pytest.skip("qrref is used from the source tree, not installed")


def test_the_installed_copy_is_this_one_with_its_version_and_plugin():
    dist = installed()
    assert dist.version == qrref.__version__
    plugins = [ep for ep in dist.entry_points if ep.group == "pytest11"]
    assert [(ep.name, ep.value) for ep in plugins] == [("qrref", "qrref.pytest_plugin")]
    if os.environ.get("QRREF_EXPECT_INSTALLED") == "1":
        # the tests must exercise the installed copy, not a source tree on sys.path
        assert os.path.realpath(qrref.__file__).startswith(os.path.realpath(sys.prefix)), qrref.__file__


def test_the_version_is_a_release_number():
    parts = qrref.__version__.split(".")
    assert len(parts) == 3 and all(p.isdigit() for p in parts)


def test_importing_the_package_and_plugin_does_not_import_torch():
    code = ("import sys, qrref, qrref.pytest_plugin, qrref.native, qrref.distributed, qrref.oracle; "
            "sys.exit(3 if 'torch' in sys.modules else 0)")
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(HERE), "src")
    if os.path.isdir(src) and "site-packages" not in qrref.__file__ and "dist-packages" not in qrref.__file__:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    p = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    assert p.returncode == 0, p.stderr


def backend():
    path = os.path.join(os.path.dirname(HERE), "build_backend")
    if not os.path.isdir(path):
        pytest.skip("not inside a checkout: the build backend is not here")
    sys.path.insert(0, path)
    try:
        import qrref_build_backend
    finally:
        sys.path.remove(path)
    return qrref_build_backend


def test_the_wheel_holds_every_module_and_records_their_hashes(tmp_path):
    import base64
    import hashlib
    import zipfile
    b = backend()
    name = b.build_wheel(str(tmp_path))
    assert name == "qrref-%s-py3-none-any.whl" % qrref.__version__
    src = os.path.join(os.path.dirname(HERE), "src", "qrref")
    modules = sorted("qrref/" + f for f in os.listdir(src) if f.endswith(".py"))
    info = "qrref-%s.dist-info/" % qrref.__version__
    with zipfile.ZipFile(str(tmp_path / name)) as z:
        names = z.namelist()
        assert sorted(n for n in names if n.startswith("qrref/")) == modules
        assert sorted(n for n in names if n.startswith(info)) == sorted(
            info + f for f in ("METADATA", "WHEEL", "entry_points.txt", "RECORD"))
        record = z.read(info + "RECORD").decode().splitlines()
        assert len(record) == len(names)
        for line in record:
            path, digest, size = line.split(",")
            if path == info + "RECORD":
                continue
            data = z.read(path)
            assert int(size) == len(data)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        meta = z.read(info + "METADATA").decode()
        assert "\nName: qrref\nVersion: %s\n" % qrref.__version__ in meta
        assert "\nRequires-Dist: numpy\n" in meta and 'Requires-Dist: torch; extra == "torch"' in meta
        assert z.read(info + "entry_points.txt").decode() == "[pytest11]\nqrref = qrref.pytest_plugin\n"
    # the same sources give the same bytes
    again = tmp_path / "again"
    again.mkdir()
    b.build_wheel(str(again))
    assert (again / name).read_bytes() == (tmp_path / name).read_bytes()


def test_the_sdist_and_the_editable_wheel(tmp_path):
    import tarfile
    import zipfile
    b = backend()
    with tarfile.open(str(tmp_path / b.build_sdist(str(tmp_path)))) as t:
        names = t.getnames()
    root = "qrref-%s/" % qrref.__version__
    for f in ("pyproject.toml", "README.md", "PKG-INFO", "src/qrref/__init__.py", "build_backend/qrref_build_backend.py"):
        assert root + f in names
    with zipfile.ZipFile(str(tmp_path / b.build_editable(str(tmp_path)))) as z:
        pth = z.read("__editable__.qrref.pth").decode().strip()
    assert os.path.samefile(pth, os.path.join(os.path.dirname(HERE), "src"))


def test_the_backends_own_toml_reader_agrees_with_tomllib():
    tomllib = pytest.importorskip("tomllib")
    b = backend()
    with open(os.path.join(os.path.dirname(HERE), "pyproject.toml"), "rb") as f:
        raw = f.read()
    assert b.parse_toml_subset(raw.decode()) == tomllib.loads(raw.decode())
    with pytest.raises(ValueError, match="outside the subset"):
        b.parse_toml_subset("[project]\nlicense = { text = \"MIT\" }\n")
