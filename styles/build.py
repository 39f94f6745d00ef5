"""The `train_look` job's handler (gpu queue): build version N+1 of a look and make it current.

A build never changes an existing version: it adds version N+1 (file, cube and renders under
`catalog/looks/<id>/v<N>...`) and points the look at it, so results made with older versions
keep loading them. While a look that already has a version is rebuilt it stays `ready` and keeps
serving its current version; only a look without any version shows `training` or `failed`.
"""

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image

from core import files
from core.errors import ServiceError
from jobs import ml_loader
from jobs.errors import JobCancelled
from jobs.models import Job
from jobs.registry import Progress
from styles import images
from styles.models import MIN_REFERENCES, Look, LookStatus, LookVersion
from styles.selectors import active_build

PREVIEW_COUNT = 4
RENDER_LONG_SIDE = 768
CUBE_SIZE = 33


def run(job: Job, progress: Progress) -> LookVersion:
    """Build the job's look. Idempotent: a job that already produced its version only makes
    sure it is current.
    """
    if job.look_id is None:
        raise ServiceError(_("The look of this job was deleted."))
    look = Look.objects.get(pk=job.look_id)
    made = LookVersion.objects.filter(look=look, metrics__job=str(job.id)).first()
    if made is not None:
        # The version was committed together with the look's update; only the job is left.
        Job.objects.filter(pk=job.pk).update(look_version=made)
        return made
    _set_building(look)
    method = job.params.get("method", LookVersion.Method.ZERO_SHOT)
    try:
        return _build(look, method, progress, job=job)
    except Exception as error:
        _record_failure(look, error)
        raise


def abandon(job: Job) -> None:
    """The build failed or was cancelled without its handler noticing (the reaper gave up on a
    dead worker, or it was cancelled while queued): a look that never had a version is failed.
    """
    error = Job.objects.filter(pk=job.pk).values_list("error", flat=True).first()
    Look.objects.filter(pk=job.look_id, status=LookStatus.TRAINING).update(
        status=LookStatus.FAILED, error=error or _("The build stopped. Please try again.")
    )


def build_look_now(look: Look, *, method: str = "zero_shot") -> LookVersion:
    """Build a new version in this process, without a job (management commands only)."""
    _set_building(look)
    try:
        return _build(look, method, lambda done: None, job=None)
    except Exception as error:
        _record_failure(look, error)
        raise


def rebuild_stale_looks(log: Callable[[str], None] = lambda line: None) -> int:
    """Build a new version of every look whose current version another base model made.

    `ml` refuses look files made with other base weights, so after the base model changes each
    look is rebuilt from its references with its current method. Idempotent: a rerun touches
    only the looks still stale. Runs where `ml` is installed (a GPU worker, `make run`).
    """
    base = ml_loader.ml().load_base(ml_loader.device()).fingerprint
    rebuilt = 0
    for look in Look.objects.exclude(current_version=None).select_related("current_version"):
        version = look.current_version
        try:
            made_with = ml_loader.look(version).base
        except ServiceError as error:
            log(f"Skipping {look.name}: {error.message}")
            continue
        if made_with == base or active_build(look) is not None:
            continue
        log(f"Rebuilding {look.name} (v{version.number}, {version.method})...")
        build_look_now(look, method=version.method)
        rebuilt += 1
    return rebuilt


def _set_building(look: Look) -> None:
    status = LookStatus.READY if look.current_version_id else LookStatus.TRAINING
    Look.objects.filter(pk=look.pk).update(status=status, error="")


def _record_failure(look: Look, error: Exception) -> None:
    look.refresh_from_db()
    has_version = look.current_version_id is not None
    if isinstance(error, JobCancelled):
        status, message = (LookStatus.READY if has_version else LookStatus.DRAFT), ""
    else:
        status = LookStatus.READY if has_version else LookStatus.FAILED
        message = _failure_message(error)
    Look.objects.filter(pk=look.pk).update(status=status, error=message)


def _failure_message(error: Exception) -> str:
    if isinstance(error, ServiceError):
        return error.message
    if isinstance(error, ml_loader.ml().MLError):
        return str(error)
    return _("The build failed unexpectedly. The worker log has the details.")


def _build(
    look: Look, method: str, progress: Callable[[float], None], *, job: Job | None
) -> LookVersion:
    ml, device = ml_loader.ml(), ml_loader.device()
    started = time.monotonic()
    references = load_references(look)
    progress(0.05)
    if method == LookVersion.Method.TRAINED:
        ml_look = ml.train_look(
            references, device=device, progress=lambda done: progress(0.05 + 0.75 * done)
        )
    else:
        ml_look = ml.encode_look(references, device=device)
    progress(0.8)
    number = (look.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    written: list[str] = []

    def save(suffix: str, content: bytes) -> str:
        name = images.version_name(look.id, number, suffix)
        # Only a crashed earlier attempt of this build can have left a file under this name.
        default_storage.delete(name)
        written.append(default_storage.save(name, ContentFile(content)))
        return written[-1]

    try:
        file_name, cube_name = _save_look_files(ml_look, save)
        renders = _render_samples(ml_look, save)
        progress(0.95)
        metrics = {
            **_training_metrics(ml_look),
            "job": str(job.id) if job else None,
            "method": method,
            "references": len(references),
            "seconds": round(time.monotonic() - started, 2),
        }
        with transaction.atomic():
            version = LookVersion.objects.create(
                look=look,
                number=number,
                method=method,
                file=file_name,
                cube=cube_name,
                fingerprint=ml_look.fingerprint,
                metrics=metrics,
                previews=renders["previews"],
            )
            _make_current(look, version, job, renders)
    except Exception:
        files.delete_files(written)
        raise
    return version


def load_references(look: Look) -> list[Image.Image]:
    references = []
    for reference in look.references.all():
        with default_storage.open(reference.image.name, "rb") as handle:
            image = Image.open(handle)
            image.load()
        references.append(images.opaque(image))
    if len(references) < MIN_REFERENCES:
        raise ServiceError(
            _("This look needs at least %(minimum)d reference photos.")
            % {"minimum": MIN_REFERENCES}
        )
    return references


def _save_look_files(ml_look, save: Callable[[str, bytes], str]) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        look_path, cube_path = Path(folder) / "look.safetensors", Path(folder) / "look.cube"
        ml_look.save(look_path)
        ml_loader.ml().export_cube(ml_look, cube_path, size=CUBE_SIZE, device=ml_loader.device())
        return save(".safetensors", look_path.read_bytes()), save(".cube", cube_path.read_bytes())


def _render_samples(ml_look, save: Callable[[str, bytes], str]) -> dict:
    """Cover, one before/after pair and a few previews, rendered on ml's bundled photos."""
    ml = ml_loader.ml()
    photos = []
    for photo in ml.sample_photos()[:PREVIEW_COUNT]:
        photo = images.opaque(photo).copy()
        photo.thumbnail((RENDER_LONG_SIDE, RENDER_LONG_SIDE))
        photos.append(photo)
    after = [ml.stylize(photo, ml_look, device=ml_loader.device()) for photo in photos]
    return {
        "cover": save("-cover.jpg", images.jpeg_bytes(after[0])),
        "sample_before": save("-before.jpg", images.jpeg_bytes(photos[0])),
        "sample_after": save("-after.jpg", images.jpeg_bytes(after[0])),
        "previews": [
            save(f"-preview-{index}.jpg", images.jpeg_bytes(image))
            for index, image in enumerate(after, 1)
        ],
    }


def _training_metrics(ml_look) -> dict:
    """The look file's own notes (for example training losses), as numbers where they are."""
    metrics = {}
    for key, value in getattr(ml_look, "meta", {}).items():
        try:
            metrics[key] = float(value)
        except (TypeError, ValueError):
            metrics[key] = str(value)
    return metrics


def _make_current(look: Look, version: LookVersion, job: Job | None, renders: dict) -> None:
    """Point the look (and the job) at its new version and its renders, and mark it ready."""
    renders = {key: renders[key] for key in ("cover", "sample_before", "sample_after")}
    Look.objects.filter(pk=look.pk).update(
        current_version=version, status=LookStatus.READY, error="", **renders
    )
    if job is not None:
        Job.objects.filter(pk=job.pk).update(look_version=version)
