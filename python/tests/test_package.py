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
