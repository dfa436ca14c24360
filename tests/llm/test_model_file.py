"""Assembling the GGUF from its part packages and checking it against the pinned sha256."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from rag.llm import model_file
from rag.llm.model_file import MODELS, ModelFileError, ModelSpec, ensure_model, model_path, sha256_file, verify
from rag.settings import Settings
from tests.helpers import MODEL_DIR


def _one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


# --- small fake part packages: the assembly logic without a gigabyte --------------------------------


@pytest.fixture
def fake_parts(tmp_path, monkeypatch):
    """Three importable packages fakeparts_<id>_part1..3, each with get_part_path(), and their ModelSpec."""
    import hashlib

    root = tmp_path / "site"
    prefix = f"fakeparts_{os.getpid()}_{tmp_path.name.replace('-', '_')}_part"
    blobs = [b"GGUF" + bytes(range(256)) * 40, b"middle" * 1000, b"tail-bytes" * 7]
    for i, blob in enumerate(blobs, 1):
        pkg = root / f"{prefix}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(blob)
        (pkg / "__init__.py").write_text(
            textwrap.dedent(f"""
                import os
                def get_part_path():
                    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "part{i:02d}.bin")
            """)
        )
    monkeypatch.syspath_prepend(str(root))
    whole = b"".join(blobs)
    spec = ModelSpec(
        name="fake-model", module_prefix=prefix, dist_prefix="fake-model-part", version="1.0", parts=3,
        size=len(whole), sha256=hashlib.sha256(whole).hexdigest(), extra="fakeextra", description="test",
    )  # fmt: skip
    monkeypatch.setitem(MODELS, spec.name, spec)
    yield spec, whole
    for i in range(1, 4):
        sys.modules.pop(f"{prefix}{i}", None)


def test_assembles_parts_in_order_and_pins(fake_parts, tmp_path):
    spec, whole = fake_parts
    path = ensure_model(spec.name, tmp_path / "models")
    assert path == tmp_path / "models" / "fake-model.gguf"
    assert path.read_bytes() == whole
    assert path.with_name(path.name + ".verified").is_file()
    assert not [p for p in path.parent.iterdir() if p.suffix == ".part"]  # no temp file left behind


def test_reuses_a_verified_file_without_rehashing(fake_parts, tmp_path, monkeypatch):
    spec, _ = fake_parts
    path = ensure_model(spec.name, tmp_path / "models")
    mtime = path.stat().st_mtime_ns

    def no_hashing(_path):
        raise AssertionError("a warm start must not rehash")

    monkeypatch.setattr(model_file, "sha256_file", no_hashing)
    monkeypatch.setattr(model_file, "_assemble", lambda *a: pytest.fail("must not reassemble"))
    assert ensure_model(spec.name, tmp_path / "models") == path
    assert path.stat().st_mtime_ns == mtime


def test_changed_file_is_verified_again_and_reassembled(fake_parts, tmp_path):
    spec, whole = fake_parts
    path = ensure_model(spec.name, tmp_path / "models")
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # same size, different content
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError) as exc:
        verify(path, spec)
    assert "sha256" in _one_line(exc)
    assert ensure_model(spec.name, tmp_path / "models").read_bytes() == whole


def test_parts_that_do_not_match_the_pin_are_refused(fake_parts, tmp_path, monkeypatch):
    spec, _ = fake_parts
    monkeypatch.setitem(MODELS, spec.name, replace(spec, sha256="0" * 64))
    with pytest.raises(ModelFileError) as exc:
        ensure_model(spec.name, tmp_path / "models")
    text = _one_line(exc)
    assert "pinned" in text and "pip install --force-reinstall 'minutes-rag[fakeextra]'" in text
    assert not (tmp_path / "models" / "fake-model.gguf").exists()


def test_missing_part_package_names_the_extra(fake_parts, tmp_path, monkeypatch):
    spec, _ = fake_parts
    monkeypatch.setitem(MODELS, spec.name, replace(spec, parts=5, size=spec.size + 1))
    with pytest.raises(ModelFileError) as exc:
        ensure_model(spec.name, tmp_path / "models")
    text = _one_line(exc)
    assert "fake-model-part4, fake-model-part5" in text
    assert "pip install 'minutes-rag[fakeextra]'" in text


def test_unknown_model_name_lists_the_known_ones(tmp_path):
    with pytest.raises(ModelFileError) as exc:
        model_path(Settings(data_dir=tmp_path, llm_model="gpt-9"))
    assert "qwen2.5-0.5b" in _one_line(exc) and "qwen2.5-1.5b" in str(exc.value)


def test_model_path_setting_overrides_and_must_be_gguf(tmp_path):
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_bytes(b"PK\x03\x04 a zip")
    with pytest.raises(ModelFileError) as exc:
        model_path(Settings(llm_model_path=str(not_gguf)))
    assert "not a GGUF" in _one_line(exc)
    with pytest.raises(ModelFileError) as exc:
        model_path(Settings(llm_model_path=str(tmp_path / "nope.gguf")))
    assert "cannot be read" in _one_line(exc)
    good = tmp_path / "mine.gguf"
    good.write_bytes(b"GGUF\x03\x00\x00\x00")
    assert model_path(Settings(llm_model_path=str(good), llm_model="not-consulted")) == good


# --- the real packaged models ----------------------------------------------------------------------


def test_small_model_matches_its_pinned_sha256(small_gguf):
    spec = MODELS["qwen2.5-0.5b"]
    assert small_gguf.stat().st_size == spec.size
    assert sha256_file(small_gguf) == spec.sha256


def test_corrupted_copy_of_the_real_model_is_refused(small_gguf, tmp_path, monkeypatch):
    """A copy with one flipped byte, the pinned entry pointed at it: one-line ModelFileError."""
    copy = tmp_path / "models" / "qwen2.5-0.5b.gguf"
    copy.parent.mkdir()
    shutil.copyfile(small_gguf, copy)
    with open(copy, "r+b") as f:
        f.seek(MODELS["qwen2.5-0.5b"].size // 2)
        byte = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0x01]))
    with pytest.raises(ModelFileError) as exc:
        verify(copy, MODELS["qwen2.5-0.5b"])
    text = _one_line(exc)
    assert str(copy) in text and MODELS["qwen2.5-0.5b"].sha256[:16] in text

    # and the pinned entry with no parts to rebuild from: the damaged file is never handed out
    monkeypatch.setitem(MODELS, "qwen2.5-0.5b", replace(MODELS["qwen2.5-0.5b"], module_prefix="no_such_module_part"))
    with pytest.raises(ModelFileError) as exc:
        ensure_model("qwen2.5-0.5b", copy.parent)
    assert "pip install 'minutes-rag[small]'" in _one_line(exc)


@pytest.mark.slow
def test_default_model_assembles_and_matches_its_pin(data_dir):
    spec = MODELS["qwen2.5-1.5b"]
    path = ensure_model(spec.name, MODEL_DIR)
    assert path.stat().st_size == spec.size
    path.with_name(path.name + ".verified").unlink()  # force a real hash, not the sidecar
    assert verify(path, spec) == path
    assert sha256_file(path) == spec.sha256
    assert Path(model_path(Settings(data_dir=data_dir, model_dir=str(MODEL_DIR)))) == path


def test_models_are_assembled_in_model_dir_else_in_the_data_folder(fake_parts, tmp_path):
    spec, whole = fake_parts
    shared = tmp_path / "shared-models"
    for data_dir in (tmp_path / "class-a", tmp_path / "class-b"):
        path = model_path(Settings(data_dir=data_dir, llm_model=spec.name, model_dir=str(shared)))
        assert path == shared / spec.filename and path.read_bytes() == whole
        assert not (data_dir / "models").exists()  # one copy for both data folders
    alone = model_path(Settings(data_dir=tmp_path / "alone", llm_model=spec.name))
    assert alone == tmp_path / "alone" / "models" / spec.filename and alone.read_bytes() == whole
