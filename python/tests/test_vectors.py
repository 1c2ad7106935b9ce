"""Loading a vector set: the manifest, the SHA-256 check, the cases' parameters and files, the selection."""

import json
import os
import shutil

import numpy as np
import pytest

import qrref
from qrref.errors import VectorSetError


def test_every_case_and_file_of_the_set_is_loaded_and_verified(vector_set, vectors_dir):
    with open(os.path.join(vectors_dir, "manifest.json")) as f:
        manifest = json.load(f)
    assert len(vector_set) == len(manifest["cases"]) > 0
    files = sum(len(c["files"]) for c in manifest["cases"])
    assert vector_set.verified == files
    # every (W, codec, path, profile) of the set appears, and the set was written for more than one of each
    for field in ("world_size", "codec", "data_path", "profile"):
        assert len(vector_set.values(field)) >= 2, field


def test_a_case_carries_its_parameters_and_its_files(vector_set):
    for case in vector_set:
        parts = case.id.split(".")
        assert parts[0] == "w%d" % case.world_size and parts[1] == case.codec and parts[2] == case.data_path
        assert parts[3] == case.profile and parts[4] == "n%d" % case.n and parts[5] == case.kind
        assert parts[6] == "b%d" % case.max_blocks and parts[7] == "s" + case.seed
        assert case.cast == (case.data_path != case.dtype)
        inputs = case.inputs()
        assert len(inputs) == case.world_size
        want_dtype = np.float16 if case.dtype == "fp16" else np.uint16
        for a in inputs + [case.expected()]:
            assert a.dtype == want_dtype and a.shape == (case.n,)
        case.release()


def test_inputs_are_fresh_copies(vector_set):
    case = vector_set.cases[0]
    a = case.inputs()[0]
    a[:] = 0
    assert np.count_nonzero(case.inputs()[0].view(np.uint16)) > 0


def test_max_blocks_falls_back_to_the_case_id(vector_set):
    case = vector_set.cases[0]
    entry = dict(case.entry)
    entry.pop("max_blocks", None)
    assert qrref.Case(vector_set, entry).max_blocks == case.max_blocks


def test_selection_by_codec_world_size_path_profile_and_glob(vector_set):
    codec = vector_set.values("codec")[-1]
    w = vector_set.values("world_size")[-1]
    chosen = vector_set.select(codec=codec, world_size=[str(w)], profile=vector_set.values("profile")[:1])
    assert chosen and all(c.codec == codec and c.world_size == w for c in chosen)
    expected = [c for c in vector_set if c.codec == codec and c.world_size == w and c.profile == vector_set.values("profile")[0]]
    assert chosen == expected
    assert vector_set.select(pattern="*.specials.*") == [c for c in vector_set if c.kind == "specials"]
    assert vector_set.select(data_path=vector_set.values("data_path")) == vector_set.cases


def test_a_value_the_set_does_not_hold_is_an_error_naming_what_it_holds(vector_set):
    with pytest.raises(VectorSetError) as e:
        vector_set.select(codec="int5")
    assert "codec int5: no case of the set" in str(e.value)
    assert ", ".join(vector_set.values("codec")) in str(e.value)
    with pytest.raises(VectorSetError, match="world size 3"):
        vector_set.select(world_size=3)


def copy_set(vectors_dir, tmp_path, cases):
    """A copy of the set holding only ``cases`` (manifest rewritten), for tests that damage it."""
    dst = tmp_path / "set"
    dst.mkdir()
    with open(os.path.join(vectors_dir, "manifest.json")) as f:
        manifest = json.load(f)
    manifest["cases"] = [c for c in manifest["cases"] if c["id"] in cases]
    for c in manifest["cases"]:
        shutil.copytree(os.path.join(vectors_dir, c["id"]), str(dst / c["id"]))
    (dst / "manifest.json").write_text(json.dumps(manifest))
    return dst, manifest


def test_a_corrupted_file_is_refused_naming_it(vectors_dir, vector_set, tmp_path):
    case = vector_set.cases[1]
    dst, _ = copy_set(vectors_dir, tmp_path, [case.id])
    victim = dst / case.id / "in_rank1.npy"
    data = bytearray(victim.read_bytes())
    data[-1] ^= 0x01
    victim.write_bytes(bytes(data))
    with pytest.raises(VectorSetError) as e:
        qrref.load_vectors(str(dst))
    assert str(e.value).startswith("vector file corrupted: %s/in_rank1.npy: SHA-256 " % case.id)
    # without the check the set opens, and verify() finds the same file
    vs = qrref.load_vectors(str(dst), verify=False)
    with pytest.raises(VectorSetError, match="in_rank1.npy"):
        vs.verify()


def test_a_missing_file_is_refused(vectors_dir, vector_set, tmp_path):
    case = vector_set.cases[2]
    dst, _ = copy_set(vectors_dir, tmp_path, [case.id])
    os.remove(str(dst / case.id / "out.npy"))
    with pytest.raises(VectorSetError, match="vector file missing: %s/out.npy" % case.id.replace(".", r"\.")):
        qrref.load_vectors(str(dst))


@pytest.mark.parametrize("change, message", [
    (lambda m: m.update(format="other"), "is not a QuickReduce vector manifest"),
    (lambda m: m.update(format_version=99), "has format version 99"),
    (lambda m: m.pop("geometry"), "lacks or mangles a field"),
])
def test_a_foreign_or_newer_manifest_is_refused(vectors_dir, vector_set, tmp_path, change, message):
    dst, manifest = copy_set(vectors_dir, tmp_path, [vector_set.cases[0].id])
    change(manifest)
    (dst / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(VectorSetError, match=message):
        qrref.load_vectors(str(dst))


def test_a_directory_without_a_manifest_is_refused(tmp_path):
    with pytest.raises(VectorSetError, match="does not exist"):
        qrref.load_vectors(str(tmp_path / "nothing"))
    with pytest.raises(VectorSetError, match="manifest.json' not found"):
        qrref.load_vectors(str(tmp_path))


def test_bf16_inputs_as_tensors_are_real_bfloat16_with_the_same_bits(vector_set, torch):
    case = next(c for c in vector_set if c.dtype == "bf16")
    tensors = case.inputs(as_="torch")
    bits = case.inputs(as_="bits")
    assert all(t.dtype == torch.bfloat16 and t.shape == (case.n,) for t in tensors)
    for t, b in zip(tensors, bits):
        assert np.array_equal(t.view(torch.int16).numpy().view(np.uint16), b)
    # a value of the tensor is the bf16 number the bits stand for: widen to float32 by hand and compare
    finite = ~np.isnan((bits[0].astype(np.uint32) << 16).view(np.float32))
    by_hand = (bits[0].astype(np.uint32) << 16).view(np.float32)[finite]
    assert np.array_equal(tensors[0].float().numpy()[finite], by_hand)
    fp16 = next(c for c in vector_set if c.dtype == "fp16")
    assert fp16.expected(as_="torch").dtype == torch.float16
