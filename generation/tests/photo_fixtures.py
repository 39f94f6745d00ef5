"""Photo fixtures, loaded by the root conftest.

`photo` is a real photo of `user`; `make_photo(owner, size=(w, h), color=...)` makes more. Both go
through `generation.photos.upload_photo`, so files exist in the configured storage.
`image_bytes(...)` and `upload(...)` help tests build uploads of their own.
"""

import io
import itertools
import struct
import zlib

import pillow_heif
import pytest
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
    **save_options,
) -> bytes:
    """An encoded image of one colour; extra options go to `Image.save` (exif=, comment=, ...)."""
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=format, **save_options)
    return buffer.getvalue()


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


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    """Bytes as Django sees a multipart file upload."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def unique_jpeg(size: tuple[int, int] = (64, 48), color=(200, 120, 80)) -> bytes:
    """A JPEG whose bytes differ from every other call's (a comment), so uploads never dedupe."""
    return image_bytes(size, color, comment=f"fixture {next(_serial)}".encode())


@pytest.fixture
def make_photo(db):
    """make_photo(owner, size=(w, h), color=(r, g, b)) -> a new Photo of that owner."""
    from generation.photos import upload_photo

    def make(owner, size: tuple[int, int] = (64, 48), color=(200, 120, 80)):
        photo, _ = upload_photo(owner, upload(unique_jpeg(size, color)))
        return photo

    return make


@pytest.fixture
def photo(user, make_photo):
    return make_photo(user)


@pytest.fixture
def make_result(db):
    """make_result(photo) -> a Result of a finished stylize job, with image files in storage.

    The look and its version are rows only (no ml), which is all a result needs.
    """
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from generation.models import Job, JobKind, JobStatus, Result
    from styles.models import LookStatus, LookVersion
    from styles.tests.factories import LookFactory

    def make(photo, *, rating: int = 0, favourite: bool = False):
        look = LookFactory(status=LookStatus.READY)
        version = LookVersion.objects.create(
            look=look, number=1, method=LookVersion.Method.ZERO_SHOT, file="", fingerprint="0" * 64
        )
        job = Job.objects.create(
            owner=photo.owner,
            kind=JobKind.STYLIZE,
            status=JobStatus.SUCCEEDED,
            progress=100,
            look=look,
            look_version=version,
            params={"strength": 1.0},
        )
        job.photos.add(photo)
        result_id = next(_serial)
        folder = f"users/{photo.owner_id}/results"
        image = default_storage.save(
            f"{folder}/result-{result_id}.jpg", ContentFile(image_bytes(color=(10, 200, 30)))
        )
        thumbnail = default_storage.save(
            f"{folder}/result-{result_id}-thumb.webp",
            ContentFile(image_bytes(color=(10, 200, 30), format="WEBP")),
        )
        return Result.objects.create(
            owner=photo.owner,
            job=job,
            photo=photo,
            look=look,
            look_version=version,
            strength=1.0,
            image=image,
            thumbnail=thumbnail,
            width=64,
            height=48,
            rating=rating,
            favourite=favourite,
        )

    return make
