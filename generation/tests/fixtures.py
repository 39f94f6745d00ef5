"""Fixtures for generation tests, loaded by the root conftest.

They build rows directly (with small real images in default storage) so job tests do not
depend on the upload path; the end-to-end tests go through the photo API instead.
"""

import functools
import hashlib
import io
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from generation.models import Job, JobKind, JobStatus, PersonalAdapter, Photo, Result


def image_bytes(size=(64, 48), colour=(180, 120, 60), fmt="JPEG", mode="RGB") -> bytes:
    """A small two-tone image, so stylizing it changes something visible."""
    image = Image.new(mode, size, colour if mode == "RGB" else (*colour, 200))
    image.paste(
        (250, 250, 250) if mode == "RGB" else (250, 250, 250, 255),
        (0, 0, size[0] // 2, size[1] // 2),
    )
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def make_stored_photo(db):
    """`make(owner, size=..., alpha=False)`: a Photo whose original is really in storage."""
    counter = iter(range(10_000))

    def make(owner, *, size=(64, 48), alpha: bool = False) -> Photo:
        colour = (40 + next(counter) % 200, 120, 60)
        fmt, ext = ("PNG", "png") if alpha else ("JPEG", "jpg")
        data = image_bytes(size, colour, fmt, "RGBA" if alpha else "RGB")
        stem = uuid.uuid4().hex
        original = default_storage.save(f"users/{owner.id}/photos/{stem}.{ext}", ContentFile(data))
        thumb = default_storage.save(
            f"users/{owner.id}/thumbs/{stem}.webp",
            ContentFile(image_bytes((32, 24), colour, "WEBP")),
        )
        return Photo.objects.create(
            owner=owner,
            original=original,
            thumbnail=thumb,
            width=size[0],
            height=size[1],
            sha256=hashlib.sha256(data + stem.encode()).hexdigest(),
            content_type=f"image/{'png' if alpha else 'jpeg'}",
            byte_size=len(data),
        )

    return make


@functools.cache
def _look_file(seed: int) -> bytes:
    """A real look file: the zero-shot encoding of sample photos graded by a random look."""
    import ml

    grade = ml.looks.random_look(seed)
    references = [grade.apply(photo) for photo in ml.sample_photos()[:3]]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "look.safetensors"
        ml.encode_look(references).save(path)
        return path.read_bytes()


@pytest.fixture
def make_look(db):
    """`make(published=True, status="ready", real=False)`: a catalog look with one version.

    `real=True` stores a real `ml` look file (a random grade) so a worker can load it.
    """
    from styles.models import Influencer, Look, LookStatus, LookVersion

    def make(
        *, published: bool = True, status: str = LookStatus.READY, real: bool = False, seed=1
    ) -> Look:
        key = uuid.uuid4().hex[:8]
        influencer = Influencer.objects.create(name=f"Influencer {key}", slug=f"inf-{key}")
        look = Look.objects.create(
            influencer=influencer,
            name=f"Look {key}",
            slug=f"look-{key}",
            status=status,
            is_published=published,
        )
        content = _look_file(seed) if real else b"not a look file"
        name = default_storage.save(
            f"catalog/looks/{look.id}/versions/{key}.safetensors", ContentFile(content)
        )
        version = LookVersion.objects.create(
            look=look,
            number=1,
            method=LookVersion.Method.ZERO_SHOT,
            file=name,
            fingerprint=hashlib.sha256(content).hexdigest(),
        )
        look.current_version = version
        look.save(update_fields=["current_version"])
        return look

    return make


@pytest.fixture
def job_look(make_look):
    """A published, ready look whose file is a placeholder (enough for the services)."""
    return make_look()


@pytest.fixture
def make_catalog_look(make_look):
    """A look that the catalog pages show: `make_look` with its influencer published as well."""

    def make(**fields):
        look = make_look(**fields)
        look.influencer.is_published = True
        look.influencer.save(update_fields=["is_published"])
        return look

    return make


@pytest.fixture
def catalog_look(make_catalog_look):
    return make_catalog_look()


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """The job ids handed to Celery, instead of a broker."""
    from generation import tasks

    ids: list[str] = []
    monkeypatch.setattr(tasks.run_gpu_job, "delay", ids.append)
    monkeypatch.setattr(tasks.run_default_job, "delay", ids.append)
    return ids


def wait_for_job(job_id, condition=lambda job: job.is_finished, timeout: float = 120) -> Job:
    """Poll the job row (the truth) until `condition(job)` holds; fail with its state after
    `timeout` seconds. For tests with a real worker process."""
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(id=job_id)
        if condition(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} stayed {job.status} at {job.progress}%: {job.error!r}")
        time.sleep(0.2)


@pytest.fixture
def make_job(db):
    """`make(owner, status=..., **fields)`: a job row as a worker would have left it."""

    def make(owner, *, kind=JobKind.STYLIZE, status=JobStatus.QUEUED, photos=(), **fields) -> Job:
        if status != JobStatus.QUEUED:
            fields.setdefault("started_at", timezone.now())
        if status not in (JobStatus.QUEUED, JobStatus.RUNNING):
            fields.setdefault("finished_at", timezone.now())
        if status == JobStatus.RUNNING:
            fields.setdefault("heartbeat_at", timezone.now())
            fields.setdefault("attempts", 1)
        job = Job.objects.create(owner=owner, kind=kind, status=status, **fields)
        job.photos.set(photos)
        return job

    return make


@pytest.fixture
def make_job_result(db, make_stored_photo, make_job):
    """`make(owner, look, **fields)`: a finished result whose files exist in storage."""

    def make(owner, look, **fields) -> Result:
        photo = fields.pop("photo", None) or make_stored_photo(owner)
        job = fields.pop("job", None) or make_job(
            owner, status=JobStatus.SUCCEEDED, look=look, look_version=look.current_version
        )
        stem = uuid.uuid4().hex
        image = default_storage.save(
            f"users/{owner.id}/results/{stem}.jpg", ContentFile(image_bytes())
        )
        thumb = default_storage.save(
            f"users/{owner.id}/thumbs/{stem}.webp", ContentFile(image_bytes(fmt="WEBP"))
        )
        fields.setdefault("strength", 1.0)
        return Result.objects.create(
            owner=owner,
            job=job,
            photo=photo,
            look=look,
            look_version=look.current_version,
            image=image,
            thumbnail=thumb,
            width=64,
            height=48,
            **fields,
        )

    return make


@pytest.fixture
def make_adapter(db):
    """`make(owner, look, status="ready")`: an adapter row whose file exists when ready."""

    def make(owner, look, *, status: str = "ready", content: bytes = b"weights") -> PersonalAdapter:
        name = ""
        if status == "ready":
            name = default_storage.save(
                f"users/{owner.id}/adapters/{uuid.uuid4().hex}.safetensors", ContentFile(content)
            )
        return PersonalAdapter.objects.create(
            owner=owner, look=look, look_version=look.current_version, status=status, file=name
        )

    return make
