"""Photos, stylize jobs, results and personal adapters: every state change of them (a person's
taste, edits and adapter training are in `generation.personalization`).

Photo storage names are generated here (`users/<owner_id>/photos/<uuid>.<ext>` and
`users/<owner_id>/thumbs/<uuid>.webp`); the user's filename is never used. Files are written
before the database row, and removed again if the row cannot be written, so a failed upload
leaves nothing behind. Jobs are only created and queued here; `jobs.services` runs them.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import files, images
from core.errors import Conflict, QuotaExceeded, ServiceError
from core.strength import check_strength
from generation import selectors
from generation.models import AdapterStatus, PersonalAdapter, Photo, Rating, Result
from generation.taste import check_edits
from jobs import services as job_services
from jobs.models import ACTIVE_STATUSES, Job, JobKind
from styles.selectors import catalog_look

MAX_FILES_PER_UPLOAD = 20


# --- photos ----------------------------------------------------------------------------------


def upload_photo(owner, uploaded_file: BinaryIO) -> tuple[Photo, bool]:
    """Validate and store one upload. Returns the photo and whether it is new.

    Uploading a file this owner already uploaded returns the existing photo (created=False).
    """
    [(photo, created)] = upload_photos(owner, [uploaded_file])
    return photo, created


def upload_photos(owner, uploaded_files: Sequence[BinaryIO]) -> list[tuple[Photo, bool]]:
    """Validate every file first, then store them all: one bad file rejects the whole batch.

    The error names the file by its position (1-based), so nothing is stored on failure.
    """
    if not uploaded_files:
        message = _("Choose at least one image to upload.")
        raise ServiceError(message, fields={"image": [message]})
    if len(uploaded_files) > MAX_FILES_PER_UPLOAD:
        message = _("Upload at most %(limit)d images at a time.") % {"limit": MAX_FILES_PER_UPLOAD}
        raise ServiceError(message, code="too_many_files", fields={"image": [message]})
    prepared = [
        _prepare(owner, uploaded_file, index, len(uploaded_files))
        for index, uploaded_file in enumerate(uploaded_files, start=1)
    ]
    stored: dict[str, tuple[Photo, bool]] = {}
    results = []
    for item in prepared:
        if isinstance(item, Photo):
            results.append((item, False))
        elif item.sha256 in stored:
            results.append((stored[item.sha256][0], False))
        else:
            stored[item.sha256] = _store(owner, item)
            results.append(stored[item.sha256])
    return results


def _prepare(owner, uploaded_file: BinaryIO, index: int, count: int):
    """The owner's existing photo with the same bytes, or the processed upload."""
    try:
        data = images.read_limited(uploaded_file, settings.MAX_UPLOAD_BYTES)
        existing = Photo.objects.filter(owner=owner, sha256=images.sha256_of(data)).first()
        if existing is not None and existing.original:
            return existing
        return images.process_upload(data, max_pixels=settings.MAX_UPLOAD_PIXELS)
    except ServiceError as error:
        if count > 1:
            error.message = _("File %(index)d: %(message)s") % {
                "index": index,
                "message": error.message,
            }
        error.fields = {"image": [error.message]}
        raise


def _store(owner, processed: images.ProcessedUpload) -> tuple[Photo, bool]:
    photo_id = uuid.uuid4()
    names: list[str] = []
    try:
        extension = processed.image.extension
        names.append(
            default_storage.save(
                files.user_file_name(owner.pk, "photos", extension, stem=photo_id),
                ContentFile(processed.image.content),
            )
        )
        names.append(
            default_storage.save(
                files.user_file_name(owner.pk, "thumbs", "webp", stem=photo_id),
                ContentFile(processed.thumbnail.content),
            )
        )
        with transaction.atomic():
            photo = Photo.objects.create(
                id=photo_id,
                owner=owner,
                original=names[0],
                thumbnail=names[1],
                width=processed.image.width,
                height=processed.image.height,
                sha256=processed.sha256,
                content_type=processed.image.content_type,
                byte_size=len(processed.image.content),
            )
    except IntegrityError:
        # The same file exists already: a concurrent upload won the race, or its original
        # was purged and this upload brings it back.
        existing = Photo.objects.filter(owner=owner, sha256=processed.sha256).first()
        if existing is None:
            files.delete_files(names)
            raise
        return _restore_original(existing, names), False
    except BaseException:
        files.delete_files(names)
        raise
    return photo, True


def _restore_original(photo: Photo, names: list[str]) -> Photo:
    """Give a photo whose original was purged the newly stored one; otherwise drop the files."""
    restored = Photo.objects.filter(pk=photo.pk, original="").update(
        original=names[0], thumbnail=names[1], original_purged_at=None
    )
    if restored:
        files.delete_files(files.stored_names(photo.thumbnail))
    else:
        files.delete_files(names)
    photo.refresh_from_db()
    return photo


def delete_photo(photo: Photo) -> None:
    """Delete a photo, its results, and (once that commits) all their files.

    A photo that a queued or running job still uses cannot be deleted: cancel the job first.
    """
    if photo.jobs.filter(status__in=ACTIVE_STATUSES).exists():
        raise Conflict(
            _("A job in progress uses this photo. Wait for it to finish or cancel it first.")
        )
    with transaction.atomic():
        names = photo_file_names(photo)
        photo.delete()
        files.delete_files_on_commit(names)


def photo_file_names(photo: Photo) -> list[str]:
    """Every stored file of a photo: its original, thumbnail, and its results' images."""
    names = files.stored_names(photo.original, photo.thumbnail)
    for image, result_thumbnail in photo.results.values_list("image", "thumbnail"):
        names += [name for name in (image, result_thumbnail) if name]
    return names


# --- jobs ------------------------------------------------------------------------------------


def create_stylize_job(
    owner,
    *,
    photo_ids: Iterable,
    look_slug: str,
    strength: float | None = None,
    edits: dict | None = None,
    use_adapter: bool = True,
) -> Job:
    """Validate a stylize request against the owner's photos and quotas, then queue it.

    The owner's adapter for the look (if it has enough evidence) adds their taste on top of
    `edits` at the adapter's intensity, as it is when the job is created."""
    profile = owner.preference_profile()
    strength = profile.default_strength if strength is None else strength
    check_strength(strength)
    edits = check_edits(edits)
    look = catalog_look(look_slug)
    photos = _owned_photos(owner, photo_ids)
    adapter = None
    if use_adapter and profile.personalization_enabled:
        adapter = selectors.adapter_for(owner, look)
    with transaction.atomic():
        job_services.check_quotas(owner)
        job = Job.objects.create(
            owner=owner,
            kind=JobKind.STYLIZE,
            look=look,
            look_version=look.current_version,
            adapter=adapter,
            params={
                "strength": float(strength),
                "edits": edits,
                "use_adapter": bool(use_adapter),
                "adapter_intensity": adapter.intensity if adapter else None,
            },
        )
        job.photos.set(photos)
        job_services.enqueue(job)
    return job


def _owned_photos(owner, photo_ids: Iterable) -> list[Photo]:
    """The owner's photos for these ids (or Photo rows), in the order given.

    Other users' ids count as unknown, exactly like ids that do not exist.
    """
    requested = list(dict.fromkeys(str(getattr(item, "pk", item)) for item in photo_ids or ()))
    if not requested:
        message = _("Choose at least one photo.")
        raise ServiceError(message, fields={"photos": [message]})
    limit = owner.quota("photos_per_job")
    if len(requested) > limit:
        message = _("A job can take at most %(limit)d photos; you chose %(count)d.") % {
            "limit": limit,
            "count": len(requested),
        }
        raise QuotaExceeded(message, code="too_many_photos", fields={"photos": [message]})
    valid_ids = [photo_id for photo_id in requested if _is_uuid(photo_id)]
    found = {str(photo.id): photo for photo in Photo.objects.filter(owner=owner, id__in=valid_ids)}
    unknown = [photo_id for photo_id in requested if photo_id not in found]
    if unknown:
        message = _("Unknown photos: %(ids)s.") % {"ids": ", ".join(unknown)}
        raise ServiceError(message, code="unknown_photos", fields={"photos": [message]})
    purged = [
        photo_id
        for photo_id, photo in found.items()
        if photo.original_purged_at is not None or not photo.original
    ]
    if purged:
        message = _("The originals of these photos were deleted: %(ids)s.") % {
            "ids": ", ".join(purged)
        }
        raise ServiceError(message, code="original_deleted", fields={"photos": [message]})
    return [found[photo_id] for photo_id in requested]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- results and adapters ----------------------------------------------------------------------


def set_feedback(result: Result, *, rating: int | None = None, favourite=None) -> Result:
    """Rate (-1, 0, 1) and/or favourite a result; either may be left out."""
    changed = []
    if rating is not None:
        if isinstance(rating, bool) or rating not in Rating.values:
            message = _("Rating must be -1, 0 or 1.")
            raise ServiceError(message, fields={"rating": [message]})
        result.rating = rating
        changed.append("rating")
    if favourite is not None:
        if not isinstance(favourite, bool):
            message = _("Favourite must be true or false.")
            raise ServiceError(message, fields={"favourite": [message]})
        result.favourite = favourite
        changed.append("favourite")
    if changed:
        result.save(update_fields=changed)
    return result


def delete_result(result: Result) -> None:
    """Delete a result and, once the deletion commits, its image files."""
    names = files.stored_names(result.image, result.thumbnail)
    with transaction.atomic():
        result.delete()
        files.delete_files_on_commit(names)


def delete_adapter(adapter: PersonalAdapter) -> None:
    """Delete a personal adapter and its weights file. One still training cannot be deleted."""
    if adapter.status == AdapterStatus.TRAINING:
        raise Conflict(_("This adapter is still training. Cancel its job first."))
    names = files.stored_names(adapter.file)
    with transaction.atomic():
        adapter.delete()
        files.delete_files_on_commit(names)
