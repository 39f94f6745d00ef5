"""Random synthetic looks, generated from a seed, used to train and benchmark the models.

A synthetic look is a small photo-editing program: white balance, exposure, contrast,
a master tone curve, per-channel curves, hue-selective saturation / hue / luminance shifts,
global saturation, split toning, fade, vignette and film grain. The families set the priors
that make looks resemble real presets.

    look = random_look(seed=7, family="film")
    styled = look.apply(pil_image)          # PIL in, PIL out; tensors (B,3,H,W) work too
"""

import math
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

from ml.color import from_opponent, hue_weights, identity_lut, radius2, to_opponent
from ml.errors import MLError

FAMILIES = ("film", "moody", "airy", "vintage", "vivid", "mono")

# Per-family ranges (low, high) for the main sliders; everything else is shared.
_PRIORS: dict[str, dict[str, tuple[float, float]]] = {
    "film": dict(
        temp=(0.0, 0.12),
        exposure=(-0.15, 0.15),
        contrast=(-0.2, 0.3),
        sat=(0.75, 1.0),
        fade=(0.03, 0.1),
        tone=(0.02, 0.06),
        vignette=(0.0, 0.25),
        grain=(0.005, 0.02),
    ),
    "moody": dict(
        temp=(-0.15, 0.0),
        exposure=(-0.45, -0.1),
        contrast=(0.2, 0.7),
        sat=(0.55, 0.85),
        fade=(0.0, 0.06),
        tone=(0.04, 0.09),
        vignette=(0.1, 0.4),
        grain=(0.0, 0.0),
    ),
    "airy": dict(
        temp=(0.0, 0.1),
        exposure=(0.15, 0.45),
        contrast=(-0.6, -0.2),
        sat=(0.7, 0.95),
        fade=(0.04, 0.12),
        tone=(0.0, 0.04),
        vignette=(0.0, 0.0),
        grain=(0.0, 0.0),
    ),
    "vintage": dict(
        temp=(0.05, 0.2),
        exposure=(-0.1, 0.1),
        contrast=(-0.3, 0.2),
        sat=(0.5, 0.8),
        fade=(0.08, 0.16),
        tone=(0.03, 0.08),
        vignette=(0.15, 0.45),
        grain=(0.0, 0.015),
    ),
    "vivid": dict(
        temp=(-0.05, 0.1),
        exposure=(-0.1, 0.2),
        contrast=(0.2, 0.6),
        sat=(1.15, 1.5),
        fade=(0.0, 0.02),
        tone=(0.0, 0.03),
        vignette=(0.0, 0.15),
        grain=(0.0, 0.0),
    ),
    "mono": dict(
        temp=(-0.05, 0.05),
        exposure=(-0.2, 0.2),
        contrast=(0.0, 0.6),
        sat=(0.0, 0.0),
        fade=(0.0, 0.1),
        tone=(0.0, 0.05),
        vignette=(0.0, 0.3),
        grain=(0.0, 0.02),
    ),
}
_N_BANDS = 6


@dataclass
class SyntheticLook:
    """One synthetic look. All fields are plain floats / arrays so the look is picklable."""

    seed: int
    family: str
    params: dict[str, np.ndarray] = field(repr=False)

    def apply(self, image, grain: bool = True):
        """Apply to a PIL image (returns PIL RGB) or to a float tensor (B, 3, H, W) in [0, 1]."""
        if isinstance(image, Image.Image):
            from ml.imageio import from_tensor, to_tensor

            return from_tensor(self.apply(to_tensor(image.convert("RGB")), grain=grain))
        batch = image.shape[0]
        p = {
            k: torch.as_tensor(v, dtype=image.dtype, device=image.device)[None].expand(
                batch, *v.shape
            )
            for k, v in self.params.items()
        }
        noise_gen = torch.Generator(device=image.device).manual_seed(self.seed) if grain else None
        return apply_params(image, p, noise_gen)


def random_look(seed: int, family: str | None = None) -> SyntheticLook:
    """A reproducible random look. family is one of FAMILIES, or None to pick one from the seed."""
    rng = np.random.default_rng([seed, 4242])
    if family is None:
        family = FAMILIES[int(rng.integers(len(FAMILIES)))]
    if family not in _PRIORS:
        raise MLError(f"unknown look family {family!r}; choose one of {', '.join(FAMILIES)}")
    pr = _PRIORS[family]

    def u(name: str) -> float:
        lo, hi = pr[name]
        return float(rng.uniform(lo, hi))

    def hue_vec(scale: float) -> np.ndarray:
        return rng.normal(0.0, scale, _N_BANDS).astype(np.float32)

    tone_amount = u("tone")
    shadow_hue = rng.uniform(150, 250) if rng.random() < 0.6 else rng.uniform(0, 360)
    high_hue = rng.uniform(20, 80) if rng.random() < 0.6 else rng.uniform(0, 360)
    params = {
        "temp": u("temp") + rng.normal(0, 0.03),
        "tint": rng.normal(0, 0.04),
        "exposure": u("exposure"),
        "contrast": u("contrast"),
        # Curve amplitudes bounded so that the curve stays monotonic (see _curve).
        "curve": rng.uniform(-1, 1, 3) * np.array([0.1, 0.04, 0.025]),
        "chan_curve": rng.uniform(-1, 1, (3, 2)) * np.array([0.06, 0.03]),
        "band_sat": np.exp(hue_vec(0.25)),
        "band_hue": hue_vec(0.15),
        "band_lum": hue_vec(0.06),
        "sat": u("sat"),
        "shadow": tone_amount
        * np.array([math.cos(math.radians(shadow_hue)), math.sin(math.radians(shadow_hue))]),
        "highlight": tone_amount
        * rng.uniform(0.3, 1.0)
        * np.array([math.cos(math.radians(high_hue)), math.sin(math.radians(high_hue))]),
        "fade_black": u("fade"),
        "fade_white": rng.uniform(0.0, 0.5) * u("fade"),
        "vignette": u("vignette"),
        "grain": u("grain"),
    }
    params = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    return SyntheticLook(seed=seed, family=family, params=params)


def random_tweak(seed: int) -> SyntheticLook:
    """A mild personal adjustment (warmer/cooler, brighter, more or less saturated)."""
    rng = np.random.default_rng([seed, 777])
    base = random_look(seed, "film").params
    params = {k: np.zeros_like(v) for k, v in base.items()}
    params.update(
        temp=rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.1),
        tint=rng.normal(0, 0.02),
        exposure=rng.uniform(-0.2, 0.2),
        contrast=rng.uniform(-0.2, 0.2),
        band_sat=np.ones(_N_BANDS),
        sat=rng.uniform(0.8, 1.2),
    )
    params = {k: np.asarray(v, dtype=np.float32) for k, v in params.items()}
    return SyntheticLook(seed=seed, family="tweak", params=params)


def stack_params(looks: list[SyntheticLook], repeats: int = 1) -> dict[str, torch.Tensor]:
    """Batch the parameters of several looks, each repeated `repeats` times in a row."""
    out = {}
    for k in looks[0].params:
        t = torch.as_tensor(np.stack([lk.params[k] for lk in looks]))
        out[k] = t.repeat_interleave(repeats, 0)
    return out


def _col(t: torch.Tensor) -> torch.Tensor:
    return t.reshape(-1, 1, 1, 1)


def _plane(t: torch.Tensor) -> torch.Tensor:
    return t.reshape(-1, 1, 1)


def _curve(x: torch.Tensor, amps: torch.Tensor) -> torch.Tensor:
    # x + sum a_k sin(k pi x): fixes 0 and 1, and |a1| + 2|a2| + 3|a3| < 1/pi keeps it monotonic.
    out = x
    for k in range(amps.shape[-1]):
        a = amps[..., k].reshape(-1, *([1] * (x.dim() - 1)))
        out = out + a * torch.sin((k + 1) * math.pi * x)
    return out


def apply_params(
    x: torch.Tensor, p: dict[str, torch.Tensor], noise_gen: torch.Generator | None = None
) -> torch.Tensor:
    """Render images x (B, 3, H, W) with per-image parameters p (leading dim B)."""
    return apply_spatial(apply_colour(x, p), p, noise_gen)


def bake_luts(p: dict[str, torch.Tensor], size: int = 17) -> torch.Tensor:
    """The colour part of each look as a LUT (B, 3, size, size, size), for fast training."""
    b = p["temp"].shape[0]
    grid = identity_lut(size).reshape(1, 3, size, size * size).expand(b, -1, -1, -1)
    return apply_colour(grid, p).reshape(b, 3, size, size, size)


def apply_colour(x: torch.Tensor, p: dict[str, torch.Tensor]) -> torch.Tensor:
    """The global (per-pixel colour) part of the looks: everything but vignette and grain."""
    temp, tint = p["temp"], p["tint"]
    gains = torch.exp(torch.stack([temp, tint, -temp], 1))
    gains = gains / gains.mean(1, keepdim=True)
    x = x * gains[:, :, None, None] * _col(torch.exp2(p["exposure"]))
    x = x.clamp(0.0, 1.0)
    c = _col(p["contrast"])
    x = x - c * torch.sin(2 * math.pi * x) / (2 * math.pi)
    x = _curve(x, p["curve"])
    x = torch.stack([_curve(x[:, i : i + 1], p["chan_curve"][:, i])[:, 0] for i in range(3)], 1)

    m, u, v = to_opponent(x)
    w = hue_weights(u, v, _N_BANDS, kappa=3.0)
    mag = torch.sqrt(u * u + v * v + 1e-8)
    sat = torch.einsum("bhwk,bk->bhw", w, p["band_sat"]) * _plane(p["sat"])
    rot = torch.einsum("bhwk,bk->bhw", w, p["band_hue"])
    m = m + torch.einsum("bhwk,bk->bhw", w, p["band_lum"]) * mag
    cos_r, sin_r = torch.cos(rot), torch.sin(rot)
    u, v = sat * (u * cos_r - v * sin_r), sat * (u * sin_r + v * cos_r)
    mm = m.clamp(0.0, 1.0)
    shadow_w, high_w = (1.0 - mm) ** 2, mm**2
    u = u + shadow_w * _plane(p["shadow"][:, 0]) + high_w * _plane(p["highlight"][:, 0])
    v = v + shadow_w * _plane(p["shadow"][:, 1]) + high_w * _plane(p["highlight"][:, 1])
    x = from_opponent(m, u, v).clamp(0.0, 1.0)
    fb, fw = _col(p["fade_black"]), _col(p["fade_white"])
    return fb + (1.0 - fb - fw) * x


def apply_spatial(
    x: torch.Tensor, p: dict[str, torch.Tensor], noise_gen: torch.Generator | None = None
) -> torch.Tensor:
    """Vignette, then grain when a noise generator is given."""
    r2 = radius2(x.shape[-2], x.shape[-1], x.device)
    x = x * (1.0 - _col(p["vignette"]) * r2)
    if noise_gen is not None and bool((p["grain"] > 0).any()):
        noise = torch.randn(x.shape[0], 1, *x.shape[2:], generator=noise_gen, device=x.device)
        x = x + _col(p["grain"]) * noise.to(x.dtype)
    return x.clamp(0.0, 1.0)
