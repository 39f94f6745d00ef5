"""Look training: refine a zero-shot look on its references, with natural photos as the
source domain.

The zero-shot encoder under-reads looks it is unsure of (it applies part of a strong cast or
exposure). Training corrects that by analysis by synthesis: it renders natural photos in the
candidate look, lets the frozen encoder read those renders as it read the references, and
moves the look until the two readings agree. The encoder's bias is then the same on both
sides and cancels. Each reading pools as many renders as there are references, because max
pooling depends on the size of the set.

An adversarial term (a discriminator on per-pixel colour, references "real" and rendered
natural photos "fake") was measured and made looks worse: with a handful of references it
matches their content's colours as much as their look (docs/ml.md, "Look training").
"""

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ml.api import RESIDUAL_SIZE, load_base
from ml.artifacts import Look
from ml.errors import MLError
from ml.imageio import check_refs, random_crops, sample_photos, split_alpha, thumbnails
from ml.model import THUMB, BaseModel

Progress = Callable[[float], None] | None
LOOK_STEPS = 40


@dataclass(frozen=True)
class LookTrainConfig:
    """Steps, rates and loss weights of train_look (chosen in docs/ml.md, "Look training")."""

    groups: int = 4  # sets of renders read per step
    lr: float = 4e-3
    crops: int = 256


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
        probe = F.avg_pool2d(natural, 4)
        code = nn.Parameter(code0.clone())
        opt = torch.optim.Adam([code], lr=cfg.lr)
        for step in range(steps):
            batch = natural[torch.randint(len(natural), (g * k,), generator=gen)]
            rendered = base.render(batch, base.program(code[None].expand(g * k, -1)))
            sets = rendered.reshape(g, k, *rendered.shape[1:])
            mirrored = torch.cat([sets, sets.flip(-1)], 1).reshape(-1, *rendered.shape[1:])
            read = base.program(base.look_code(mirrored, groups=g))
            pixels = probe[torch.randint(len(probe), (g,), generator=gen)]
            with torch.no_grad():
                want = base.grade(pixels, {n: v.expand(g, -1) for n, v in target.items()})
            loss = (base.grade(pixels, read) - want).abs().mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if history is not None:
                history.append(float(loss.detach()))
            _report(progress, (step + 1) / max(steps, 1))
    _report(progress, 1.0)
    meta = {"refs": str(k), "steps": str(steps), "seed": str(seed)}
    residual = torch.zeros(3, RESIDUAL_SIZE, RESIDUAL_SIZE, RESIDUAL_SIZE)
    return Look(code.detach().cpu(), residual, base.fingerprint, meta)
