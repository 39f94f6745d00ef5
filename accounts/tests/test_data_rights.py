"""Data rights: export everything, delete everything, expire originals."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts import export, services, tasks
from accounts.models import ApiToken, User
from core.errors import QuotaExceeded
from generation.models import PersonalAdapter, Photo, Result
from generation.tests.factories import PersonalAdapterFactory, PhotoFactory, ResultFactory
from jobs.models import Job, JobKind, JobStatus

# --- export --------------------------------------------------------------------------------


def test_request_export_queues_one_default_job(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_export(user)
    assert (job.kind, job.status, job.owner_id) == (JobKind.EXPORT, JobStatus.QUEUED, user.pk)
    assert len(callbacks) == 1  # sent to the queue once the transaction commits
    with pytest.raises(QuotaExceeded):  # no second export while one is active
        services.request_export(user)


def test_build_export_writes_a_zip_with_files_and_data(user, photo):
    second = PhotoFactory(owner=user)
    result = ResultFactory(photo=photo, rating=1, favourite=True)
    adapter = PersonalAdapterFactory(
        owner=result.owner, look=result.look, metrics={"loss": 0.1}, photos=[result.photo]
    )
    profile = user.preference_profile()
    profile.keep_originals_days = 30
    profile.save()
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    reports = []

    export.build_export(job, reports.append)

    job.refresh_from_db()
    assert job.output.name == f"users/{user.pk}/exports/{job.id}.zip"
    assert reports[0] == 0.0 and reports[-1] == 1.0
    with default_storage.open(job.output.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    members = set(archive.namelist())
    assert members == {
        "data.json",
        f"photos/{photo.id}.jpg",
        f"photos/{second.id}.jpg",
        f"results/{Path(result.image.name).name}",
    }
    with default_storage.open(photo.original.name) as original:
        assert archive.read(f"photos/{photo.id}.jpg") == original.read()

    data = json.loads(archive.read("data.json"))
    assert data["account"]["username"] == user.username
    assert data["profile"]["keep_originals_days"] == 30
    assert {item["id"] for item in data["photos"]} == {str(photo.id), str(second.id)}
    assert data["photos"][0]["file"].startswith("photos/")
    [exported_result] = data["results"]
    assert exported_result["id"] == str(result.id)
    assert (exported_result["rating"], exported_result["favourite"]) == (1, True)
    assert exported_result["look"] == result.look.slug
    [exported_adapter] = data["adapters"]
    assert exported_adapter["id"] == str(adapter.id)
    assert exported_adapter["photos"] == [str(photo.id)]
    assert {item["kind"] for item in data["jobs"]} == {JobKind.STYLIZE, JobKind.EXPORT}


def test_build_export_is_idempotent(stored_files, user, photo, settings):
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    export.build_export(job, lambda fraction: None)
    first = stored_files(f"users/{user.pk}/exports/")
    export.build_export(job, lambda fraction: None)  # a redelivered message
    fresh = Job.objects.get(pk=job.pk)
    export.build_export(fresh, lambda fraction: None)  # a retry after a crash
    assert stored_files(f"users/{user.pk}/exports/") == first
    assert len(first) == 1


def test_build_export_replaces_a_half_written_archive(stored_files, user, photo, settings):
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    default_storage.save(export.export_name(job), ContentFile(b"partial"))
    export.build_export(job, lambda fraction: None)
    [name] = stored_files(f"users/{user.pk}/exports/")
    assert name == export.export_name(job)
    with default_storage.open(name) as stored:
        assert zipfile.is_zipfile(io.BytesIO(stored.read()))


def test_export_notes_files_that_disappeared(user, photo):
    default_storage.delete(photo.original.name)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    export.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    with default_storage.open(job.output.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert archive.namelist() == ["data.json"]
    assert json.loads(archive.read("data.json"))["photos"][0]["file"] is None


def test_export_contains_nothing_of_other_users(user, other_user, photo):
    theirs = PhotoFactory(owner=other_user)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    export.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    with default_storage.open(job.output.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert str(theirs.id) not in " ".join(archive.namelist())
    assert str(theirs.id) not in archive.read("data.json").decode()


# --- deletion ------------------------------------------------------------------------------


def test_delete_account_removes_every_row_and_file(
    stored_files,
    user,
    other_user,
    photo,
    settings,
    broker,
    django_capture_on_commit_callbacks,
):
    result = ResultFactory(photo=photo)
    PersonalAdapterFactory(
        owner=result.owner, look=result.look, metrics={"loss": 0.1}, photos=[result.photo]
    )
    default_storage.save(f"users/{user.pk}/exports/old.zip", ContentFile(b"zip"))
    theirs = PhotoFactory(owner=other_user)
    ApiToken.objects.create(user=user)
    user_id = user.pk

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user)

    assert not User.objects.filter(pk=user_id).exists()
    for model in (Photo, Result, Job, PersonalAdapter, ApiToken):
        assert not model.objects.filter(**{"user_id" if model is ApiToken else "owner_id": user_id})
    assert stored_files(f"users/{user_id}/") == []
    assert not (Path(settings.MEDIA_ROOT) / f"users/{user_id}").exists()
    assert stored_files(f"users/{other_user.pk}/") == sorted(
        [theirs.original.name, theirs.thumbnail.name]
    )
    assert broker.tasks == [("accounts.tasks.delete_user_files", (user_id,))]


def test_delete_account_cancels_active_jobs_first(user, photo, monkeypatch, broker):
    from jobs import services as job_services

    queued = Job.objects.create(owner=user, kind=JobKind.STYLIZE)
    cancelled = []
    real_cancel = job_services.cancel
    monkeypatch.setattr(
        job_services, "cancel", lambda job: cancelled.append(job.pk) or real_cancel(job)
    )
    services.delete_account(user)
    assert cancelled == [queued.pk]


def test_late_sweep_removes_files_written_after_deletion(stored_files, user, settings):
    user_id = user.pk
    user.delete()
    default_storage.save(f"users/{user_id}/results/late.jpg", ContentFile(b"late"))
    assert tasks.delete_user_files(user_id) == 1
    assert stored_files(f"users/{user_id}/") == []


def test_late_sweep_leaves_existing_users_alone(stored_files, user, photo, settings):
    assert tasks.delete_user_files(user.pk) == 0
    assert len(stored_files(f"users/{user.pk}/")) == 2


# --- retention -----------------------------------------------------------------------------


def _age(photo: Photo, days: int) -> None:
    Photo.objects.filter(pk=photo.pk).update(created=timezone.now() - timedelta(days=days))


def test_purge_deletes_only_expired_originals(user, other_user):
    profile = user.preference_profile()
    profile.keep_originals_days = 7
    profile.save()
    old, recent = PhotoFactory(owner=user), PhotoFactory(owner=user)
    _age(old, 8)
    _age(recent, 6)
    forever = PhotoFactory(owner=other_user)  # keep_originals_days = 0 keeps everything
    _age(forever, 400)
    result = ResultFactory(photo=old)

    assert tasks.purge_expired_originals() == 1

    old.refresh_from_db()
    assert not old.original and old.original_purged_at is not None
    assert default_storage.exists(old.thumbnail.name)
    assert not default_storage.exists(f"users/{user.pk}/photos/{old.id}.jpg")
    for kept in (recent, forever):
        kept.refresh_from_db()
        assert kept.original and default_storage.exists(kept.original.name)
    assert Result.objects.filter(pk=result.pk).exists()
    assert default_storage.exists(result.image.name)
    assert tasks.purge_expired_originals() == 0


def test_purge_waits_for_active_jobs(user):
    profile = user.preference_profile()
    profile.keep_originals_days = 1
    profile.save()
    photo = PhotoFactory(owner=user)
    _age(photo, 2)
    job = Job.objects.create(owner=user, kind=JobKind.STYLIZE, status=JobStatus.RUNNING)
    job.photos.add(photo)
    assert services.purge_expired_originals() == 0
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    assert services.purge_expired_originals() == 1


def _export(user, name: str, finished_days_ago: float) -> Job:
    stored = default_storage.save(f"users/{user.pk}/exports/{name}", ContentFile(b"PK\x05\x06"))
    finished = timezone.now() - timedelta(days=finished_days_ago)
    return Job.objects.create(
        owner=user,
        kind=JobKind.EXPORT,
        status=JobStatus.SUCCEEDED,
        output=stored,
        finished_at=finished,
    )


def test_purge_deletes_only_exports_past_their_retention(user, settings):
    settings.EXPORT_RETENTION = timedelta(days=7)
    old, recent = _export(user, "old.zip", 8), _export(user, "recent.zip", 6)
    old_name = old.output.name

    assert tasks.purge_expired_exports() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old.output and not default_storage.exists(old_name)
    assert recent.output and default_storage.exists(recent.output.name)
    assert tasks.purge_expired_exports() == 0


def test_the_beat_schedule_purges_expired_originals_and_exports(user, settings):
    from config.celery import app

    settings.EXPORT_RETENTION = timedelta(days=7)
    profile = user.preference_profile()
    profile.keep_originals_days = 7
    profile.save()
    photo = PhotoFactory(owner=user)
    _age(photo, 8)
    old_export = _export(user, "old.zip", 8)
    for entry in ("purge-expired-originals", "purge-expired-exports"):
        assert app.tasks[app.conf.beat_schedule[entry]["task"]].apply().get() == 1
    photo.refresh_from_db()
    old_export.refresh_from_db()
    assert not photo.original and not old_export.output
