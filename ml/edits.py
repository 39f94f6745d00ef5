"""Edit controls on top of a look: exposure, temperature, tint, contrast, saturation and fade.

Every edit is a function of a pixel's colour alone, so a chain of edits bakes into the look's
LUT and costs nothing at full resolution. The web UI's preview mirrors this arithmetic in
JavaScript; tests/e2e/test_edits_js.py holds the two together, so change both at once.

    edits = check_edits({"exposure": 0.3, "temperature": 20})
    lut = apply_edits(lut, edits)        # (3, ...) RGB in [0, 1], channel first

The module imports torch only inside apply_edits, so the web tier (which has no torch) can
validate edits with the same ranges the worker applies.
"""

import math
from typing import TYPE_CHECKING

from ml.errors import MLError

if TYPE_CHECKING:
    import torch

EDIT_RANGES: dict[str, tuple[float, float]] = {
    "exposure": (-2.0, 2.0),  # stops
    "temperature": (-100.0, 100.0),
    "tint": (-100.0, 100.0),
    "contrast": (-100.0, 100.0),
    "saturation": (-100.0, 100.0),
    "fade": (0.0, 100.0),
}
LUMA = (0.2126, 0.7152, 0.0722)
GAMMA = 2.2
WHITE_BALANCE_RANGE = 0.3  # log gain at temperature or tint 100
FADE_RANGE = 0.25  # black level at fade 100


def check_edits(edits: dict | None) -> dict[str, float]:
    """Validated edits with every key present (missing keys are 0). MLError names the field."""
    if edits is None:
        edits = {}
    if not isinstance(edits, dict):
        raise MLError(f"edits must be an object, got {type(edits).__name__}")
    unknown = sorted(set(edits) - set(EDIT_RANGES))
    if unknown:
        raise MLError(f"unknown edit {unknown[0]!r}; use {', '.join(EDIT_RANGES)}")
    out = {}
    for name, (lo, hi) in EDIT_RANGES.items():
        value = edits.get(name, 0.0)
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise MLError(f"edit {name!r} must be a number, got {value!r}")
        if not lo <= value <= hi:
            raise MLError(f"edit {name!r} must be between {lo:g} and {hi:g}, got {value:g}")
        out[name] = float(value)
    return out


def is_neutral(edits: dict[str, float]) -> bool:
    return all(v == 0.0 for v in edits.values())


def apply_edits(rgb: "torch.Tensor", edits: dict[str, float]) -> "torch.Tensor":
    """Apply validated edits to colours (3, ...) in [0, 1]: exposure, white balance,
    contrast, saturation, then fade."""
    import torch

    x = rgb.clamp(0.0, 1.0)
    if edits["exposure"]:
        x = (x**GAMMA * 2.0 ** edits["exposure"]).clamp(0.0, 1.0) ** (1.0 / GAMMA)
    if edits["temperature"] or edits["tint"]:
        t = WHITE_BALANCE_RANGE * edits["temperature"] / 100.0
        g = -WHITE_BALANCE_RANGE * edits["tint"] / 100.0
        gains = torch.tensor([math.exp(t), math.exp(g), math.exp(-t)], dtype=x.dtype)
        gains = gains / float(sum(w * v for w, v in zip(LUMA, gains, strict=True)))
        x = (x * gains.to(x.device).reshape(3, *[1] * (x.dim() - 1))).clamp(0.0, 1.0)
    if edits["contrast"]:
        x = x - edits["contrast"] / 100.0 * torch.sin(2.0 * math.pi * x) / (2.0 * math.pi)
    if edits["saturation"]:
        luma = sum(w * x[i] for i, w in enumerate(LUMA))
        x = (luma + (1.0 + edits["saturation"] / 100.0) * (x - luma)).clamp(0.0, 1.0)
    if edits["fade"]:
        black = FADE_RANGE * edits["fade"] / 100.0
        x = black + (1.0 - black) * x
    return x.clamp(0.0, 1.0)
