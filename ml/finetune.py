"""Look training (GAN on one influencer's references) and personal adapters.

Both start from the frozen base model and optimise only a few tensors:
- train_look: the look code and a 17^3 LUT residual. A PatchGAN discriminator compares crops
  of the references (real) with the user-side photos rendered in the look (fake). A code
  consistency term asks the base encoder to read the same look from rendered photos as from
  the references, an anchor keeps the code near the zero-shot estimate, a luminance-structure
  term keeps content, and a smoothness/monotonicity term keeps the LUT well behaved.
- train_adapter: LoRA factors on the program head, a code offset and a strength. Liked results
  are real examples, disliked ones fake; a liked result that names its source photo also
  gives a direct paired colour loss.
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn

from ml.api import (
    _device_of,
    check_refs,
    encode_code,
    load_base,
    thumbs,
)
from ml.artifacts import Look
from ml.errors import MLError
from ml.imageio import random_crops, sample_photos, split_alpha
from ml.model import THUMB, BaseModel, lut_smoothness

Progress = Callable[[float], None] | None
LOOK_STEPS = 40
ADAPTER_STEPS = 200


@dataclass(frozen=True)
class LookTrainConfig:
    """Loss weights and learning rates of train_look.

    With few references the discriminator also learns the references' content, so long runs
    drift to worse than zero-shot (150 steps at half these rates: 7.81 vs 7.70). The gain is
    early: these rates with LOOK_STEPS = 40 (early stopping) were best on the benchmark's
    trained cases and on 12 other held-out looks (see docs/ml.md, "Look training").
    """

    batch: int = 16
    lr_code: float = 4e-4
    lr_residual: float = 2e-4
    adversarial: float = 1.0
    consistency: float = 0.0
    anchor: float = 1.0
    structure: float = 0.1


class PatchDiscriminator(nn.Module):
    """PatchGAN: each output logit judges one ~22 px patch of a 64 px crop."""

    def __init__(self, width: int = 32):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(3, width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(2 * width, 1, 3, 1, 1),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x * 2.0 - 1.0)


def _luma_structure(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """1 - correlation of luminance gradients: low when b keeps a's edges."""

    def grads(x: torch.Tensor) -> torch.Tensor:
        y = x.mean(1)
        return torch.cat([y.diff(dim=1).flatten(1), y.diff(dim=2).flatten(1)], 1)

    ga, gb = grads(a), grads(b)
    ga, gb = ga - ga.mean(1, keepdim=True), gb - gb.mean(1, keepdim=True)
    corr = (ga * gb).sum(1) / (ga.norm(dim=1) * gb.norm(dim=1) + 1e-6)
    return (1.0 - corr).mean()


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
    device: str | torch.device | None = None,
    base: BaseModel | None = None,
    history: list[float] | None = None,
    cfg: LookTrainConfig = LookTrainConfig(),
) -> Look:
    """Fit a look to an influencer's references (>= 3 PIL images).

    photos: content to render during training (defaults to the bundled photos).
    progress(fraction) is called with values from 0.0 to 1.0; history, if given, receives the
    generator loss of every step.
    """
    check_refs(ref_images)
    if steps < 0:
        raise MLError(f"steps must be >= 0, got {steps}")
    base = base or load_base(device)
    dev = _device_of(base)
    _report(progress, 0.0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        gen = torch.Generator().manual_seed(seed)
        real_pool = _crops(ref_images, 256, seed, dev)
        with torch.no_grad():
            code0 = encode_code(base, thumbs(ref_images, dev))
        content_pool = _crops(photos or sample_photos(), 256, seed + 1, dev)
        code = nn.Parameter(code0.clone())
        residual = nn.Parameter(torch.zeros(3, 17, 17, 17, device=dev))
        disc = PatchDiscriminator().to(dev)
        opt_g = torch.optim.Adam(
            [{"params": [code], "lr": cfg.lr_code}, {"params": [residual], "lr": cfg.lr_residual}]
        )
        batch = cfg.batch
        opt_d = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
        for step in range(steps):
            real = real_pool[torch.randint(len(real_pool), (batch,), generator=gen)]
            content = content_pool[torch.randint(len(content_pool), (batch,), generator=gen)]
            fake = base.render(content, base.program(code[None].expand(batch, -1)), residual)
            d_loss = (disc(real) - 1).pow(2).mean() + disc(fake.detach()).pow(2).mean()
            opt_d.zero_grad(set_to_none=True)
            d_loss.backward()
            opt_d.step()
            g_loss = (
                cfg.adversarial * (disc(fake) - 1).pow(2).mean()
                + cfg.anchor * (code - code0).pow(2).mean()
                + cfg.structure * _luma_structure(content, fake)
                + lut_smoothness(residual)
            )
            if cfg.consistency:
                with torch.no_grad():
                    code_real = base.look_code(real)[0]
                diff = base.look_code(fake)[0] - code_real
                g_loss = g_loss + cfg.consistency * diff.pow(2).mean()
            opt_g.zero_grad(set_to_none=True)
            g_loss.backward()
            opt_g.step()
            if history is not None:
                history.append(float(g_loss.detach()))
            _report(progress, (step + 1) / max(steps, 1))
    _report(progress, 1.0)
    meta = {"refs": str(len(ref_images)), "steps": str(steps), "seed": str(seed)}
    return Look(code.detach().cpu(), residual.detach().cpu(), base.fingerprint, meta)
