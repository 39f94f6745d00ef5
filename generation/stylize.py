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
    look = ml_loader.look(job.look_version)
    adapter = _loaded_adapter(job.adapter)
    strength = float(job.params.get("strength", 1.0))
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
        styled = ml.stylize(image, look, adapter, strength=strength, device=ml_loader.device())
        _save_result(job, photo, styled, strength)
        done.add(photo.id)
        progress(len(done) / len(photos))


def open_original(photo: Photo, long_side: int = 0) -> Image.Image:
    if photo.original_purged_at is not None or not photo.original:
        raise ServiceError(_("The original of photo %(id)s was deleted.") % {"id": photo.id})
    return images.open_stored(photo.original.name, long_side)


def _loaded_adapter(personal: PersonalAdapter | None):
    if personal is None or personal.status != AdapterStatus.READY or not personal.file:
        return None
    return ml_loader.adapter(personal)


def _save_result(job: Job, photo: Photo, image: Image.Image, strength: float) -> None:
    """Store the image (JPEG, or PNG with transparency) and its thumbnail, then the row."""
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
                adapter_id=job.adapter_id,
                strength=strength,
                image=image_name,
                thumbnail=thumb_name,
                width=image.width,
                height=image.height,
            )
    except IntegrityError:
        # Another run of this job saved this photo's result first: keep theirs only.
        files.delete_quietly(image_name)
        files.delete_quietly(thumb_name)
