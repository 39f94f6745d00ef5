"""Look and Adapter: small tensors plus metadata, stored as versioned safetensors files."""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from ml.edits import check_edits
from ml.errors import MLError

FORMAT_VERSION = "1"
ADAPTER_VERSION = "2"  # version 1 held LoRA factors; a taste in edit space replaced them


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
    return h.hexdigest()[:16]


def _tensor_bytes(t: torch.Tensor) -> bytes:
    return t.detach().to("cpu", torch.float32).contiguous().numpy().tobytes()


def _read(
    path: str | Path, kind: str, version: str = FORMAT_VERSION
) -> tuple[dict[str, torch.Tensor], dict[str, str]]:
    path = Path(path)
    if not path.is_file():
        raise MLError(f"no such {kind} file: {path}")
    try:
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            tensors = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
    except Exception:
        raise MLError(f"{kind} file is corrupt: {path}") from None
    if meta.get("format") != f"lookbook-{kind}":
        raise MLError(f"file is not a Lookbook {kind}: {path}")
    if meta.get("version") != version:
        raise MLError(
            f"{kind} file {path} has format version {meta.get('version')!r}; "
            f"this version of ml reads version {version}"
        )
    return tensors, meta


def _write(path: str | Path, tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = {k: v.detach().to("cpu", torch.float32).contiguous() for k, v in tensors.items()}
    save_file(clean, str(path), metadata={k: str(v) for k, v in meta.items()})


@dataclass
class Look:
    """A look: a code for the base model plus a LUT residual learnt by look training.

    `base` is the fingerprint of the base model the code belongs to.
    """

    code: torch.Tensor
    residual: torch.Tensor
    base: str
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Stable content hash; adapters record it to refuse other looks."""
        return _digest(_tensor_bytes(self.code), _tensor_bytes(self.residual), self.base)

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": "lookbook-look", "version": FORMAT_VERSION,
                "base": self.base, "fingerprint": self.fingerprint}  # fmt: skip
        _write(path, {"code": self.code, "residual": self.residual}, meta)

    @classmethod
    def load(cls, path: str | Path) -> "Look":
        tensors, meta = _read(path, "look")
        try:
            look = cls(tensors["code"], tensors["residual"], meta["base"], _user_meta(meta))
        except KeyError:
            raise MLError(f"look file is corrupt: {path}") from None
        if look.fingerprint != meta.get("fingerprint"):
            raise MLError(f"look file is corrupt: {path}")
        return look


@dataclass
class Adapter:
    """A person's taste for one look: the edits they would make to it (see ml.taste), and how
    much evidence of each kind it was learnt from."""

    taste: dict[str, float]
    evidence: dict[str, int]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        return _digest(json.dumps(self.taste, sort_keys=True), json.dumps(self.evidence))

    def save(self, path: str | Path) -> None:
        meta = {**self.meta, "format": "lookbook-adapter", "version": ADAPTER_VERSION,
                "taste": json.dumps(self.taste), "evidence": json.dumps(self.evidence),
                "fingerprint": self.fingerprint}  # fmt: skip
        values = torch.tensor([self.taste[n] for n in sorted(self.taste)])
        _write(path, {"taste": values}, meta)

    @classmethod
    def load(cls, path: str | Path) -> "Adapter":
        _, meta = _read(path, "adapter", ADAPTER_VERSION)
        try:
            adapter = cls(json.loads(meta["taste"]), json.loads(meta["evidence"]),
                          _user_meta(meta))  # fmt: skip
            check_edits(adapter.taste)
        except (KeyError, ValueError, MLError):
            raise MLError(f"adapter file is corrupt: {path}") from None
        if adapter.fingerprint != meta.get("fingerprint"):
            raise MLError(f"adapter file is corrupt: {path}")
        return adapter


def _user_meta(meta: dict[str, str]) -> dict[str, str]:
    reserved = {"format", "version", "base", "taste", "evidence", "fingerprint"}
    return {k: v for k, v in meta.items() if k not in reserved}
