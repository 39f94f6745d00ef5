"""Colour-space helpers shared by the look generator, the renderer and the losses.

Images are float tensors in [0, 1], shape (B, 3, H, W), sRGB-encoded.
The "opponent" space is an orthonormal rotation of RGB: the mean m = (R+G+B)/3 and a
chroma plane (u, v) in which hue is an angle. Pure red sits at 30 degrees, yellow 90,
green 150, cyan 210, blue 270, magenta 330.
"""

import math

import torch
import torch.nn.functional as F

SQ2 = math.sqrt(2.0)
SQ6 = math.sqrt(6.0)


def to_opponent(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r, g, b = x.unbind(1)
    return (r + g + b) / 3.0, (r - g) / SQ2, (r + g - 2.0 * b) / SQ6


def from_opponent(m: torch.Tensor, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    r = m + u / SQ2 + v / SQ6
    g = m - u / SQ2 + v / SQ6
    b = m - 2.0 * v / SQ6
    return torch.stack([r, g, b], 1)


def hue_weights(u: torch.Tensor, v: torch.Tensor, n_bands: int, kappa: float) -> torch.Tensor:
    """Soft membership of each pixel in n_bands hue bands (the first centred on red).

    Uses cos(h - c) computed from (u, v) directly so that grey pixels have a finite gradient.
    Returns shape (*u.shape, n_bands), summing to 1 over the last axis.
    """
    mag = torch.sqrt(u * u + v * v + 1e-6)
    centres = torch.arange(n_bands, device=u.device, dtype=u.dtype) * (2 * math.pi / n_bands)
    centres = centres + math.pi / 6
    cos_d = (u[..., None] * torch.cos(centres) + v[..., None] * torch.sin(centres)) / mag[..., None]
    return torch.softmax(kappa * cos_d, dim=-1)


def interp1d(x: torch.Tensor, knots: torch.Tensor) -> torch.Tensor:
    """Piecewise-linear curve through evenly spaced knots on [0, 1].

    x: (B, ...) values; knots: (B, n) curve values. Returns the curve evaluated at x.
    """
    n = knots.shape[-1] - 1
    shape = x.shape
    flat = x.reshape(shape[0], -1).clamp(0.0, 1.0) * n
    idx = flat.floor().clamp(max=n - 1)
    frac = flat - idx
    idx = idx.long()
    lo = torch.gather(knots, 1, idx)
    hi = torch.gather(knots, 1, idx + 1)
    return (lo + frac * (hi - lo)).reshape(shape)


def srgb_to_lab(x: torch.Tensor) -> torch.Tensor:
    """sRGB in [0, 1] (B, 3, ...) to CIE Lab (D65), differentiable."""
    x = x.clamp(0.0, 1.0)
    lin = torch.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)
    r, g, b = lin.unbind(1)
    xx = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    yy = 0.2126 * r + 0.7152 * g + 0.0722 * b
    zz = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: torch.Tensor) -> torch.Tensor:
        return torch.where(t > 0.008856, (t + 1e-9) ** (1.0 / 3.0), 7.787 * t + 16.0 / 116.0)

    fx, fy, fz = f(xx), f(yy), f(zz)
    return torch.stack([116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], 1)


def identity_lut(size: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """Identity 3D LUT, shape (3, size, size, size) indexed [channel, b, g, r]."""
    g = torch.linspace(0.0, 1.0, size, device=device)
    b, gg, r = torch.meshgrid(g, g, g, indexing="ij")
    return torch.stack([r, gg, b], 0)


def apply_lut(x: torch.Tensor, lut: torch.Tensor) -> torch.Tensor:
    """Trilinear lookup of images x (B, 3, H, W) in LUTs (B or 1, 3, S, S, S) [c, b, g, r]."""
    grid = (x.permute(0, 2, 3, 1)[:, None] * 2.0 - 1.0).clamp(-1.0, 1.0)
    if lut.shape[0] != x.shape[0]:
        lut = lut.expand(x.shape[0], -1, -1, -1, -1)
    out = F.grid_sample(lut, grid, mode="bilinear", padding_mode="border", align_corners=True)
    return out[:, :, 0]


def radius2(h: int, w: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """Squared normalised distance from the centre, 0 at the centre and 1 in the corners."""
    yy = torch.linspace(-1.0, 1.0, h, device=device)[:, None]
    xx = torch.linspace(-1.0, 1.0, w, device=device)[None, :]
    return (xx * xx + yy * yy) / 2.0
