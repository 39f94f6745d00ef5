"""The `export` job's handler (default queue): a zip of the user's originals, results and a
data.json of everything the database holds about them, set as the job's output.
"""

import json
import shutil
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import User
from core import files
from generation.models import PersonalAdapter, Photo, QuickTuneQuestion, Result
from jobs.models import Job
from jobs.registry import Progress

QUOTAS = ("concurrent_jobs", "photos_per_job", "daily_compute_seconds")
ACCOUNT_FIELDS = ("username", "email", "first_name", "last_name", "date_joined", "last_login")
PROFILE_FIELDS = (
    "default_strength",
    "personalization_enabled",
    "result_long_side",
    "keep_originals_days",
)
PHOTO_FIELDS = ("width", "height", "content_type", "byte_size")
JOB_FIELDS = ("kind", "status", "progress", "params")
JOB_TIMES = ("error", "attempts", "compute_seconds", "created", "started_at", "finished_at")
RESULT_FIELDS = (
    "strength",
    "edits",
    "applied_edits",
    "adapter_version",
    "adapter_intensity",
    "width",
    "height",
    "rating",
    "favourite",
    "created",
)
ADAPTER_FIELDS = ("version", "status", "intensity", "taste", "evidence", "reverted_from")


def export_name(job: Job) -> str:
    return files.user_file_name(job.owner_id, "exports", "zip", stem=job.id)


def build_export(job: Job, progress: Progress) -> None:
    """Idempotent: the archive's name comes from the job's id, so a retried run replaces a
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
    stored = [(photo.original.name, f"photos/{_basename(photo.original.name)}") for photo in photos]
    stored += [(result.image.name, f"results/{_basename(result.image.name)}") for result in results]
    stored = [pair for pair in stored if pair[0]]
    progress(0.0)
    with tempfile.TemporaryFile() as archive:
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zip_file:
            missing = _copy_files(zip_file, stored, progress)
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


def _copy_files(zip_file: zipfile.ZipFile, stored: list[tuple[str, str]], progress) -> set[str]:
    """Copy stored files into the archive; return the stored names that no longer exist."""
    missing = set()
    reported = 0.0
    for index, (name, archived) in enumerate(stored, start=1):
        try:
            with default_storage.open(name, "rb") as source, zip_file.open(archived, "w") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        except FileNotFoundError:
            missing.add(name)
        fraction = 0.95 * index / len(stored)
        if fraction - reported >= 0.02:
            progress(fraction)
            reported = fraction
    return missing


def _basename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def _fields(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


def _ids(related) -> list[str]:
    return [str(pk) for pk in related.values_list("id", flat=True)]


def export_data(user: User, photos: list[Photo], results: list[Result], *, missing=()) -> dict:
    """Everything the database holds about the user, as plain JSON-able data."""

    def archived(folder: str, name: str) -> str | None:
        return f"{folder}/{_basename(name)}" if name and name not in missing else None

    profile = user.preference_profile()
    jobs = Job.objects.filter(owner=user).select_related("look", "look_version")
    adapters = PersonalAdapter.objects.filter(owner=user).select_related("look", "look_version")
    return {
        "exported_at": timezone.now(),
        "account": {
            "id": user.pk,
            **_fields(user, ACCOUNT_FIELDS),
            "quotas": {name: user.quota(name) for name in QUOTAS},
        },
        "profile": {
            "favourite_looks": list(profile.favourite_looks.values_list("slug", flat=True)),
            **_fields(profile, PROFILE_FIELDS),
        },
        "photos": [
            {
                "id": photo.id,
                "file": archived("photos", photo.original.name),
                **_fields(photo, PHOTO_FIELDS),
                "sha256_of_upload": photo.sha256,
                "created": photo.created,
                "original_purged_at": photo.original_purged_at,
            }
            for photo in photos
        ],
        "jobs": [
            {
                "id": job.id,
                **_fields(job, JOB_FIELDS),
                "look": job.look.slug if job.look else None,
                "look_version": job.look_version.number if job.look_version else None,
                "adapter": job.adapter_id,
                "photos": _ids(job.photos),
                **_fields(job, JOB_TIMES),
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
                "edited_from": result.edited_from_id,
                **_fields(result, RESULT_FIELDS),
            }
            for result in results
        ],
        "adapters": [
            {
                "id": adapter.id,
                "look": adapter.look.slug,
                "look_version": adapter.look_version.number,
                **_fields(adapter, ADAPTER_FIELDS),
                "metrics": adapter.metrics,
                "photos": _ids(adapter.photos),
                "created": adapter.created,
            }
            for adapter in adapters
        ],
        "quick_tune_answers": [
            {
                "look": question.look.slug,
                "a": question.a,
                "b": question.b,
                "winner": question.winner,
                "answered_at": question.answered_at,
            }
            for question in QuickTuneQuestion.objects.filter(
                owner=user, winner__isnull=False
            ).select_related("look")
        ],
    }
