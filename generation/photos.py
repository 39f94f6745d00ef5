"""Photo services: upload (validated, re-encoded, deduplicated), delete, and the owner's photos.

Storage names are generated here (`users/<owner_id>/photos/<uuid>.<ext>` and
`users/<owner_id>/thumbs/<uuid>.webp`); the user's filename is never used. Files are written
before the database row, and removed again if the row cannot be written, so a failed upload
leaves nothing behind.
"""

import uuid
from collections.abc import Sequence
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from config.errors import Conflict, ServiceError
from generation import images
from generation.files import delete_files, delete_files_on_commit, stored_names
from generation.models import ACTIVE_STATUSES, Photo

MAX_FILES_PER_UPLOAD = 20


def photos_for(user) -> QuerySet[Photo]:
    """The user's photos, newest first."""
    return Photo.objects.filter(owner=user).order_by("-created")


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
        names.append(
            default_storage.save(
                f"users/{owner.pk}/photos/{photo_id}.{processed.image.extension}",
                ContentFile(processed.image.content),
            )
        )
        names.append(
            default_storage.save(
                f"users/{owner.pk}/thumbs/{photo_id}.webp",
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
            delete_files(names)
            raise
        return _restore_original(existing, names), False
    except BaseException:
        delete_files(names)
        raise
    return photo, True


def _restore_original(photo: Photo, names: list[str]) -> Photo:
    """Give a photo whose original was purged the newly stored one; otherwise drop the files."""
    restored = Photo.objects.filter(pk=photo.pk, original="").update(
        original=names[0], thumbnail=names[1], original_purged_at=None
    )
    if restored:
        delete_files(stored_names(photo.thumbnail))
    else:
        delete_files(names)
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
        delete_files_on_commit(names)


def photo_file_names(photo: Photo) -> list[str]:
    """Every stored file of a photo: its original, thumbnail, and its results' images."""
    names = stored_names(photo.original, photo.thumbnail)
    for image, result_thumbnail in photo.results.values_list("image", "thumbnail"):
        names += [name for name in (image, result_thumbnail) if name]
    return names
