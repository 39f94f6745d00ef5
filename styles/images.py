"""Catalog image helpers: storage names under `catalog/` and reference-photo cleaning.

Uploads go through the same pipeline as users' photos (`core.images`: sniff, limit,
orient, sRGB, strip metadata); references are then flattened to opaque RGB and kept as JPEG,
because the look encoder reads colour only.
"""

import uuid

from PIL import Image

from core import images as upload_images

REFERENCE_THUMBNAIL_SIDE = 256
RENDER_QUALITY = 90


def look_folder(look_id: int) -> str:
    return f"catalog/looks/{look_id}"


def reference_names(look_id: int) -> tuple[str, str]:
    """Fresh storage names for one reference photo and its thumbnail."""
    stem = uuid.uuid4().hex
    folder = f"{look_folder(look_id)}/references"
    return f"{folder}/{stem}.jpg", f"{folder}/{stem}-thumb.webp"


def version_name(look_id: int, number: int, suffix: str) -> str:
    """`catalog/looks/<id>/v<N><suffix>`: the file, cube and renders of one version."""
    return f"{look_folder(look_id)}/v{number}{suffix}"


def opaque(image: Image.Image) -> Image.Image:
    """RGB; transparent areas become white."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def clean_reference(data: bytes, *, max_pixels: int) -> tuple[bytes, bytes]:
    """Validate an uploaded reference; return (JPEG bytes, WebP thumbnail bytes).

    Raises `core.errors.ServiceError` (or `PayloadTooLarge`) with a message for the curator.
    """
    image, _format = upload_images.open_image(data, max_pixels=max_pixels)
    cleaned = opaque(upload_images.normalize(image))
    return jpeg_bytes(cleaned), thumbnail_bytes(cleaned)


def jpeg_bytes(image: Image.Image, quality: int = RENDER_QUALITY) -> bytes:
    return upload_images.encode_jpeg(opaque(image), quality)


def thumbnail_bytes(image: Image.Image, long_side: int = REFERENCE_THUMBNAIL_SIDE) -> bytes:
    return upload_images.thumbnail(opaque(image), long_side).content
