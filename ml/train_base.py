"""Self-supervised training of the base model on random synthetic looks.

Each step draws B looks. For every look, K reference crops and I input crops come from the
training photos, each with its own random white balance and exposure (see _augment); the
references are rendered in the look (grain and vignette included) and the target is the
input in the look. The model sees only the rendered references and the input, never the
look itself.
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
from ml.looks import apply_spatial, bake_luts, random_look, stack_params
from ml.model import THUMB, BaseModel, ModelConfig, count_params

# Look seeds used for training stay below this; the benchmark draws its looks above it.
TRAIN_SEED_LIMIT = 10**9


@dataclass
class TrainConfig:
    steps: int = 1500
    looks: int = 8
    refs: int = 6
    inputs: int = 2
    lr: float = 2e-3
    seed: int = 0
    pool: int = 1500
    loss_size: int = 32
    ema: float = 0.995


def _augment(x: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Make five photos look like many: every crop gets its own white balance, exposure,
    gamma, saturation and hue rotation, and a quarter get permuted channels. Without this
    the encoder memorises the training photos' colours and misreads new ones."""
    n = x.shape[0]
    perms = torch.stack([torch.randperm(3, generator=gen) for _ in range(n)])
    keep = torch.rand(n, generator=gen) > 0.25
    perms[keep] = torch.arange(3)
    x = torch.gather(x, 1, perms[:, :, None, None].expand_as(x))
    channel = torch.randn(n, 3, generator=gen) * 0.08
    gains = torch.exp(channel + torch.randn(n, 1, generator=gen) * 0.2)
    x = (x * gains[:, :, None, None]).clamp(0.0, 1.0)
    gamma = torch.exp(torch.randn(n, 1, 1, 1, generator=gen) * 0.15)
    x = x.clamp(min=1e-4) ** gamma
    m, u, v = to_opponent(x)
    sat = torch.exp(torch.randn(n, 1, 1, generator=gen) * 0.25)
    rot = torch.randn(n, 1, 1, generator=gen) * 0.25
    cos_r, sin_r = torch.cos(rot), torch.sin(rot)
    u, v = sat * (u * cos_r - v * sin_r), sat * (u * sin_r + v * cos_r)
    return from_opponent(m, u, v).clamp(0.0, 1.0)


def look_loss(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    lab = (srgb_to_lab(pred) - srgb_to_lab(target)).abs().mean()
    return (pred - target).abs().mean() + 0.01 * lab


def train_base(
    cfg: TrainConfig,
    out: str | Path,
    data_dirs: list[str] | None = None,
    model_cfg: ModelConfig | None = None,
    log: Callable[[str], None] = print,
    history: list[float] | None = None,
) -> BaseModel:
    """Train a base model from scratch and save it to `out`; per-step losses go to history."""
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    photos = sample_photos(TRAIN_PHOTOS)
    for d in data_dirs or []:
        photos += [im.convert("RGB") for im in load_folder(d)]
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
    for step in range(cfg.steps):
        seeds = [cfg.seed * 10**7 + step * b + i for i in range(b)]
        looks = [random_look(s) for s in seeds]
        idx = torch.randint(len(pool), (b * (k + n_in),), generator=gen)
        raw = _augment(pool[idx].float() / 255.0, gen)
        refs_raw, in_raw = raw[: b * k], raw[b * k :]
        noise = torch.Generator().manual_seed(int(seeds[0]))
        with torch.no_grad():
            params = stack_params(looks)
            luts = bake_luts(params)
            rep_k = {key: v.repeat_interleave(k, 0) for key, v in params.items()}
            refs = apply_spatial(apply_lut(refs_raw, luts.repeat_interleave(k, 0)), rep_k, noise)
            small = F.avg_pool2d(in_raw, THUMB // cfg.loss_size)
            rep_in = {key: v.repeat_interleave(n_in, 0) for key, v in params.items()}
            target = apply_spatial(apply_lut(small, luts.repeat_interleave(n_in, 0)), rep_in)
            inputs = in_raw
        groups = refs.reshape(b, 2, half, *refs.shape[1:]).reshape(b * 2 * half, *refs.shape[1:])
        z_halves = model.look_code(groups, groups=2 * b).reshape(b, 2, -1)
        z_all, z_a = z_halves.mean(1), z_halves[:, 0]
        content = model.content_code(inputs)
        small_in = F.avg_pool2d(inputs, THUMB // cfg.loss_size)
        loss = 0.0
        for z, w in ((z_all, 1.0), (z_a, 0.5)):
            p = model.program(z.repeat_interleave(n_in, 0), content)
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
        if step % 50 == 0 or step == cfg.steps - 1:
            log(f"step {step:5d}  loss {running:.4f}  {time.perf_counter() - start:7.1f}s")
    wall = time.perf_counter() - start
    meta = {"steps": str(cfg.steps), "seed": str(cfg.seed), "wall_seconds": f"{wall:.0f}",
            "final_loss": f"{running:.4f}"}  # fmt: skip
    model = ema.module.eval()
    save_base(model, out, meta)
    log(f"saved {out} after {wall:.0f}s")
    return model
