"""Catalog workflows: reference photos, building a look (the `train_look` job), publishing.

A build never changes an existing version: it adds version N+1 (file, cube and renders under
`catalog/looks/<id>/v<N>...`) and points the look at it, so results made with older versions
keep loading them. While a look that already has a version is rebuilt it stays `ready` and keeps
serving its current version; only a look without any version shows `training` or `failed`.
"""

import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from PIL import Image

from config.errors import Conflict, ServiceError
from generation import images as upload_images
from generation import services as jobs
from generation.files import delete_files, delete_files_on_commit, stored_names
from generation.models import ACTIVE_STATUSES, Job, JobKind
from styles import images
from styles.models import Influencer, Look, LookStatus, LookVersion, ReferencePhoto

MIN_REFERENCES = 3
MAX_REFERENCES_PER_UPLOAD = 30
PREVIEW_COUNT = 4
RENDER_LONG_SIDE = 768
CUBE_SIZE = 33


# --- references ----------------------------------------------------------------------------


def add_references(look: Look, files: Sequence[BinaryIO]) -> list[ReferencePhoto]:
    """Validate every file, then store them all as the look's next reference photos.

    One bad file rejects the batch (the message names it by position), and nothing is stored.
    """
    return store_references(look, clean_references(files))


CleanReference = tuple[bytes, bytes]  # (JPEG, WebP thumbnail)


def clean_references(files: Sequence[BinaryIO]) -> list[CleanReference]:
    """Sniff, limit and re-encode uploaded reference images, or raise ServiceError."""
    if not files:
        raise ServiceError(_("Choose at least one reference image."))
    if len(files) > MAX_REFERENCES_PER_UPLOAD:
        raise ServiceError(
            _("Add at most %(limit)d reference images at a time.")
            % {"limit": MAX_REFERENCES_PER_UPLOAD}
        )
    return [_clean_reference(file, index, len(files)) for index, file in enumerate(files, 1)]


def store_references(look: Look, cleaned: Sequence[CleanReference]) -> list[ReferencePhoto]:
    """Write cleaned references after the look's last one; a failure leaves no file behind."""
    written: list[str] = []
    try:
        with transaction.atomic():
            last = look.references.aggregate(last=Max("order"))["last"]
            first_order = 0 if last is None else last + 1
            created = []
            for offset, (jpeg, thumbnail) in enumerate(cleaned):
                image_name, thumb_name = images.reference_names(look.id)
                written.append(default_storage.save(image_name, ContentFile(jpeg)))
                written.append(default_storage.save(thumb_name, ContentFile(thumbnail)))
                created.append(
                    ReferencePhoto.objects.create(
                        look=look,
                        image=written[-2],
                        thumbnail=written[-1],
                        order=first_order + offset,
                    )
                )
    except Exception:
        delete_files(written)
        raise
    return created


def _clean_reference(file: BinaryIO, index: int, count: int) -> CleanReference:
    try:
        data = upload_images.read_limited(file, settings.MAX_UPLOAD_BYTES)
        return images.clean_reference(data, max_pixels=settings.MAX_UPLOAD_PIXELS)
    except ServiceError as error:
        if count == 1:
            raise
        message = _("File %(index)d: %(message)s") % {"index": index, "message": error.message}
        raise type(error)(message, code=error.code, fields=error.fields) from None


def delete_reference(reference: ReferencePhoto) -> None:
    names = stored_names(reference.image, reference.thumbnail)
    with transaction.atomic():
        reference.delete()
        delete_files_on_commit(names)


def delete_look(look: Look) -> None:
    """Delete a look with its references and versions, then (after commit) all their files.

    A look whose versions made users' results is protected by the database and stays.
    """
    names = stored_names(look.cover, look.sample_before, look.sample_after)
    for reference in look.references.all():
        names += stored_names(reference.image, reference.thumbnail)
    for version in look.versions.all():
        names += stored_names(version.file, version.cube)
        names += list(version.previews)
    with transaction.atomic():
        look.delete()
        delete_files_on_commit(names)


# --- building a look ---------------------------------------------------------------------


def builds_of(look: Look):
    """The look's build jobs, newest first."""
    return Job.objects.filter(look=look, kind=JobKind.TRAIN_LOOK).order_by("-created")


def active_build(look: Look) -> Job | None:
    return builds_of(look).filter(status__in=ACTIVE_STATUSES).first()


def settle_status(look: Look) -> Look:
    """Mark a look stuck in `training` failed once no build is active any more.

    The reaper can give up on a job whose worker died; no handler runs then to record it.
    """
    if look.status != LookStatus.TRAINING or active_build(look) is not None:
        return look
    latest = builds_of(look).first()
    error = (latest.error if latest else "") or _("The build stopped. Please try again.")
    Look.objects.filter(pk=look.pk, status=LookStatus.TRAINING).update(
        status=LookStatus.FAILED, error=error
    )
    look.refresh_from_db()
    return look


def request_look_build(look: Look, *, requested_by, method: str = "zero_shot") -> Job:
    """Queue a `train_look` job owned by the curator. Refused while another build is active."""
    if method not in LookVersion.Method.values:
        raise ServiceError(_("Unknown build method %(method)s.") % {"method": method})
    with transaction.atomic():
        look = Look.objects.select_for_update().get(pk=look.pk)
        if active_build(look) is not None:
            raise Conflict(
                _("“%(look)s” is already being built. Wait for that build to finish.")
                % {"look": look.name}
            )
        count = look.references.count()
        if count < MIN_REFERENCES:
            raise ServiceError(
                _("“%(look)s” needs at least %(minimum)d reference photos (it has %(count)d).")
                % {"look": look.name, "minimum": MIN_REFERENCES, "count": count},
                code="too_few_references",
            )
        job = Job.objects.create(
            owner=requested_by, kind=JobKind.TRAIN_LOOK, look=look, params={"method": method}
        )
        if look.current_version_id is None:
            look.status = LookStatus.TRAINING
        look.error = ""
        look.save(update_fields=["status", "error", "updated"])
        jobs.enqueue(job)
    return job


def run_look_job(job: Job, progress: Callable[[float], None]) -> LookVersion:
    """The worker's `train_look` handler: build version N+1 of the job's look and make it current.

    Idempotent: a job that already produced its version only makes sure it is current.
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
    from generation import engine

    base = engine.ml().load_base(engine.device()).fingerprint
    rebuilt = 0
    for look in Look.objects.exclude(current_version=None).select_related("current_version"):
        version = look.current_version
        try:
            made_with = engine.look(version).base
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
    from generation.runners import JobCancelled

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
    import ml

    if isinstance(error, ml.MLError):
        return str(error)
    return _("The build failed unexpectedly. The worker log has the details.")


def _build(
    look: Look, method: str, progress: Callable[[float], None], *, job: Job | None
) -> LookVersion:
    from generation import engine

    ml, device = engine.ml(), engine.device()
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
        delete_files(written)
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
    from generation import engine

    with tempfile.TemporaryDirectory() as folder:
        look_path, cube_path = Path(folder) / "look.safetensors", Path(folder) / "look.cube"
        ml_look.save(look_path)
        engine.ml().export_cube(ml_look, cube_path, size=CUBE_SIZE, device=engine.device())
        return save(".safetensors", look_path.read_bytes()), save(".cube", cube_path.read_bytes())


def _render_samples(ml_look, save: Callable[[str, bytes], str]) -> dict:
    """Cover, one before/after pair and a few previews, rendered on ml's bundled photos."""
    from generation import engine

    ml = engine.ml()
    photos = []
    for photo in ml.sample_photos()[:PREVIEW_COUNT]:
        photo = images.opaque(photo).copy()
        photo.thumbnail((RENDER_LONG_SIDE, RENDER_LONG_SIDE))
        photos.append(photo)
    after = [ml.stylize(photo, ml_look, device=engine.device()) for photo in photos]
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


# --- publishing -------------------------------------------------------------------------------


def publish(look: Look) -> Look:
    """Show a ready look in the catalog. It is listed only while its influencer is published too."""
    published = Look.objects.filter(
        pk=look.pk, status=LookStatus.READY, current_version__isnull=False
    ).update(is_published=True)
    look.refresh_from_db()
    if not published:
        raise ServiceError(
            _("“%(look)s” cannot be published while it is %(status)s: build it first.")
            % {"look": look.name, "status": look.get_status_display().lower()},
            code="not_ready",
        )
    return look


def unpublish(look: Look) -> Look:
    Look.objects.filter(pk=look.pk).update(is_published=False)
    look.is_published = False
    return look


def set_influencer_published(influencer: Influencer, published: bool) -> Influencer:
    Influencer.objects.filter(pk=influencer.pk).update(is_published=published)
    influencer.is_published = published
    return influencer
