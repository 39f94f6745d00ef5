"""The benchmark's outside set: hand-written grades in the manner of real-world creative looks.

Written apart from ml.synthetic, in NumPy and scikit-image's colour spaces rather than the
generator's opponent space and LUT operations, so that the base model never trained on a look
of this kind. Each grade maps an sRGB float array (H, W, 3) in [0, 1] to another.
The names say what each imitates; none is a copy of a commercial LUT.
"""

from collections.abc import Callable

import numpy as np
from PIL import Image
from skimage.color import hsv2rgb, lab2rgb, rgb2hsv, rgb2lab

Grade = Callable[[np.ndarray], np.ndarray]


def _luma(x: np.ndarray) -> np.ndarray:
    return x @ np.array([0.2126, 0.7152, 0.0722])


def _smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _spline(x: np.ndarray, points: list[tuple[float, float]]) -> np.ndarray:
    xs, ys = zip(*points, strict=True)
    return np.interp(x, xs, ys)


def _tint(x: np.ndarray, shadows: tuple, highlights: tuple) -> np.ndarray:
    """Add an RGB offset to shadows and another to highlights, weighted by luma."""
    y = _luma(x)[..., None]
    w_s, w_h = (1.0 - _smoothstep(y, 0.0, 0.6)), _smoothstep(y, 0.4, 1.0)
    return x + w_s * np.array(shadows) + w_h * np.array(highlights)


def _saturate(x: np.ndarray, amount: float) -> np.ndarray:
    y = _luma(x)[..., None]
    return y + amount * (x - y)


def _gamma_exposure(x: np.ndarray, stops: float) -> np.ndarray:
    return np.clip((x**2.2) * 2.0**stops, 0.0, 1.0) ** (1.0 / 2.2)


def _lab_shift(x: np.ndarray, dl: float, da: float, db: float, chroma: float = 1.0) -> np.ndarray:
    lab = rgb2lab(np.clip(x, 0.0, 1.0))
    lab[..., 0] += dl
    lab[..., 1:] = lab[..., 1:] * chroma + np.array([da, db])
    return lab2rgb(lab)


def warm_portrait_film(x):
    x = _spline(x, [(0, 0.04), (0.25, 0.24), (0.5, 0.52), (0.75, 0.78), (1, 0.96)])
    x = _tint(x, (0.0, 0.01, 0.03), (0.05, 0.02, -0.04))
    return _saturate(x, 0.85)


def green_shadow_film(x):
    x = _spline(x, [(0, 0.02), (0.3, 0.26), (0.7, 0.76), (1, 0.98)])
    x = _tint(x, (-0.03, 0.04, 0.02), (0.03, 0.0, 0.02))
    hsv = rgb2hsv(np.clip(x, 0, 1))
    greens = np.exp(-(((hsv[..., 0] - 0.33) / 0.08) ** 2))
    hsv[..., 0] = (hsv[..., 0] + 0.04 * greens) % 1.0
    return hsv2rgb(hsv)


def saturated_slide_film(x):
    x = _spline(x, [(0, 0), (0.2, 0.12), (0.5, 0.5), (0.8, 0.88), (1, 1)])
    hsv = rgb2hsv(np.clip(_saturate(x, 1.35), 0, 1))
    reds = np.exp(-((np.minimum(hsv[..., 0], 1 - hsv[..., 0]) / 0.06) ** 2))
    hsv[..., 2] *= 1.0 - 0.15 * reds * hsv[..., 1]
    return hsv2rgb(hsv)


def bleach_bypass(x):
    y = _luma(x)[..., None]
    hard = _spline(y, [(0, 0), (0.25, 0.15), (0.5, 0.5), (0.75, 0.85), (1, 1)])
    return 0.55 * hard + 0.45 * _saturate(x, 0.6)


def cyan_cross_process(x):
    r = _spline(x[..., 0], [(0, 0.0), (0.4, 0.3), (0.8, 0.82), (1, 0.9)])
    g = _spline(x[..., 1], [(0, 0.03), (0.5, 0.55), (1, 1.0)])
    b = _spline(x[..., 2], [(0, 0.2), (0.5, 0.58), (1, 0.8)])
    return _saturate(np.stack([r, g, b], -1), 1.2)


def yellow_cross_process(x):
    r = _spline(x[..., 0], [(0, 0.02), (0.5, 0.6), (1, 1.0)])
    g = _spline(x[..., 1], [(0, 0.0), (0.5, 0.58), (1, 1.0)])
    b = _spline(x[..., 2], [(0, 0.12), (0.5, 0.38), (1, 0.62)])
    return np.stack([r, g, b], -1)


def teal_orange(x):
    lab = rgb2lab(np.clip(x, 0, 1))
    skin = np.exp(-(((np.arctan2(lab[..., 2], lab[..., 1]) - 0.9) / 0.5) ** 2))
    lab[..., 1] += 6.0 * skin
    lab[..., 2] += 8.0 * skin
    x = lab2rgb(lab)
    return _tint(x, (-0.05, 0.03, 0.06), (0.05, 0.01, -0.04))


def subtle_cinematic(x):
    x = _spline(x, [(0, 0.03), (0.5, 0.49), (1, 0.97)])
    return _tint(x, (-0.015, 0.005, 0.02), (0.02, 0.005, -0.01))


def faded_matte(x):
    x = _spline(x, [(0, 0.16), (0.3, 0.34), (0.7, 0.7), (1, 0.9)])
    return _saturate(x, 0.75)


def expired_film(x):
    x = _spline(x, [(0, 0.1), (0.5, 0.55), (1, 0.93)])
    x = x * np.array([1.08, 0.92, 1.02]) + np.array([0.02, -0.01, 0.03])
    return _saturate(x, 0.7)


def low_key_moody(x):
    x = _gamma_exposure(x, -1.1)
    x = _spline(x, [(0, 0), (0.2, 0.12), (0.6, 0.62), (1, 0.9)])
    return _lab_shift(x, 0.0, -2.0, -6.0, chroma=0.7)


def high_key_airy(x):
    x = _gamma_exposure(x, 0.8)
    x = _spline(x, [(0, 0.1), (0.5, 0.62), (1, 0.98)])
    return _lab_shift(x, 0.0, 1.0, 2.0, chroma=0.8)


def golden_hour(x):
    return _lab_shift(x, 2.0, 6.0, 22.0, chroma=1.1)


def day_for_night(x):
    x = _gamma_exposure(_saturate(x, 0.35), -1.6)
    return x * np.array([0.75, 0.9, 1.25])


def sepia_print(x):
    y = _spline(_luma(x), [(0, 0.05), (0.5, 0.48), (1, 0.95)])[..., None]
    return y * np.array([1.07, 0.98, 0.8]) + np.array([0.02, 0.01, 0.0])


def cyanotype(x):
    y = _luma(x)[..., None]
    dark, light = np.array([0.05, 0.18, 0.35]), np.array([0.85, 0.95, 1.0])
    return dark + y * (light - dark)


def selenium_bw(x):
    y = _spline(_luma(x), [(0, 0.0), (0.3, 0.24), (0.7, 0.76), (1, 1.0)])[..., None]
    return y + (1.0 - y) * y * np.array([0.06, -0.02, 0.05])


def seventies_print(x):
    hsv = rgb2hsv(np.clip(x, 0, 1))
    greens = np.exp(-(((hsv[..., 0] - 0.3) / 0.1) ** 2))
    hsv[..., 1] *= 1.0 - 0.5 * greens
    x = hsv2rgb(hsv)
    x = _spline(x, [(0, 0.08), (0.5, 0.52), (1, 0.92)])
    return x * np.array([1.05, 1.0, 0.82]) + np.array([0.0, 0.0, 0.03])


OUTSIDE_LOOKS: dict[str, Grade] = {
    grade.__name__.replace("_", "-"): grade
    for grade in (
        warm_portrait_film, green_shadow_film, saturated_slide_film, bleach_bypass,
        cyan_cross_process, yellow_cross_process, teal_orange, subtle_cinematic, faded_matte,
        expired_film, low_key_moody, high_key_airy, golden_hour, day_for_night, sepia_print,
        cyanotype, selenium_bw, seventies_print,
    )
}  # fmt: skip


def apply_grade(grade: Grade, image: Image.Image) -> Image.Image:
    x = np.asarray(image.convert("RGB"), dtype=np.float64) / 255.0
    out = np.clip(grade(x), 0.0, 1.0)
    return Image.fromarray((out * 255.0 + 0.5).astype(np.uint8), "RGB")
