"""Look training: refine a zero-shot look on its references, with natural photos as the
source domain.

The zero-shot encoder under-reads looks it is unsure of (it applies part of a strong cast or
exposure). Training corrects that by analysis by synthesis: it renders natural photos in the
candidate look, lets the frozen encoder read those renders as it read the references, and
moves the look until the two readings agree. The encoder's bias is then the same on both
sides and cancels. Each reading pools as many renders as there are references, because max
pooling depends on the size of the set.

A colour discriminator (a GAN on per-pixel colour, blind to content) adds what the encoder
cannot see: references are "real", natural photos rendered in the look are "fake". An anchor
keeps the look near its zero-shot start and a smoothness and monotonicity penalty keeps the
LUT residual well behaved.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ml.api import RESIDUAL_SIZE, load_base
from ml.artifacts import Look
from ml.color import srgb_to_lab
from ml.errors import MLError
from ml.imageio import check_refs, random_crops, sample_photos, split_alpha, thumbnails
from ml.model import THUMB, BaseModel, lut_smoothness

Progress = Callable[[float], None] | None
LOOK_STEPS = 40


@dataclass(frozen=True)
class LookTrainConfig:
    """Steps, rates and loss weights of train_look (chosen in docs/ml.md, "Look training")."""

    groups: int = 4  # sets of renders read per step
    lr: float = 4e-3
    lr_residual: float = 1e-3
    adversarial: float = 0.0
    anchor: float = 0.0
    crops: int = 256


class ColourDiscriminator(nn.Module):
    """Judges each pixel's colour (1x1 convolutions on Lab): it compares colour distributions
    and cannot learn the references' content."""

    def __init__(self, width: int = 32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, width, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, width, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 1, 1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        lab = srgb_to_lab(F.avg_pool2d(x, 2))
        return self.net(lab / torch.tensor([50.0, 60.0, 60.0], device=x.device)[:, None, None])


def _crops(images: list, n: int, seed: int, device: torch.device) -> torch.Tensor:
    rgb = [split_alpha(im)[0] for im in images]
    return random_crops(rgb, n, THUMB, seed, min_scale=0.4).to(device).float() / 255.0


def _report(progress: Progress, value: float) -> None:
    if progress is not None:
        progress(min(1.0, max(0.0, value)))


def train_look(
    ref_images: list,
    photos: list | None = None,
    steps: int = LOOK_STEPS,
    seed: int = 0,
    progress: Progress = None,
    base: BaseModel | None = None,
    history: list[float] | None = None,
    cfg: LookTrainConfig = LookTrainConfig(),
    device: str | torch.device | None = None,
) -> Look:
    """Fit a look to an influencer's references (>= 3 PIL images).

    photos: natural, ungraded photos to render during training (default: the bundled ones).
    progress(fraction) is called with values from 0.0 to 1.0; history, if given, receives the
    loss of every step.
    """
    check_refs(ref_images)
    if steps < 0:
        raise MLError(f"steps must be >= 0, got {steps}")
    base = base or load_base(device)
    dev = base.device
    _report(progress, 0.0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        k, g = len(ref_images), cfg.groups
        with torch.no_grad():
            code0 = base.reference_code(thumbnails(ref_images, THUMB, dev))
            target = base.program(code0[None])
        natural = _crops(photos or sample_photos(), cfg.crops, seed, dev)
        real = _crops(ref_images, cfg.crops, seed + 1, dev)
        probe = F.avg_pool2d(natural, 4)
        code = nn.Parameter(code0.clone())
        residual = nn.Parameter(
            torch.zeros(3, RESIDUAL_SIZE, RESIDUAL_SIZE, RESIDUAL_SIZE, device=dev)
        )
        opt = torch.optim.Adam(
            [{"params": [code], "lr": cfg.lr}, {"params": [residual], "lr": cfg.lr_residual}]
        )
        disc = ColourDiscriminator().to(dev)
        opt_d = torch.optim.Adam(disc.parameters(), lr=1e-3, betas=(0.5, 0.999))
        for step in range(steps):
            batch = natural[torch.randint(len(natural), (g * k,), generator=gen)]
            fake = base.render(batch, base.program(code[None].expand(g * k, -1)), residual)
            sets = fake.reshape(g, k, *fake.shape[1:])
            mirrored = torch.cat([sets, sets.flip(-1)], 1).reshape(-1, *fake.shape[1:])
            read = base.program(base.look_code(mirrored, groups=g))
            pixels = probe[torch.randint(len(probe), (g,), generator=gen)]
            with torch.no_grad():
                want = base.grade(pixels, {n: v.expand(g, -1) for n, v in target.items()})
            loss = (base.grade(pixels, read) - want).abs().mean() + lut_smoothness(residual)
            loss = loss + cfg.anchor * (code - code0).pow(2).mean()
            if cfg.adversarial:
                refs = real[torch.randint(len(real), (g * k,), generator=gen)]
                d_loss = (disc(refs) - 1).pow(2).mean() + disc(fake.detach()).pow(2).mean()
                opt_d.zero_grad(set_to_none=True)
                d_loss.backward()
                opt_d.step()
                loss = loss + cfg.adversarial * (disc(fake) - 1).pow(2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if history is not None:
                history.append(float(loss.detach()))
            _report(progress, (step + 1) / max(steps, 1))
    _report(progress, 1.0)
    meta = {"refs": str(k), "steps": str(steps), "seed": str(seed)}
    return Look(code.detach().cpu(), residual.detach().cpu(), base.fingerprint, meta)
