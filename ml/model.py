"""The base model: a reference encoder and the grading program its look code drives.

    refs (K thumbnails) -> encoder -> per-ref embedding -> mean, max -> look code z
    head(z)             -> parameters of a differentiable grading program
    grading program     -> baked into a 33^3 LUT, applied to every full-resolution pixel

A look is a fixed colour transform, the same for every photo it is applied to, so the program
depends on the look code only: the LUT that the app renders with is exactly the LUT a .cube
export contains.

The grading program is generic (colour matrix, per-channel curves, hue-selective
saturation/hue/luminance, luminance-dependent toning, output levels, a learned LUT basis and a
vignette), so a look is a few hundred numbers and rendering costs one LUT lookup per pixel.
"""

import itertools
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ml.color import (
    apply_lut,
    from_opponent,
    hue_weights,
    identity_lut,
    interp1d,
    radius2,
    to_opponent,
)

THUMB = 64
QUANTILES = (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98)


@dataclass(frozen=True)
class ModelConfig:
    width: int = 32
    embed: int = 256
    code: int = 128
    hidden: int = 256
    curve_knots: int = 16
    hue_bands: int = 12
    tone_bins: int = 8
    basis: int = 16
    basis_size: int = 17

    def layout(self) -> list[tuple[str, int]]:
        k = self.curve_knots
        return [
            ("gain", 3), ("matrix", 9), ("black", 3), ("white", 3), ("curve", 3 * k),
            ("band_sat", self.hue_bands), ("band_hue", self.hue_bands),
            ("band_lum", self.hue_bands), ("sat", 1), ("tone_u", self.tone_bins),
            ("tone_v", self.tone_bins), ("lift", 3), ("level", 3), ("vignette", 1),
            ("basis", self.basis),
        ]  # fmt: skip

    @property
    def n_params(self) -> int:
        return sum(n for _, n in self.layout())


N_STATS = 4 * len(QUANTILES) + 15 + 7 + 3

# How far one unit of a head output moves each part of the grading program: they keep every
# output near 1 in size when the program makes a typical strong look (log gains, 3x3 matrix
# offset, black and white points, hue-band log saturation, hue rotation in radians, band
# luminance, split-toning chroma, output lift and level, LUT-basis weights).
SCALE = {"gain": 0.5, "matrix": 0.2, "levels": 0.2, "band_sat": 0.5, "band_hue": 0.5,
         "band_lum": 0.3, "tone": 0.1, "output": 0.1, "basis": 0.1}  # fmt: skip


def image_stats(x: torch.Tensor) -> torch.Tensor:
    """Hand-made colour statistics of thumbnails (N, 3, S, S) -> (N, N_STATS)."""
    n = x.shape[0]
    grain = (x - F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)).abs().mean((1, 2, 3))
    x = x[..., ::2, ::2]  # colour statistics need no more than a quarter of the pixels
    m, u, v = to_opponent(x)
    mf, uf, vf = m.reshape(n, -1), u.reshape(n, -1), v.reshape(n, -1)
    srt = torch.cat([x.reshape(n, 3, -1), mf[:, None]], 1).sort(-1).values
    idx = torch.tensor([round(q * (srt.shape[-1] - 1)) for q in QUANTILES], device=x.device)
    quant = srt[..., idx].reshape(n, -1)
    centres = torch.linspace(0.0, 1.0, 5, device=x.device)
    wb = (1.0 - (mf[..., None] - centres).abs() * 4.0).clamp(min=0.0)
    mass = wb.sum(1) + 1e-3
    bins = torch.cat([(wb * uf[..., None]).sum(1) / mass, (wb * vf[..., None]).sum(1) / mass,
                      mass / mf.shape[1]], 1)  # fmt: skip
    mag = torch.sqrt(uf * uf + vf * vf + 1e-8)
    hue = (hue_weights(uf, vf, 6, kappa=3.0) * mag[..., None]).mean(1)
    r2 = radius2(x.shape[-2], x.shape[-1], x.device).reshape(-1)
    vignette = mf[:, r2 < 0.15].mean(1) - mf[:, r2 > 0.6].mean(1)
    extra = torch.stack([vignette, grain * 10.0, mf.std(1)], 1)
    return torch.cat([quant, bins, hue, mag.mean(1, keepdim=True), extra], 1)


class Encoder(nn.Module):
    """Small CNN plus hand-made colour statistics of one thumbnail."""

    def __init__(self, width: int):
        super().__init__()
        chans = [3, width, 2 * width, 3 * width, 4 * width]
        layers: list[nn.Module] = []
        for a, b in itertools.pairwise(chans):
            layers += [nn.Conv2d(a, b, 3, 2, 1), nn.LeakyReLU(0.2)]
        self.cnn = nn.Sequential(*layers)
        self.out_dim = 8 * width + N_STATS

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = self.cnn(x * 2.0 - 1.0)
        return torch.cat([f.mean((2, 3)), f.std((2, 3)), image_stats(x)], 1)


def mlp(sizes: list[int]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


class BaseModel(nn.Module):
    def __init__(self, cfg: ModelConfig | None = None):
        super().__init__()
        self.cfg = cfg = cfg or ModelConfig()
        self.encoder = Encoder(cfg.width)
        self.ref_mlp = mlp([self.encoder.out_dim, cfg.embed, cfg.embed])
        self.code_proj = nn.Linear(2 * cfg.embed, cfg.code)
        self.head = mlp([cfg.code, cfg.hidden, cfg.hidden, cfg.n_params])
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)
        s = cfg.basis_size
        self.basis = nn.Parameter(torch.randn(cfg.basis, 3, s, s, s) * 0.01)

    def config_dict(self) -> dict:
        return asdict(self.cfg)

    @property
    def device(self) -> torch.device:
        return self.basis.device

    def ref_embeddings(self, refs: torch.Tensor) -> torch.Tensor:
        """(N, 3, S, S) reference thumbnails -> (N, embed) per-reference embeddings."""
        return self.ref_mlp(self.encoder(refs))

    def look_code(self, refs: torch.Tensor, groups: int = 1) -> torch.Tensor:
        """Reference thumbnails, `groups` looks of equal size stacked in order -> (groups, code)."""
        emb = self.ref_embeddings(refs)
        return self.pool(emb.reshape(groups, -1, emb.shape[-1]))

    def reference_code(self, refs: torch.Tensor) -> torch.Tensor:
        """The look code of reference thumbnails (K, 3, S, S), read together with their mirror
        images (a look has no left or right)."""
        return self.look_code(torch.cat([refs, refs.flip(-1)]))[0]

    def pool(self, emb: torch.Tensor) -> torch.Tensor:
        """Per-reference embeddings (G, K, embed) -> look codes (G, code).

        The max beside the mean lets the code bound what every reference shares, which the
        mean alone blurs with the references' own colours (zero-shot 0.60x -> 0.50x identity).
        """
        return self.code_proj(torch.cat([emb.mean(1), emb.amax(1)], 1))

    def program(self, z: torch.Tensor, head: nn.Module | None = None) -> dict:
        """Look codes (B, code) -> the grading program's parameters, by name."""
        raw = (head or self.head)(z)
        out, i = {}, 0
        for name, n in self.cfg.layout():
            out[name] = raw[:, i : i + n]
            i += n
        return out

    def grade(self, x: torch.Tensor, p: dict, residual: torch.Tensor | None = None) -> torch.Tensor:
        """Apply the colour part of the program to pixels x (B, 3, H, W). No vignette."""
        b = x.shape[0]
        cfg = self.cfg
        x = x * torch.exp(p["gain"] * SCALE["gain"])[:, :, None, None]
        x = x + torch.einsum("bij,bjhw->bihw", p["matrix"].reshape(b, 3, 3) * SCALE["matrix"], x)
        x = x.clamp(0.0, 1.0)
        inc = torch.softmax(p["curve"].reshape(b * 3, cfg.curve_knots), -1)
        lo = (p["black"] * SCALE["levels"]).reshape(b * 3, 1)
        hi = 1.0 + (p["white"] * SCALE["levels"]).reshape(b * 3, 1)
        knots = lo + (hi - lo) * F.pad(inc.cumsum(-1), (1, 0))
        x = interp1d(x.reshape(b * 3, *x.shape[2:]), knots).reshape(x.shape)

        m, u, v = to_opponent(x)
        w = hue_weights(u, v, cfg.hue_bands, kappa=4.0)
        mag = torch.sqrt(u * u + v * v + 1e-8)
        band_sat = torch.einsum("bhwk,bk->bhw", w, p["band_sat"] * SCALE["band_sat"])
        sat = torch.exp(band_sat + p["sat"][:, :, None])
        rot = torch.einsum("bhwk,bk->bhw", w, p["band_hue"] * SCALE["band_hue"])
        m = m + torch.einsum("bhwk,bk->bhw", w, p["band_lum"] * SCALE["band_lum"]) * mag
        cos_r, sin_r = torch.cos(rot), torch.sin(rot)
        u, v = sat * (u * cos_r - v * sin_r), sat * (u * sin_r + v * cos_r)
        mt = m.clamp(0.0, 1.0)
        u = u + interp1d(mt, p["tone_u"] * SCALE["tone"])
        v = v + interp1d(mt, p["tone_v"] * SCALE["tone"])
        x = from_opponent(m, u, v).clamp(0.0, 1.0)

        lift = (p["lift"] * SCALE["output"])[:, :, None, None]
        level = (p["level"] * SCALE["output"])[:, :, None, None]
        x = lift + (1.0 + level - lift) * x
        lut = torch.einsum("bn,nczyx->bczyx", p["basis"] * SCALE["basis"], self.basis)
        if residual is not None:
            res = residual[None] if residual.dim() == 4 else residual
            if res.shape[-1] != lut.shape[-1]:
                res = F.interpolate(res, size=lut.shape[-3:], mode="trilinear", align_corners=True)
            lut = lut + res
        return (x + apply_lut(x.clamp(0.0, 1.0), lut)).clamp(0.0, 1.0)

    @staticmethod
    def vignette(p: dict) -> torch.Tensor:
        return 0.6 * torch.sigmoid(p["vignette"][:, 0] - 2.5)

    def render(self, x: torch.Tensor, p: dict, residual: torch.Tensor | None = None):
        """Full program on images (B, 3, H, W), vignette included."""
        r2 = radius2(x.shape[-2], x.shape[-1], x.device)
        return self.grade(x, p, residual) * (1.0 - self.vignette(p)[:, None, None, None] * r2)

    def bake(self, p: dict, residual: torch.Tensor | None = None, size: int = 33) -> torch.Tensor:
        """The colour part of a single program as a LUT (3, size, size, size) [c, b, g, r]."""
        grid = identity_lut(size, self.basis.device).reshape(1, 3, size, size * size)
        return self.grade(grid, p, residual).reshape(3, size, size, size)


def count_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
