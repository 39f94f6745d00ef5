"""The `stylize` job's handler (gpu queue): give each of the job's photos the job's look.

Idempotent: a run skips photos that already have a result for its job, and the unique
(job, photo) constraint catches a race.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from PIL import Image

from core import files, images
from core.errors import ServiceError
from generation.models import AdapterStatus, PersonalAdapter, Photo, Result
from jobs import ml_loader
from jobs.models import Job
from jobs.registry import Progress


def run(job: Job, progress: Progress) -> None:
    """One `Result` per photo, saved as it goes."""
    if job.look_version is None:
        raise ServiceError(_("This look is no longer available."))
    ml = ml_loader.ml()
    from ml.api import final_edits

    look = ml_loader.look(job.look_version)
    adapter = _loaded_adapter(job.adapter)
    strength = float(job.params.get("strength", 1.0))
    edits = job.params.get("edits") or {}
    intensity = _intensity(job) if adapter is not None else None
    applied = final_edits(edits, adapter, intensity or 0.0)
    edited_from = _sources(job)
    long_side = job.owner.preference_profile().result_long_side
    photos = list(job.photos.order_by("created", "id"))
    if not photos:
        raise ServiceError(_("The photos of this job were deleted."))
    done = set(Result.objects.filter(job=job).values_list("photo_id", flat=True))
    progress(len(done) / len(photos))
    for photo in photos:
        if photo.id in done:
            continue
        image = open_original(photo, long_side)
        styled = ml.stylize(
            image,
            look,
            adapter,
            strength=strength,
            edits=edits,
            intensity=intensity or 0.0,
            device=ml_loader.device(),
        )
        rendering = {
            "strength": strength,
            "edits": ml.check_edits(edits),
            "applied_edits": applied,
            "adapter_intensity": intensity,
            "adapter_version": job.adapter.version if adapter is not None else None,
            "edited_from_id": edited_from.get(str(photo.id)),
        }
        _save_result(job, photo, styled, rendering)
        done.add(photo.id)
        progress(len(done) / len(photos))


def open_original(photo: Photo, long_side: int = 0) -> Image.Image:
    if photo.original_purged_at is not None or not photo.original:
        raise ServiceError(_("The original of photo %(id)s was deleted.") % {"id": photo.id})
    return images.open_stored(photo.original.name, long_side)


def _sources(job: Job) -> dict[str, str]:
    """For an edit job: the result each photo's new result is an edited copy of (if it still
    exists), by photo id."""
    asked = job.params.get("edited_from") or {}
    existing = {
        str(result_id)
        for result_id in Result.objects.filter(
            owner_id=job.owner_id, id__in=list(asked.values())
        ).values_list("id", flat=True)
    }
    return {photo_id: result_id for photo_id, result_id in asked.items() if result_id in existing}


def _intensity(job: Job) -> float:
    """The adapter's intensity when the job was created (its own, for jobs from before)."""
    recorded = job.params.get("adapter_intensity")
    return float(job.adapter.intensity if recorded is None else recorded)


def _loaded_adapter(personal: PersonalAdapter | None):
    if personal is None or personal.status != AdapterStatus.READY or not personal.file:
        return None
    return ml_loader.adapter(personal)


def _save_result(job: Job, photo: Photo, image: Image.Image, rendering: dict) -> None:
    """Store the image (JPEG, or PNG with transparency) and its thumbnail, then the row with
    how it was rendered (strength, edits, adapter version and intensity, edited_from)."""
    encoded = images.encode(image)
    thumbnail = images.thumbnail(image)
    stem = uuid.uuid4().hex
    image_name = files.store(
        files.user_file_name(job.owner_id, "results", encoded.extension, stem), encoded.content
    )
    thumb_name = files.store(
        files.user_file_name(job.owner_id, "thumbs", "webp", stem), thumbnail.content
    )
    try:
        with transaction.atomic():
            Result.objects.create(
                job=job,
                owner_id=job.owner_id,
                photo=photo,
                look_id=job.look_id,
                look_version=job.look_version,
                adapter_id=job.adapter_id if rendering["adapter_version"] else None,
                image=image_name,
                thumbnail=thumb_name,
                width=image.width,
                height=image.height,
                **rendering,
            )
    except IntegrityError:
        # Another run of this job saved this photo's result first: keep theirs only.
        files.delete_quietly(image_name)
        files.delete_quietly(thumb_name)
