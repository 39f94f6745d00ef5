"""Catalog workflows: reference photos, requesting a build, publishing and deleting looks."""

from collections.abc import Sequence
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core import files
from core import images as upload_images
from core.errors import Conflict, ServiceError
from jobs import services as job_services
from jobs.models import Job, JobKind
from styles import images
from styles.models import (
    MIN_REFERENCES,
    Influencer,
    Look,
    LookStatus,
    LookVersion,
    ReferencePhoto,
)
from styles.selectors import active_build

MAX_REFERENCES_PER_UPLOAD = 30


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
        files.delete_files(written)
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
    names = files.stored_names(reference.image, reference.thumbnail)
    with transaction.atomic():
        reference.delete()
        files.delete_files_on_commit(names)


def delete_look(look: Look) -> None:
    """Delete a look with its references and versions, then (after commit) all their files.

    A look whose versions made users' results is protected by the database and stays.
    """
    names = files.stored_names(look.cover, look.sample_before, look.sample_after)
    for reference in look.references.all():
        names += files.stored_names(reference.image, reference.thumbnail)
    for version in look.versions.all():
        names += files.stored_names(version.file, version.cube)
        names += list(version.previews)
    with transaction.atomic():
        look.delete()
        files.delete_files_on_commit(names)


# --- building a look ---------------------------------------------------------------------


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
        job_services.enqueue(job)
    return job


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
