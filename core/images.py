"""Images: the upload pipeline (sniff, limit, orient, convert, re-encode, thumbnail), and the one
way every stored image is encoded, opened and shrunk.

Pure Pillow (plus pillow-heif for HEIC); no Django models. Every rejection raises
`core.errors.ServiceError` (400) or `PayloadTooLarge` (413) with a message for the user.

Output: JPEG (quality 92) for opaque images, PNG where real transparency exists; colours in sRGB
(an embedded ICC profile is converted, then dropped); no EXIF, GPS, XMP, comments or text chunks.
`sha256` is the hash of the bytes the user uploaded, so uploading the same file again dedupes.
"""

import contextlib
import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import pillow_heif
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from core import files
from core.errors import PayloadTooLarge, ServiceError

pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
JPEG_QUALITY = 92
THUMBNAIL_LONG_SIDE = 512
THUMBNAIL_QUALITY = 80
READ_CHUNK = 1024 * 1024
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class EncodedImage:
    content: bytes
    format: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[self.format]

    @property
    def content_type(self) -> str:
        return f"image/{self.format.lower()}"


@dataclass(frozen=True)
class ProcessedUpload:
    """A cleaned image ready to store. `sha256` hashes the original upload's bytes."""

    image: EncodedImage
    thumbnail: EncodedImage
    sha256: str
    source_format: str


def read_limited(fp: BinaryIO, max_bytes: int) -> bytes:
    """Read a whole upload, refusing it as soon as it passes `max_bytes` (413) or is empty."""
    if hasattr(fp, "seek"):
        fp.seek(0)
    data = bytearray()
    while chunk := fp.read(READ_CHUNK):
        data += chunk
        if len(data) > max_bytes:
            raise PayloadTooLarge(
                _("This file is larger than the limit of %(limit)s MB.")
                % {"limit": _megabytes(max_bytes)}
            )
    if not data:
        raise ServiceError(_("The file is empty."), code="empty_file")
    return bytes(data)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_upload(data: bytes, *, max_pixels: int) -> ProcessedUpload:
    """Validate the upload's bytes and return the re-encoded image and its thumbnail."""
    image, source_format = open_image(data, max_pixels=max_pixels)
    cleaned = normalize(image)
    return ProcessedUpload(
        image=encode(cleaned),
        thumbnail=thumbnail(cleaned),
        sha256=sha256_of(data),
        source_format=source_format,
    )


def open_image(data: bytes, *, max_pixels: int) -> tuple[Image.Image, str]:
    """Sniff and fully decode the first frame, checking the pixel count before decoding."""
    if data[:6] in (b"GIF87a", b"GIF89a"):
        raise ServiceError(
            _("GIF is not supported. Upload a JPEG, PNG, WebP or HEIC image."),
            code="unsupported_type",
        )
    # catch_warnings changes process-wide state: fine under gunicorn's sync (thread-free) workers.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
            source_format = image.format
            _check_pixels(image.width, image.height, max_pixels)
            image.seek(0)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(max_pixels) from None
        except UnidentifiedImageError:
            raise ServiceError(
                _("This file is not a supported image. Upload a JPEG, PNG, WebP or HEIC image."),
                code="unsupported_type",
            ) from None
        except ServiceError:
            raise
        except _DECODE_ERRORS:
            raise ServiceError(
                _("This image could not be read; it may be damaged or incomplete."),
                code="unreadable_image",
            ) from None
    return image, source_format


def _check_pixels(width: int, height: int, max_pixels: int) -> None:
    if width <= 0 or height <= 0:
        raise ServiceError(_("This image has no pixels."), code="unreadable_image")
    if width * height > max_pixels:
        raise _too_many_pixels(max_pixels)


def _too_many_pixels(max_pixels: int) -> ServiceError:
    return ServiceError(
        _("This image has too many pixels; the limit is %(limit)s megapixels.")
        % {"limit": f"{max_pixels / 1_000_000:g}"},
        code="too_many_pixels",
    )


def normalize(image: Image.Image) -> Image.Image:
    """Upright, 8-bit sRGB (RGB, or RGBA when some pixel is transparent), with no metadata."""
    icc_profile = image.info.get("icc_profile")
    with contextlib.suppress(*_DECODE_ERRORS):  # unreadable EXIF: keep the stored orientation
        image = ImageOps.exif_transpose(image)
    colour, alpha = _split_alpha(image)
    colour = _to_srgb(_to_8_bit(colour), icc_profile)
    if alpha is not None and alpha.getextrema()[0] < 255:
        colour.putalpha(alpha)
    colour.info = {}
    return colour


def _split_alpha(image: Image.Image) -> tuple[Image.Image, Image.Image | None]:
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    elif image.mode in ("PA", "RGBa", "La"):
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode in ("L", "RGB", "CMYK") and "transparency" in image.info:
        image = image.convert("LA" if image.mode == "L" else "RGBA")
    if image.mode in ("RGBA", "LA"):
        return image.convert(image.mode[:-1]), image.getchannel("A")
    return image, None


def _to_8_bit(image: Image.Image) -> Image.Image:
    if image.mode.startswith("I;16") or image.mode == "I":
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "F":
        return image.point(lambda value: value * 255).convert("L")
    return image


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Convert through the embedded ICC profile where it fits the pixels; otherwise as is."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(
                image, source, _SRGB, renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or mismatched profile: fall back to a plain conversion
    return image.convert("RGB")


def encode(image: Image.Image) -> EncodedImage:
    """Encode a normalized image: PNG when it has alpha, JPEG otherwise. No metadata is written."""
    if image.mode == "RGBA":
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=False, compress_level=6)
        return EncodedImage(buffer.getvalue(), "PNG", image.width, image.height)
    return EncodedImage(encode_jpeg(image), "JPEG", image.width, image.height)


def encode_jpeg(image: Image.Image, quality: int = JPEG_QUALITY) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def thumbnail(image: Image.Image, long_side: int = THUMBNAIL_LONG_SIDE) -> EncodedImage:
    """A WebP preview whose long side is at most `long_side` (alpha kept)."""
    small = image.copy()
    small.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    small.info = {}
    buffer = io.BytesIO()
    small.save(buffer, format="WEBP", quality=THUMBNAIL_QUALITY, method=4)
    return EncodedImage(buffer.getvalue(), "WEBP", small.width, small.height)


def fit(image: Image.Image, long_side: int) -> Image.Image:
    """Shrink so the long side is at most `long_side` (0 keeps the size); never enlarge."""
    if not long_side or max(image.size) <= long_side:
        return image
    scale = long_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def open_stored(name: str, long_side: int = 0) -> Image.Image:
    """A stored image as RGB (RGBA where it has transparency), shrunk to `long_side`."""
    try:
        data = files.read(name)
    except FileNotFoundError:
        raise ServiceError(_("A stored image is missing.")) from None
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ServiceError(_("A stored image could not be read.")) from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    return fit(image.convert("RGBA" if has_alpha else "RGB"), long_side)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"
