"""Full-resolution rendering: one 3D LUT lookup per pixel plus an optional vignette.

Pillow's Color3DLUT filter does the trilinear lookup in C on 8-bit data, in place of a float
copy of the image, so memory stays at a few bytes per pixel even at 24 MP.
"""

import numpy as np
import torch
from PIL import Image, ImageChops, ImageFilter

from ml.color import identity_lut

_VIGNETTE_GRID = 256


def blend_lut(lut: torch.Tensor, strength: float) -> torch.Tensor:
    """identity + strength * (lut - identity); strength > 1 extrapolates."""
    ident = identity_lut(lut.shape[-1], lut.device)
    return (ident + strength * (lut - ident)).clamp(0.0, 1.0)


def lut_table(lut: torch.Tensor) -> np.ndarray:
    """(3, S, S, S) [c, b, g, r] -> flat table with red fastest, as Pillow and .cube expect."""
    return lut.detach().to("cpu", torch.float32).permute(1, 2, 3, 0).contiguous().numpy()


def vignette_mask(size: tuple[int, int], amount: float) -> Image.Image:
    """An 8-bit gain mask 1 - amount * r^2 (r = 1 in the corners), stretched to size."""
    g = np.linspace(-1.0, 1.0, _VIGNETTE_GRID, dtype=np.float32)
    r2 = (g[None, :] ** 2 + g[:, None] ** 2) / 2.0
    gain = np.clip(1.0 - amount * r2, 0.0, 1.0)
    small = Image.fromarray((gain * 255.0 + 0.5).astype(np.uint8), "L")
    return small.resize(size, Image.Resampling.BILINEAR)


def apply(rgb: Image.Image, lut: torch.Tensor, vignette: float = 0.0) -> Image.Image:
    """Render an 8-bit RGB image through a LUT (3, S, S, S), then darken the corners."""
    size = lut.shape[-1]
    out = rgb.filter(ImageFilter.Color3DLUT(size, lut_table(lut)))
    if vignette > 1e-3:
        mask = vignette_mask(out.size, vignette)
        out = ImageChops.multiply(out, Image.merge("RGB", (mask, mask, mask)))
    return out
