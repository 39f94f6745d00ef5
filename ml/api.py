"""The public functions the platform calls: load the base, encode, stylize, export."""

import json
import math
from functools import lru_cache
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from ml import render
from ml.artifacts import FORMAT_VERSION, Adapter, Look, _digest
from ml.cube import write_cube
from ml.edits import apply_edits, check_edits, is_neutral
from ml.errors import MLError
from ml.imageio import check_refs, split_alpha, thumbnails
from ml.model import THUMB, BaseModel, ModelConfig
from ml.taste import combine

DEFAULT_WEIGHTS = Path(__file__).resolve().parent / "weights" / "base.safetensors"
MAX_STRENGTH = 1.5
RESIDUAL_SIZE = 17


def resolve_device(device: str | torch.device | None) -> torch.device:
    """None means CPU: the platform passes its configured device explicitly."""
    dev = torch.device(device or "cpu")
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise MLError("CUDA was requested but is not available on this machine")
    return dev


def set_threads(n: int) -> None:
    """Limit torch's intra-op CPU threads (the benchmark uses 2)."""
    torch.set_num_threads(max(1, int(n)))


def save_base(model: BaseModel, path: str | Path, meta: dict[str, str] | None = None) -> None:
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    fp = _digest(*(tensors[k].numpy().tobytes() for k in sorted(tensors)))
    info = {**(meta or {}), "format": "lookbook-base", "version": FORMAT_VERSION,
            "config": json.dumps(model.config_dict()), "fingerprint": fp}  # fmt: skip
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=info)


def load_base(device: str | torch.device | None = None, path: str | Path | None = None):
    """The base model (cached per path and device), in eval mode with frozen weights."""
    return _load_base(str(path or DEFAULT_WEIGHTS), str(resolve_device(device)))


@lru_cache(maxsize=4)
def _load_base(path: str, device: str) -> BaseModel:
    if not Path(path).is_file():
        raise MLError(f"base model weights not found: {path}")
    try:
        with safe_open(path, framework="pt") as f:
            meta = f.metadata() or {}
            state = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118
        model = BaseModel(ModelConfig(**json.loads(meta["config"])))
        model.load_state_dict(state)
    except Exception:
        raise MLError(f"base model file is corrupt: {path}") from None
    model.fingerprint = meta["fingerprint"]
    model.meta = meta
    model.eval().requires_grad_(False)
    return model.to(device)


def encode_look(ref_images: list, device: str | torch.device | None = None, base=None) -> Look:
    """Zero-shot: a Look from a handful (>= 3) of reference photos (PIL images)."""
    check_refs(ref_images)
    base = base or load_base(device)
    with torch.no_grad():
        code = base.reference_code(thumbnails(ref_images, THUMB, base.device))
    residual = torch.zeros(3, RESIDUAL_SIZE, RESIDUAL_SIZE, RESIDUAL_SIZE)
    return Look(code.cpu(), residual, base.fingerprint, {"refs": str(len(ref_images))})


def check_strength(strength: float) -> float:
    try:
        s = float(strength)
    except (TypeError, ValueError):
        raise MLError(f"strength must be a number, got {strength!r}") from None
    if not (0.0 <= s <= MAX_STRENGTH) or math.isnan(s):
        raise MLError(f"strength must be between 0 and {MAX_STRENGTH}, got {strength}")
    return s


def check_look(look: Look, base: BaseModel) -> None:
    if not isinstance(look, Look):
        raise MLError(f"expected a Look, got {type(look).__name__}")
    if look.base != base.fingerprint:
        raise MLError("look was made with another base model; encode or train it again")


def final_edits(edits: dict | None, adapter: Adapter | None, intensity: float) -> dict:
    """The user's edits plus the adapter's taste at `intensity`, validated."""
    if adapter is None:
        return check_edits(edits)
    if not isinstance(adapter, Adapter):
        raise MLError(f"expected an Adapter, got {type(adapter).__name__}")
    return combine(edits or {}, adapter.taste, intensity)


def look_lut(base: BaseModel, look: Look, size: int = 33) -> tuple[torch.Tensor, float]:
    """The look's colour LUT (3, size, size, size), residual included, and its vignette."""
    p = base.program(look.code.to(base.device)[None])
    lut = base.bake(p, look.residual.to(base.device), size)
    return lut, float(base.vignette(p)[0])


def final_lut(base: BaseModel, look: Look, strength: float, edits: dict, size: int = 33):
    """What the app applies to every pixel: the look at a strength, then the edits."""
    with torch.no_grad():
        lut, vignette = look_lut(base, look, size)
        lut = render.blend_lut(lut, strength)
        if not is_neutral(edits):
            lut = apply_edits(lut, edits)
    return lut, vignette * strength


def stylize(
    image,
    look: Look,
    adapter: Adapter | None = None,
    strength: float = 1.0,
    edits: dict | None = None,
    intensity: float = 1.0,
    device: str | torch.device | None = None,
    base=None,
):
    """Render a PIL image in a look, at full resolution.

    strength in [0, 1.5] (0: the look is not applied, 1: in full); edits (ml.edits) go on top,
    plus the adapter's taste at `intensity` (0..1). Output: same size; RGB, or RGBA when the
    input had transparency (alpha kept).
    """
    s = check_strength(strength)
    base = base or load_base(device)
    check_look(look, base)
    changes = final_edits(edits, adapter, intensity)
    if s == 0.0 and is_neutral(changes):
        return image.copy()
    rgb, alpha = split_alpha(image)
    lut, vignette = final_lut(base, look, s, changes)
    out = render.apply(rgb, lut, vignette)
    if alpha is not None:
        out.putalpha(alpha)
    return out


def export_cube(
    look: Look,
    path: str | Path,
    size: int = 33,
    adapter: Adapter | None = None,
    strength: float = 1.0,
    edits: dict | None = None,
    intensity: float = 1.0,
    device: str | torch.device | None = None,
    base=None,
) -> None:
    """Write the look as a .cube 3D LUT: the colour transform stylize applies with the same
    arguments. The vignette is spatial and cannot be part of a LUT."""
    if not 2 <= int(size) <= 65:
        raise MLError(f"cube size must be between 2 and 65, got {size}")
    s = check_strength(strength)
    base = base or load_base(device)
    check_look(look, base)
    lut, _ = final_lut(base, look, s, final_edits(edits, adapter, intensity), int(size))
    title = look.meta.get("name", f"Lookbook {look.fingerprint}")
    write_cube(render.lut_table(lut), path, title)
