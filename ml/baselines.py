"""Classical colour-transfer baselines and a speed reference, for the benchmark."""

import warnings

import numpy as np
import torch
from PIL import Image
from skimage.color import lab2rgb, rgb2lab
from skimage.exposure import match_histograms
from torch import nn


def _pixels(images: list[Image.Image]) -> np.ndarray:
    return np.concatenate([np.asarray(im.convert("RGB")).reshape(-1, 3) for im in images])


def reinhard(image: Image.Image, refs: list[Image.Image]) -> Image.Image:
    """Reinhard et al. 2001 in CIE Lab: match the per-channel mean and std of the references."""
    src = rgb2lab(np.asarray(image.convert("RGB")) / 255.0)
    ref = rgb2lab(_pixels(refs)[None] / 255.0)[0]
    mu_s, sd_s = src.reshape(-1, 3).mean(0), src.reshape(-1, 3).std(0) + 1e-6
    out = (src - mu_s) / sd_s * ref.std(0) + ref.mean(0)
    with warnings.catch_warnings():  # out-of-gamut Lab values are clipped, as intended
        warnings.simplefilter("ignore", UserWarning)
        rgb = np.clip(lab2rgb(out), 0.0, 1.0)
    return Image.fromarray((rgb * 255.0 + 0.5).astype(np.uint8))


def histogram_match(image: Image.Image, refs: list[Image.Image]) -> Image.Image:
    """Per-channel RGB histogram matching to the pooled reference pixels."""
    src = np.asarray(image.convert("RGB"))
    out = match_histograms(src, _pixels(refs)[:, None, :], channel_axis=-1)
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8))


class _Residual(nn.Module):
    def __init__(self, ch: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), nn.InstanceNorm2d(ch), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3), nn.InstanceNorm2d(ch),
        )  # fmt: skip

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.body(x)


def resnet9_generator() -> nn.Module:
    """CycleGAN's ResNet-9 generator (Zhu et al. 2017), random weights: 11.4 M parameters."""
    layers: list[nn.Module] = [nn.ReflectionPad2d(3), nn.Conv2d(3, 64, 7), nn.InstanceNorm2d(64),
                               nn.ReLU(True)]  # fmt: skip
    for a, b in ((64, 128), (128, 256)):
        layers += [nn.Conv2d(a, b, 3, 2, 1), nn.InstanceNorm2d(b), nn.ReLU(True)]
    layers += [_Residual(256) for _ in range(9)]
    for a, b in ((256, 128), (128, 64)):
        layers += [nn.ConvTranspose2d(a, b, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(b),
                   nn.ReLU(True)]  # fmt: skip
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(64, 3, 7), nn.Tanh()]
    return nn.Sequential(*layers)
