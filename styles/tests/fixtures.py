"""Catalog fixtures, loaded by the root conftest for every app's tests.

`ready_look`: a published influencer's published, ready look with three reference photos and
one real version (a safetensors file made by `ml.encode_look`, its .cube, cover and
before/after samples), all in default storage. The ml work runs once per test session
(`catalog_artifacts`); each test only writes the cached bytes.
`draft_look`: an unpublished draft with three references and no version, ready to be built.
`make_ready_look(**fields)` / `make_draft_look(**fields)` build more of them.
`catalog_look`: `LookFactory(ready=True)`, rows only, for tests that never load the look.
"""

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from styles import images, services
from styles.models import Look, LookVersion
from styles.tests.factories import LookFactory

REFERENCE_COUNT = 3
REFERENCE_SIDE = 96


@dataclass(frozen=True)
class CatalogArtifacts:
    """The bytes of one real look version, made once per session."""

    look_file: bytes
    cube: bytes
    fingerprint: str
    references: tuple[tuple[bytes, bytes], ...]  # (jpeg, webp thumbnail)
    sample_before: bytes
    sample_after: bytes


def synthetic_references(seed: int = 3, count: int = REFERENCE_COUNT) -> list[Image.Image]:
    """Small bundled photos graded with one of ml's synthetic looks."""
    import ml

    grade = ml.synthetic.random_look(seed)
    photos = [_small(photo) for photo in ml.sample_photos()[:count]]
    return [grade.apply(photo) for photo in photos]


def _small(photo: Image.Image) -> Image.Image:
    photo = images.opaque(photo).copy()
    photo.thumbnail((REFERENCE_SIDE, REFERENCE_SIDE))
    return photo


@pytest.fixture(scope="session")
def catalog_artifacts() -> CatalogArtifacts:
    import ml

    references = synthetic_references()
    look = ml.encode_look(references)
    before = _small(ml.sample_photos()[0])
    with tempfile.TemporaryDirectory() as folder:
        look_path, cube_path = Path(folder) / "look.safetensors", Path(folder) / "look.cube"
        look.save(look_path)
        ml.export_cube(look, cube_path, size=33)
        return CatalogArtifacts(
            look_file=look_path.read_bytes(),
            cube=cube_path.read_bytes(),
            fingerprint=look.fingerprint,
            references=tuple(
                (images.jpeg_bytes(image), images.thumbnail_bytes(image)) for image in references
            ),
            sample_before=images.jpeg_bytes(before),
            sample_after=images.jpeg_bytes(ml.stylize(before, look)),
        )


def _placeholder_references() -> list[tuple[bytes, bytes]]:
    """Three distinct small gradients (no ml needed), as JPEG and WebP thumbnail."""
    result = []
    for index in range(REFERENCE_COUNT):
        image = Image.linear_gradient("L").resize((REFERENCE_SIDE, REFERENCE_SIDE))
        tint = Image.new("RGB", image.size, (200 - 60 * index, 120, 60 + 60 * index))
        image = Image.composite(tint, Image.new("RGB", image.size, (20, 30, 40)), image)
        result.append((images.jpeg_bytes(image), images.thumbnail_bytes(image)))
    return result


@pytest.fixture
def make_draft_look(db):
    """`make(**look_fields)`: a draft look with three placeholder references and no version."""

    def make(**fields) -> Look:
        look = LookFactory(**fields)
        services.store_references(look, _placeholder_references())
        return look

    return make


@pytest.fixture
def make_ready_look(db, catalog_artifacts):
    """`make(published=True, **look_fields)`: a ready look whose version 1 is a real look file."""

    def make(*, published: bool = True, **fields) -> Look:
        look = LookFactory(
            ready=True,
            is_published=published,
            current_version__content=catalog_artifacts.look_file,
            current_version__fingerprint=catalog_artifacts.fingerprint,
            current_version__metrics={
                "fixture": True,
                "sha256": hashlib.sha256(catalog_artifacts.look_file).hexdigest(),
            },
            **fields,
        )
        services.store_references(look, catalog_artifacts.references)

        def save(suffix: str, content: bytes) -> str:
            return default_storage.save(
                images.version_name(look.id, 1, suffix), ContentFile(content)
            )

        LookVersion.objects.filter(pk=look.current_version_id).update(
            cube=save(".cube", catalog_artifacts.cube)
        )
        look.cover = save("-cover.jpg", catalog_artifacts.sample_after)
        look.sample_before = save("-before.jpg", catalog_artifacts.sample_before)
        look.sample_after = save("-after.jpg", catalog_artifacts.sample_after)
        look.save(update_fields=["cover", "sample_before", "sample_after"])
        look.current_version.refresh_from_db()
        return look

    return make


@pytest.fixture
def ready_look(make_ready_look) -> Look:
    return make_ready_look()


@pytest.fixture
def draft_look(make_draft_look) -> Look:
    return make_draft_look()


@pytest.fixture
def catalog_look(db) -> Look:
    """A look in the catalog whose version file is a placeholder (enough for services)."""
    return LookFactory(ready=True)


@pytest.fixture
def small_renders(monkeypatch):
    """Render fewer, smaller samples: tests check where renders go, not how they look."""
    from styles import build

    monkeypatch.setattr(build, "RENDER_LONG_SIDE", 96)
    monkeypatch.setattr(build, "PREVIEW_COUNT", 2)
