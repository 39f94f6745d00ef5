"""Random synthetic looks, generated from a seed, used to train the base model and in tests.

A synthetic look is what a colourist's preset does to a photo: a colour transform baked into a
17^3 LUT, plus a vignette and film grain. The colour transform is a random chain of grading
operations (white balance and strong casts, exposure from low-key to high-key, contrast,
master and per-channel curves, channel mixing, saturation and vibrance, hue-selective shifts,
split toning in any hue pair, fades with lifted blacks, toned monochrome and smooth random
3D LUT warps). Each family sets which operations run and how strong they are; "subtle" pulls
any look most of the way back towards the untouched photo. Strong looks are common on
purpose: a model trained mostly on gentle looks learns to apply every look gently.

    look = random_look(seed=7)              # or random_look(7, family="cross")
    styled = look.apply(pil_image)          # PIL in, PIL out; tensors (B,3,H,W) work too
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ml.color import (
    apply_lut,
    from_opponent,
    hue_weights,
    identity_lut,
    interp1d,
    radius2,
    to_opponent,
)
from ml.errors import MLError

LUT_SIZE = 17

Rng = np.random.Generator
Op = Callable[[torch.Tensor, Rng, float], torch.Tensor]


@dataclass
class SyntheticLook:
    """One look: a colour LUT (3, S, S, S) [c, b, g, r], a vignette amount and a grain sigma."""

    seed: int
    family: str
    lut: torch.Tensor
    vignette: float
    grain: float

    def apply(self, image, grain: bool = True):
        """Apply to a PIL image (returns PIL RGB) or to a float tensor (B, 3, H, W) in [0, 1]."""
        if isinstance(image, Image.Image):
            from ml.imageio import from_tensor, to_tensor

            return from_tensor(self.apply(to_tensor(image.convert("RGB")), grain=grain))
        x = apply_lut(image, self.lut.to(image)[None])
        noise = torch.Generator(device=image.device).manual_seed(self.seed) if grain else None
        n = image.shape[0]
        vignette = torch.full((n,), self.vignette, dtype=image.dtype, device=image.device)
        sigma = torch.full((n,), self.grain, dtype=image.dtype, device=image.device)
        return apply_spatial(x, vignette, sigma, noise)


def apply_spatial(
    x: torch.Tensor,
    vignette: torch.Tensor,
    grain: torch.Tensor,
    noise_gen: torch.Generator | None = None,
) -> torch.Tensor:
    """Darken the corners by vignette (B,) * r^2, then add grain (B,) when noise_gen is given."""
    r2 = radius2(x.shape[-2], x.shape[-1], x.device)
    x = x * (1.0 - vignette.reshape(-1, 1, 1, 1) * r2)
    if noise_gen is not None and bool((grain > 0).any()):
        noise = torch.randn(x.shape[0], 1, *x.shape[2:], generator=noise_gen, device=x.device)
        x = x + grain.reshape(-1, 1, 1, 1) * noise.to(x.dtype)
    return x.clamp(0.0, 1.0)


# Grading operations. Each takes RGB values (1, 3, N) in [0, 1], the look's random generator
# and an amount in [0, 1] that scales how far it may move colours.


def _gains(x: torch.Tensor, gains: np.ndarray) -> torch.Tensor:
    return x * torch.as_tensor(gains, dtype=x.dtype).reshape(1, 3, 1)


def white_balance(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    temp, tint = rng.normal(0.0, 0.18 * amount, 2)
    gains = np.exp([temp, tint, -temp])
    return _gains(x, gains / gains.mean()).clamp(0.0, 1.0)


def colour_cast(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    """A strong cast towards any hue, as in cross-processed or expired film."""
    hue = rng.uniform(0.0, 2.0 * math.pi)
    direction = np.array([math.cos(hue), math.sin(hue)]) * rng.uniform(0.05, 0.16) * amount
    m, u, v = to_opponent(x)
    where = rng.uniform(0.0, 1.0)  # 0: shadows, 1: highlights, between: everywhere
    weight = 1.0 - (m.clamp(0, 1) - where).abs()
    return from_opponent(m, u + weight * direction[0], v + weight * direction[1]).clamp(0.0, 1.0)


def _expose(x: torch.Tensor, stops: float) -> torch.Tensor:
    """Exposure in linear light; brightening rolls highlights off instead of clipping them."""
    lin = x.clamp(min=0.0) ** 2.2
    if stops > 0:
        k = _shoulder(2.0**stops)
        lin = (1.0 - torch.exp(-k * lin)) / (1.0 - math.exp(-k))
    else:
        lin = lin * 2.0**stops
    return lin.clamp(0.0, 1.0) ** (1.0 / 2.2)


def _shoulder(slope: float) -> float:
    """k such that (1 - exp(-k x)) / (1 - exp(-k)) has this slope at 0 (bisection)."""
    lo, hi = 1e-3, 40.0
    for _ in range(40):
        k = (lo + hi) / 2.0
        lo, hi = (k, hi) if k / (1.0 - math.exp(-k)) < slope else (lo, k)
    return k


def exposure(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    return _expose(x, rng.normal(0.0, 0.5 * amount))


def low_key(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    return _expose(x, -rng.uniform(0.5, 1.6) * amount)


def high_key(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    return _expose(x, rng.uniform(0.4, 1.4) * amount)


def _monotone_curve(rng: Rng, knots: int, amount: float) -> torch.Tensor:
    """A random increasing curve through (0, 0) and (1, 1), blended with the identity."""
    steps = rng.gamma(4.0, 1.0, knots)
    curve = np.concatenate([[0.0], np.cumsum(steps) / steps.sum()])
    ident = np.linspace(0.0, 1.0, knots + 1)
    return torch.as_tensor(ident + amount * (curve - ident), dtype=torch.float32)


def tone_curve(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    return interp1d(x, _monotone_curve(rng, 6, rng.uniform(0.2, 0.9) * amount)[None])


def channel_curves(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    out = [
        interp1d(x[:, c], _monotone_curve(rng, 5, rng.uniform(0.0, 0.8) * amount)[None])
        for c in range(3)
    ]
    return torch.stack(out, 1)


def _s_curve(x: torch.Tensor, pivot: float) -> torch.Tensor:
    ends = torch.sigmoid(torch.tensor([-pivot, 1.0 - pivot]) * 6.0)
    return (torch.sigmoid((x - pivot) * 6.0) - ends[0]) / (ends[1] - ends[0])


def contrast(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    """An S-curve around a random pivot; a negative blend flattens instead (matte looks)."""
    c = float(np.clip(rng.normal(0.2, 0.45) * amount, -0.8, 0.9))
    return (x + c * (_s_curve(x, rng.uniform(0.35, 0.6)) - x)).clamp(0.0, 1.0)


def channel_mixer(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    mix = np.eye(3) + rng.normal(0.0, 0.12 * amount, (3, 3))
    mix /= mix.sum(1, keepdims=True)
    return torch.einsum("ij,bjn->bin", torch.as_tensor(mix, dtype=x.dtype), x).clamp(0.0, 1.0)


def saturation(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    sat = math.exp(rng.normal(0.0, 0.45) * amount)
    vibrance = rng.normal(0.0, 0.4) * amount
    m, u, v = to_opponent(x)
    chroma = torch.sqrt(u * u + v * v + 1e-8)
    scale = sat * (1.0 + vibrance * (1.0 - (chroma * 3.0).clamp(max=1.0)))
    return from_opponent(m, u * scale, v * scale).clamp(0.0, 1.0)


def _per_band(w: torch.Tensor, values: np.ndarray) -> torch.Tensor:
    return torch.einsum("bnk,k->bn", w, torch.as_tensor(values, dtype=w.dtype))


def hue_shifts(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    """Hue-selective saturation, hue and luminance, as in an HSL panel."""
    bands = 6
    m, u, v = to_opponent(x)
    w = hue_weights(u, v, bands, kappa=3.0)
    chroma = torch.sqrt(u * u + v * v + 1e-8)
    sat = _per_band(w, np.exp(rng.normal(0.0, 0.3 * amount, bands)))
    rot = _per_band(w, rng.normal(0.0, 0.35 * amount, bands))
    lum = _per_band(w, rng.normal(0.0, 0.25 * amount, bands))
    cos_r, sin_r = torch.cos(rot), torch.sin(rot)
    u, v = sat * (u * cos_r - v * sin_r), sat * (u * sin_r + v * cos_r)
    return from_opponent(m + lum * chroma, u, v).clamp(0.0, 1.0)


def split_tone(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    if rng.random() < 0.4:  # the teal/orange family and its relatives
        shadow, high = rng.normal(205, 25), rng.normal(45, 20)
    else:
        shadow, high = rng.uniform(0, 360), rng.uniform(0, 360)
    m, u, v = to_opponent(x)
    mm = m.clamp(0.0, 1.0)
    out_u, out_v = u, v
    for hue, weight in ((shadow, (1.0 - mm) ** 2), (high, mm**2)):
        strength = rng.uniform(0.02, 0.12) * amount
        out_u = out_u + weight * strength * math.cos(math.radians(hue))
        out_v = out_v + weight * strength * math.sin(math.radians(hue))
    return from_opponent(m, out_u, out_v).clamp(0.0, 1.0)


def fade(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    black = rng.uniform(0.03, 0.25) * amount
    white = rng.uniform(0.0, 0.12) * amount
    tint = rng.normal(0.0, 0.03 * amount, 3)  # faded blacks are rarely neutral
    lifted = torch.as_tensor(np.clip(black + tint, 0.0, 0.4), dtype=x.dtype).reshape(1, 3, 1)
    return lifted + (1.0 - lifted - white) * x


def monochrome(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    """Black and white through a random colour filter, then toned: sepia, selenium, cyanotype."""
    weights = rng.dirichlet([3.0, 5.0, 2.0])
    grey = torch.einsum("j,bjn->bn", torch.as_tensor(weights, dtype=x.dtype), x)
    tone = [rng.normal(40, 12), rng.normal(340, 15), rng.normal(210, 12), rng.uniform(0, 360)]
    hue = math.radians(tone[int(rng.integers(4))])
    strength = rng.choice([0.0, rng.uniform(0.02, 0.1)]) * (0.5 + amount)
    weight = 4.0 * grey * (1.0 - grey)
    u = weight * strength * math.cos(hue)
    v = weight * strength * math.sin(hue)
    return from_opponent(grey, u, v).clamp(0.0, 1.0)


def lut_warp(x: torch.Tensor, rng: Rng, amount: float) -> torch.Tensor:
    """A smooth random deformation of the colour cube, as in hand-made creative LUTs."""
    grid = int(rng.integers(2, 5))
    field = rng.normal(0.0, 0.08 * amount, (1, 3, grid, grid, grid))
    coords = x.permute(0, 2, 1).reshape(1, -1, 1, 1, 3) * 2.0 - 1.0  # (r, g, b) = (W, H, D)
    shift = F.grid_sample(torch.as_tensor(field, dtype=x.dtype), coords, align_corners=True)
    return (x + shift.reshape(x.shape)).clamp(0.0, 1.0)


# Each family: (sampling weight, [(operation, amount, probability it runs)]).
_ALL_OPS: tuple[Op, ...] = (
    white_balance,
    colour_cast,
    exposure,
    tone_curve,
    channel_curves,
    contrast,
    channel_mixer,
    saturation,
    hue_shifts,
    split_tone,
    fade,
    lut_warp,
)
FAMILIES: dict[str, tuple[float, list[tuple[Op, float, float]]]] = {
    "film": (
        1.2,
        [
            (white_balance, 0.6, 0.8),
            (tone_curve, 0.6, 0.8),
            (channel_curves, 0.4, 0.6),
            (contrast, 0.6, 0.8),
            (saturation, 0.5, 0.8),
            (hue_shifts, 0.6, 0.7),
            (split_tone, 0.7, 0.7),
            (fade, 0.4, 0.5),
        ],
    ),
    "vintage": (
        1.0,
        [
            (fade, 1.0, 1.0),
            (white_balance, 0.6, 0.8),
            (saturation, 0.6, 0.9),
            (tone_curve, 0.5, 0.7),
            (split_tone, 0.6, 0.6),
            (colour_cast, 0.5, 0.4),
        ],
    ),
    "cast": (
        1.0,
        [
            (white_balance, 1.0, 1.0),
            (colour_cast, 1.0, 0.9),
            (contrast, 0.5, 0.6),
            (saturation, 0.6, 0.6),
            (split_tone, 0.6, 0.5),
        ],
    ),
    "cross": (
        1.0,
        [
            (channel_curves, 1.0, 1.0),
            (channel_mixer, 1.0, 0.8),
            (colour_cast, 0.8, 0.6),
            (saturation, 0.7, 0.8),
            (contrast, 0.7, 0.7),
        ],
    ),
    "moody": (
        0.8,
        [
            (low_key, 1.0, 1.0),
            (contrast, 0.7, 0.8),
            (saturation, 0.6, 0.8),
            (white_balance, 0.6, 0.7),
            (split_tone, 0.5, 0.6),
        ],
    ),
    "airy": (
        0.8,
        [
            (high_key, 1.0, 1.0),
            (fade, 0.6, 0.6),
            (saturation, 0.5, 0.7),
            (white_balance, 0.5, 0.7),
            (contrast, 0.4, 0.5),
        ],
    ),
    "cinematic": (
        1.0,
        [
            (split_tone, 1.0, 1.0),
            (hue_shifts, 0.8, 0.8),
            (contrast, 0.6, 0.7),
            (saturation, 0.5, 0.7),
            (tone_curve, 0.4, 0.5),
        ],
    ),
    "vivid": (
        0.6,
        [
            (saturation, 1.0, 1.0),
            (contrast, 0.8, 0.9),
            (hue_shifts, 0.6, 0.6),
            (white_balance, 0.4, 0.6),
        ],
    ),
    "mono": (
        0.7,
        [(monochrome, 1.0, 1.0), (contrast, 0.7, 0.8), (tone_curve, 0.6, 0.6), (fade, 0.5, 0.4)],
    ),
    "warp": (1.0, [(lut_warp, 1.0, 1.0), (saturation, 0.4, 0.5), (white_balance, 0.4, 0.5)]),
    "mixed": (1.5, []),
    "subtle": (1.0, []),
}


def _recipe(family: str, rng: Rng) -> list[tuple[Op, float]]:
    if family == "mixed":
        picks = rng.choice(len(_ALL_OPS), size=int(rng.integers(3, 8)), replace=False)
        return [(_ALL_OPS[i], rng.uniform(0.3, 1.2)) for i in picks]
    steps = [
        (op, amount * rng.uniform(0.5, 1.3))
        for op, amount, p in FAMILIES[family][1]
        if rng.random() < p
    ]
    if rng.random() < 0.5:
        steps.insert(0, (exposure, 0.4))
    return steps


def random_look(seed: int, family: str | None = None) -> SyntheticLook:
    """A reproducible random look. family is one of FAMILIES, or None to draw one by weight."""
    rng = np.random.default_rng([seed, 4242])
    names = list(FAMILIES)
    if family is None:
        weights = np.array([FAMILIES[n][0] for n in names])
        family = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    if family not in FAMILIES:
        raise MLError(f"unknown look family {family!r}; choose one of {', '.join(names)}")
    inner = family
    while inner == "subtle":
        inner = names[int(rng.integers(len(names)))]
    x = identity_lut(LUT_SIZE).reshape(1, 3, -1)
    ident = x
    for op, amount in _recipe(inner, rng):
        x = op(x, rng, float(amount))
    if family == "subtle":
        x = ident + rng.uniform(0.15, 0.5) * (x - ident)
    vignette = rng.uniform(0.05, 0.45) if rng.random() < 0.35 else 0.0
    grain = rng.uniform(0.005, 0.03) if rng.random() < 0.3 else 0.0
    lut = x.reshape(3, LUT_SIZE, LUT_SIZE, LUT_SIZE).float()
    return SyntheticLook(seed, family, lut, float(vignette), float(grain))


def random_tweak(seed: int) -> SyntheticLook:
    """A mild personal adjustment: warmer or cooler, brighter or darker, more or less contrast
    and saturation. No vignette or grain."""
    rng = np.random.default_rng([seed, 777])
    x = identity_lut(LUT_SIZE).reshape(1, 3, -1)
    temp = rng.choice([-1.0, 1.0]) * rng.uniform(0.05, 0.1)
    gains = np.exp([temp, rng.normal(0.0, 0.02), -temp])
    x = _gains(x, gains / gains.mean()).clamp(0.0, 1.0)
    x = _expose(x, rng.uniform(-0.3, 0.3))
    x = (x + rng.uniform(-0.2, 0.2) * (_s_curve(x, 0.5) - x)).clamp(0.0, 1.0)
    m, u, v = to_opponent(x)
    sat = rng.uniform(0.8, 1.2)
    x = from_opponent(m, u * sat, v * sat).clamp(0.0, 1.0)
    return SyntheticLook(
        seed, "tweak", x.reshape(3, LUT_SIZE, LUT_SIZE, LUT_SIZE).float(), 0.0, 0.0
    )


def stack_looks(looks: list[SyntheticLook]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """LUTs (B, 3, S, S, S), vignettes (B,) and grain sigmas (B,) of several looks."""
    luts = torch.stack([lk.lut for lk in looks])
    vignette = torch.tensor([lk.vignette for lk in looks])
    grain = torch.tensor([lk.grain for lk in looks])
    return luts, vignette, grain
