"""Image bytes for tests: uploads of every kind, and a decompression bomb's header."""

import io
import itertools
import struct
import zlib

import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

_serial = itertools.count(1)
pillow_heif.register_heif_opener()  # so tests can write HEIC


def image_bytes(
    size: tuple[int, int] = (64, 48),
    color=(200, 120, 80),
    *,
    mode: str = "RGB",
    format: str = "JPEG",
    two_tone: bool = False,
    **save_options,
) -> bytes:
    """An encoded image of one colour; `two_tone` lightens the top-left quarter, so that
    stylizing it changes something visible. Extra options go to `Image.save` (exif=, ...).
    """
    image = Image.new(mode, size, color)
    if two_tone:
        light = (250,) * len(image.getbands())
        image.paste(light, (0, 0, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, format=format, **save_options)
    return buffer.getvalue()


def unique_jpeg(size: tuple[int, int] = (64, 48), color=(200, 120, 80)) -> bytes:
    """A JPEG whose bytes differ from every other call's (a comment), so uploads never dedupe."""
    return image_bytes(size, color, comment=f"fixture {next(_serial)}".encode())


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    """Bytes as Django sees a multipart file upload."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def bomb_png(width: int, height: int) -> bytes:
    """A PNG that declares huge dimensions in a few bytes (a decompression bomb's header)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
