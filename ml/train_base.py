"""Self-supervised training of the base model on random synthetic looks.

Each step draws B looks from ml.synthetic. For every look, K reference crops and I input crops
come from the training photos (bundled, plus any folders given), each with its own mild camera
variation (see _augment); the references are rendered in the look (grain and vignette
included) and the target is the input in the look. The model sees only the rendered
references, never the look itself.
Loss: L1 in RGB and Lab, for the code pooled from all K references and from half of them,
plus a consistency term pulling the two half-set codes together. The saved weights are an
exponential moving average of the trained ones (decay 0.995), which generalises a little better
to photos the model never saw.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from ml.api import save_base
from ml.color import apply_lut, from_opponent, srgb_to_lab, to_opponent
from ml.imageio import TRAIN_PHOTOS, load_folder, random_crops, sample_photos
from ml.model import THUMB, BaseModel, ModelConfig, count_params
from ml.synthetic import apply_spatial, random_look, stack_looks

# Look seeds used for training stay below this; the benchmark draws its looks above it.
TRAIN_SEED_LIMIT = 10**9


@dataclass
class TrainConfig:
    steps: int = 1500
    looks: int = 8
    refs: int = 6
    inputs: int = 3
    lr: float = 2e-3
    seed: int = 0
    pool: int = 12000
    loss_size: int = 32
    ema: float = 0.995


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Camera variation between crops: white balance, exposure, gamma and saturation.

    Kept mild: the looks themselves hold the strong casts and exposures, and a photo that
    arrives with a random strong cast would teach the model that casts in the references
    belong to their content, so it would apply every cast only in part.
    """
    n = x.shape[0]
    channel = torch.randn(n, 3, generator=gen) * 0.03
    gains = torch.exp(channel + torch.randn(n, 1, generator=gen) * 0.12)
    x = (x * gains[:, :, None, None]).clamp(0.0, 1.0)
    gamma = torch.exp(torch.randn(n, 1, 1, 1, generator=gen) * 0.08)
    x = x.clamp(min=1e-4) ** gamma
    m, u, v = to_opponent(x)
    sat = torch.exp(torch.randn(n, 1, 1, generator=gen) * 0.1)
    return from_opponent(m, u * sat, v * sat).clamp(0.0, 1.0)


def look_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    lab = (srgb_to_lab(pred) - srgb_to_lab(target)).abs().mean()
    return (pred - target).abs().mean() + 0.01 * lab


def train_base(
    cfg: TrainConfig,
    out: str | Path,
    data_dirs: list[str] | None = None,
    exclude: str | None = None,
    model_cfg: ModelConfig | None = None,
    log: Callable[[str], None] = print,
    history: list[float] | None = None,
    checkpoint_every: int = 0,
    stop_after: int = 0,
) -> BaseModel:
    """Train a base model from scratch and save it to `out`; per-step losses go to history.

    data_dirs: folders of extra training photos; files whose name matches the glob `exclude`
    (for example "test_*", a held-out split) are left out. With checkpoint_every > 0 the
    averaged weights so far are saved to `out` every that many steps, to measure a long run.
    With stop_after > 0 training ends after that many steps of the cfg.steps schedule.
    """
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    photos = sample_photos(TRAIN_PHOTOS)
    for d in data_dirs or []:
        photos += [im.convert("RGB") for im in load_folder(d, exclude)]
    pool = random_crops(photos, cfg.pool, THUMB, cfg.seed)
    model = BaseModel(model_cfg)
    log(f"base model: {count_params(model)} parameters, {len(photos)} photos, {len(pool)} crops")
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=1e-4)
    warm = max(1, cfg.steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * s / cfg.steps))
    )
    b, k, n_in, half = cfg.looks, cfg.refs, cfg.inputs, cfg.refs // 2
    start, running = time.perf_counter(), 0.0
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(cfg.ema))
    last = min(cfg.steps, stop_after) if stop_after else cfg.steps
    for step in range(last):
        seeds = [cfg.seed * 10**7 + step * b + i for i in range(b)]
        luts, vignette, grain = stack_looks([random_look(s) for s in seeds])
        idx = torch.randint(len(pool), (b * (k + n_in),), generator=gen)
        raw = _augment(pool[idx].float() / 255.0, gen)
        refs_raw, in_raw = raw[: b * k], raw[b * k :]
        noise = torch.Generator().manual_seed(int(seeds[0]))
        with torch.no_grad():
            refs = apply_lut(refs_raw, luts.repeat_interleave(k, 0))
            refs = apply_spatial(refs, vignette.repeat_interleave(k), grain.repeat_interleave(k),
                                 noise)  # fmt: skip
            small_in = F.avg_pool2d(in_raw, THUMB // cfg.loss_size)
            clean = apply_lut(small_in, luts.repeat_interleave(n_in, 0))
            target = apply_spatial(
                clean, vignette.repeat_interleave(n_in), grain.new_zeros(b * n_in)
            )
        groups = refs.reshape(b, 2, half, *refs.shape[1:]).reshape(b * 2 * half, *refs.shape[1:])
        z_halves = model.look_code(groups, groups=2 * b).reshape(b, 2, -1)
        z_all, z_a = z_halves.mean(1), z_halves[:, 0]
        loss = 0.0
        for z, w in ((z_all, 1.0), (z_a, 0.5)):
            p = model.program(z.repeat_interleave(n_in, 0))
            loss = loss + w * look_loss(model.render(small_in, p), target)
        consistency = (z_halves[:, 0] - z_halves[:, 1]).pow(2).mean()
        loss = loss + 0.01 * consistency
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        ema.update_parameters(model)
        value = float(loss.detach())
        if history is not None:
            history.append(value)
        running = 0.98 * running + 0.02 * value if step else value
        if step % 50 == 0 or step == last - 1:
            log(f"step {step:5d}  loss {running:.4f}  {time.perf_counter() - start:7.1f}s")
        if checkpoint_every and (step + 1) % checkpoint_every == 0 and step + 1 < last:
            save_base(ema.module, out, _meta(cfg, step + 1, start, running, len(photos)))
            log(f"checkpoint at step {step + 1} in {out}")
    model = ema.module.eval()
    save_base(model, out, _meta(cfg, last, start, running, len(photos)))
    log(f"saved {out} after {time.perf_counter() - start:.0f}s")
    return model


def _meta(cfg: TrainConfig, steps: int, start: float, loss: float, photos: int) -> dict:
    return {
        "steps": str(steps),
        "schedule_steps": str(cfg.steps),
        "seed": str(cfg.seed),
        "photos": str(photos),
        "wall_seconds": f"{time.perf_counter() - start:.0f}",
        "final_loss": f"{loss:.4f}",
    }
