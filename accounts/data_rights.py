"""A user's data rights: export everything, delete everything, and expire originals and exports.

Every file of a user lives under `users/<user_id>/`, so deleting an account removes that whole
prefix from storage, whatever the database still knows about.
"""

import contextlib
import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PreferenceProfile, User
from accounts.services import profile_for, revoke_token
from config.errors import Conflict, ServiceError
from generation import services as job_services
from generation.models import ACTIVE_STATUSES, Job, JobKind, PersonalAdapter, Photo, Result

logger = logging.getLogger(__name__)


def user_prefix(user_id) -> str:
    return f"users/{user_id}/"


# --- export --------------------------------------------------------------------------------


def request_export(user: User) -> Job:
    """Queue an export of the user's data, or return the one already queued or running."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = Job.objects.filter(
            owner=user, kind=JobKind.EXPORT, status__in=ACTIVE_STATUSES
        ).first()
        if active is not None:
            return active
        job = Job.objects.create(owner=user, kind=JobKind.EXPORT)
        job_services.enqueue(job)
    return job


def export_name(job: Job) -> str:
    return f"{user_prefix(job.owner_id)}exports/{job.id}.zip"


def build_export(job: Job, progress: Callable[[float], None]) -> None:
    """The export job's handler: a zip of originals, results and data.json, set as job.output.

    Idempotent: the archive's name comes from the job's id, so a retried run replaces a
    half-written archive instead of adding a second one, and a finished one is kept.
    """
    name = export_name(job)
    if job.output and default_storage.exists(job.output.name):
        return
    user = User.objects.get(pk=job.owner_id)
    photos = list(Photo.objects.filter(owner=user).order_by("created"))
    results = list(
        Result.objects.filter(owner=user).select_related("look", "look_version").order_by("created")
    )
    files = [(photo.original.name, f"photos/{_basename(photo.original.name)}") for photo in photos]
    files += [(result.image.name, f"results/{_basename(result.image.name)}") for result in results]
    files = [(stored, archived) for stored, archived in files if stored]
    progress(0.0)
    with tempfile.TemporaryFile() as archive:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zip_file:
            missing = _copy_files(zip_file, files, progress)
            data = export_data(user, photos, results, missing=missing)
            zip_file.writestr(
                "data.json",
                json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
                compress_type=zipfile.ZIP_DEFLATED,
            )
        archive.seek(0)
        default_storage.delete(name)
        saved = default_storage.save(name, File(archive, name=name))
    Job.objects.filter(pk=job.pk).update(output=saved)
    job.output.name = saved
    progress(1.0)


def _copy_files(zip_file: zipfile.ZipFile, files: list[tuple[str, str]], progress) -> set[str]:
    """Copy stored files into the archive; return the stored names that no longer exist."""
    missing = set()
    reported = 0.0
    for index, (stored, archived) in enumerate(files, start=1):
        try:
            with default_storage.open(stored, "rb") as source, zip_file.open(archived, "w") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        except FileNotFoundError:
            missing.add(stored)
        fraction = 0.95 * index / len(files)
        if fraction - reported >= 0.02:
            progress(fraction)
            reported = fraction
    return missing


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def export_data(user: User, photos: list[Photo], results: list[Result], *, missing=()) -> dict:
    """Everything the database holds about the user, as plain JSON-able data."""

    def archived(folder: str, name: str) -> str | None:
        return f"{folder}/{_basename(name)}" if name and name not in missing else None

    profile = profile_for(user)
    jobs = Job.objects.filter(owner=user).select_related("look", "look_version")
    adapters = PersonalAdapter.objects.filter(owner=user).select_related("look", "look_version")
    return {
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "quotas": {
                name: user.quota(name)
                for name in ("concurrent_jobs", "photos_per_job", "daily_compute_seconds")
            },
        },
        "profile": {
            "favourite_looks": list(profile.favourite_looks.values_list("slug", flat=True)),
            "default_strength": profile.default_strength,
            "personalization_enabled": profile.personalization_enabled,
            "result_long_side": profile.result_long_side,
            "keep_originals_days": profile.keep_originals_days,
        },
        "photos": [
            {
                "id": photo.id,
                "file": archived("photos", photo.original.name),
                "width": photo.width,
                "height": photo.height,
                "content_type": photo.content_type,
                "byte_size": photo.byte_size,
                "sha256_of_upload": photo.sha256,
                "created": photo.created,
                "original_purged_at": photo.original_purged_at,
            }
            for photo in photos
        ],
        "jobs": [
            {
                "id": job.id,
                "kind": job.kind,
                "status": job.status,
                "progress": job.progress,
                "params": job.params,
                "look": job.look.slug if job.look else None,
                "look_version": job.look_version.number if job.look_version else None,
                "adapter": job.adapter_id,
                "photos": [str(pk) for pk in job.photos.values_list("id", flat=True)],
                "error": job.error,
                "attempts": job.attempts,
                "compute_seconds": job.compute_seconds,
                "created": job.created,
                "started_at": job.started_at,
                "finished_at": job.finished_at,
            }
            for job in jobs
        ],
        "results": [
            {
                "id": result.id,
                "file": archived("results", result.image.name),
                "job": result.job_id,
                "photo": result.photo_id,
                "look": result.look.slug,
                "look_version": result.look_version.number,
                "adapter": result.adapter_id,
                "strength": result.strength,
                "width": result.width,
                "height": result.height,
                "rating": result.rating,
                "favourite": result.favourite,
                "created": result.created,
            }
            for result in results
        ],
        "adapters": [
            {
                "id": adapter.id,
                "look": adapter.look.slug,
                "look_version": adapter.look_version.number,
                "status": adapter.status,
                "metrics": adapter.metrics,
                "photos": [str(pk) for pk in adapter.photos.values_list("id", flat=True)],
                "created": adapter.created,
            }
            for adapter in adapters
        ],
    }


# --- deletion ------------------------------------------------------------------------------


def confirm_password(user: User, password: str | None) -> None:
    """Deleting an account needs the current password, so a stolen token alone cannot."""
    if not password or not user.check_password(password):
        message = _("Enter your current password to delete your account.")
        raise ServiceError(message, code="wrong_password", fields={"password": [message]})


def delete_account(user: User) -> None:
    """Delete the user, everything the database holds about them, and every stored file.

    Active jobs are cancelled first. Files go once the deletion commits; a second sweep a
    little later catches files that a cancelled worker was still writing.
    """
    for job in Job.objects.filter(owner=user, status__in=ACTIVE_STATUSES):
        with contextlib.suppress(Conflict):  # it finished meanwhile
            job_services.cancel(job)
    revoke_token(user)
    user_id = user.pk
    with transaction.atomic():
        user.delete()
        transaction.on_commit(lambda: _delete_files_now_and_later(user_id))


def _delete_files_now_and_later(user_id) -> None:
    from accounts.tasks import delete_user_files

    try:
        delete_user_files_now(user_id)
    except Exception:
        logger.exception("could not delete the files of deleted user %s; retrying later", user_id)
    delete_user_files.apply_async(
        (user_id,), countdown=settings.JOB_STALE_AFTER.total_seconds() * 2
    )


def sweep_deleted_user_files(user_id) -> int:
    """The later sweep: delete what is left under a deleted user's prefix."""
    if User.objects.filter(pk=user_id).exists():
        return 0
    return delete_user_files_now(user_id)


def delete_user_files_now(user_id) -> int:
    """Delete every stored object under `users/<user_id>/`. Returns how many files went."""
    return delete_prefix(user_prefix(user_id))


def delete_prefix(prefix: str) -> int:
    """Delete every file under a storage folder (S3 prefix or local directory), recursively."""
    prefix = prefix.rstrip("/")
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return 0
    deleted = 0
    for file_name in files:
        default_storage.delete(f"{prefix}/{file_name}")
        deleted += 1
    for folder in folders:
        deleted += delete_prefix(f"{prefix}/{folder}")
    _remove_local_folder(prefix)
    return deleted


def _remove_local_folder(prefix: str) -> None:
    try:
        path = default_storage.path(prefix)
    except NotImplementedError:
        return  # object storage has no folders
    shutil.rmtree(path, ignore_errors=True)


# --- retention -----------------------------------------------------------------------------


def purge_expired_originals() -> int:
    """Delete originals older than each owner's `keep_originals_days` (0 keeps them forever).

    Thumbnails and results stay. A photo that an active job uses keeps its original until
    the next run. Returns how many originals were deleted.
    """
    now = timezone.now()
    purged = 0
    retention = PreferenceProfile.objects.filter(keep_originals_days__gt=0).values_list(
        "user_id", "keep_originals_days"
    )
    for user_id, days in retention:
        expired = (
            Photo.objects.filter(owner_id=user_id, created__lt=now - timedelta(days=days))
            .exclude(original="")
            .exclude(jobs__status__in=ACTIVE_STATUSES)
        )
        for photo_id, name in expired.values_list("id", "original"):
            if Photo.objects.filter(pk=photo_id, original=name).update(
                original="", original_purged_at=now
            ):
                default_storage.delete(name)
                purged += 1
    return purged


def purge_expired_exports() -> int:
    """Delete export archives finished longer than `EXPORT_RETENTION` ago.

    An export holds every original, so it should not outlive its purpose. The job stays (its
    card says the download expired); returns how many archives were deleted.
    """
    cutoff = timezone.now() - settings.EXPORT_RETENTION
    expired = Job.objects.filter(kind=JobKind.EXPORT, finished_at__lt=cutoff).exclude(output="")
    purged = 0
    for job_id, name in expired.values_list("id", "output"):
        if Job.objects.filter(pk=job_id, output=name).update(output=""):
            default_storage.delete(name)
            purged += 1
    return purged
