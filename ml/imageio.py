"""Reading images, converting modes, thumbnails, and the bundled natural photos."""

from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError

from ml.errors import MLError

try:  # HEIC support is optional outside the platform's upload path.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover
    pass

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}

# Natural colour photos shipped inside scikit-image. The split is fixed: the base model
# trains on TRAIN_PHOTOS only, the benchmark measures on HELDOUT_PHOTOS.
TRAIN_PHOTOS = (
    "astronaut.png",
    "motorcycle_left.png",
    "motorcycle_right.png",
    "hubble_deep_field.jpg",
    "retina.jpg",
)
HELDOUT_PHOTOS = ("coffee.png", "chelsea.png", "rocket.jpg", "ihc.png")
_ORDER = (
    "astronaut.png",
    "coffee.png",
    "chelsea.png",
    "rocket.jpg",
    "motorcycle_left.png",
    "ihc.png",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "motorcycle_right.png",
)


def load_image(path: str | Path) -> Image.Image:
    """Open an image file fully (so truncation is detected now) with EXIF orientation applied."""
    path = Path(path)
    if not path.is_file():
        raise MLError(f"no such file: {path}")
    try:
        with Image.open(path) as im:
            im.load()
            return ImageOps.exif_transpose(im)
    except UnidentifiedImageError:
        raise MLError(f"not an image: {path}") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise MLError(f"cannot read image {path} (truncated or corrupt: {exc})") from None


def load_folder(folder: str | Path, exclude: str | None = None) -> list[Image.Image]:
    """All images in a folder, sorted by name, but those whose name matches the glob `exclude`.
    Non-image files are an error."""
    folder = Path(folder)
    if not folder.is_dir():
        raise MLError(f"no such folder: {folder}")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and not (exclude and fnmatch(p.name, exclude)))  # fmt: skip
    if not files:
        raise MLError(f"folder is empty: {folder}")
    return [load_image(p) for p in files]


def split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    """Any PIL mode to (8-bit RGB, alpha or None). 16-bit and float greys are rescaled."""
    if not isinstance(image, Image.Image):
        raise MLError(f"expected a PIL image, got {type(image).__name__}")
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        alpha = image.getchannel("A")
        return image.convert("RGB"), alpha
    if mode.startswith("I") or mode == "F":
        arr = np.asarray(image, dtype=np.float32)
        if mode.startswith("I;16"):
            top = 65535.0
        elif mode == "F" and arr.size and arr.max() <= 1.0:
            top = 1.0
        else:
            top = 65535.0 if arr.size and arr.max() > 255 else 255.0
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey, "L").convert("RGB"), None
    if mode != "RGB":
        image = image.convert("RGB")
    return image, None


def to_tensor(image: Image.Image) -> torch.Tensor:
    """PIL RGB to a float tensor (1, 3, H, W) in [0, 1]."""
    arr = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return torch.from_numpy(arr.copy()).permute(2, 0, 1)[None].float() / 255.0


def from_tensor(x: torch.Tensor) -> Image.Image:
    """A float tensor (1, 3, H, W) or (3, H, W) in [0, 1] to PIL RGB."""
    if x.dim() == 4:
        x = x[0]
    arr = (x.detach().clamp(0, 1) * 255.0 + 0.5).to(torch.uint8).permute(1, 2, 0).cpu().numpy()
    return Image.fromarray(np.ascontiguousarray(arr), "RGB")


MIN_REFS = 3


def check_refs(images: list, what: str = "reference photos", minimum: int = MIN_REFS) -> None:
    if not isinstance(images, list | tuple) or len(images) < minimum:
        n = len(images) if isinstance(images, list | tuple) else 0
        raise MLError(f"need at least {minimum} {what}, got {n}")


def thumbnails(images: list, size: int, device: torch.device) -> torch.Tensor:
    """Square thumbnails (N, 3, size, size) of images, on a device."""
    return torch.cat([thumbnail(im, size) for im in images]).to(device)


def thumbnail(image: Image.Image, size: int) -> torch.Tensor:
    """A square size x size thumbnail tensor (1, 3, size, size) of the whole image."""
    rgb, _ = split_alpha(image)
    return to_tensor(rgb.resize((size, size), Image.Resampling.BILINEAR, reducing_gap=2.0))


@cache
def _photo(name: str) -> Image.Image:
    import skimage.data

    with Image.open(Path(skimage.data.__file__).parent / name) as im:
        im = im.convert("RGB")
    if name == "retina.jpg":  # a fundus photo inside a black disc: keep the lit centre
        w, h = im.size
        im = im.crop((w // 4, h // 4, 3 * w // 4, 3 * h // 4))
    return im


def sample_photos(names: tuple[str, ...] = _ORDER) -> list[Image.Image]:
    """Natural colour photos bundled with scikit-image (no download), as PIL RGB copies."""
    return [_photo(n).copy() for n in names]


def random_crops(
    photos: list[Image.Image], n: int, size: int, seed: int, min_scale: float = 0.3
) -> torch.Tensor:
    """n random square crops (uint8, (n, 3, size, size)) at random scales, with flips."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, size, size, 3), np.uint8)
    for i in range(n):
        im = photos[int(rng.integers(len(photos)))]
        w, h = im.size
        side = max(1, int(min(w, h) * rng.uniform(min_scale, 1.0)))
        x0, y0 = int(rng.integers(w - side + 1)), int(rng.integers(h - side + 1))
        crop = im.crop((x0, y0, x0 + side, y0 + side)).resize((size, size), Image.BILINEAR)
        arr = np.asarray(crop)
        out[i] = arr[:, ::-1] if rng.random() < 0.5 else arr
    return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()
