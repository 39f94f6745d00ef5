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
from rest_framework.authtoken.models import Token

from accounts import data_rights, tasks
from accounts.models import User
from accounts.services import profile_for
from generation.models import Job, JobKind, JobStatus, PersonalAdapter, Photo, Result


def stored_files(settings, prefix: str = "") -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    names = (str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    return sorted(name for name in names if name.startswith(prefix))


@pytest.fixture
def no_late_sweep(monkeypatch):
    """Record the delayed storage sweep instead of sending it to the broker."""
    sent = []
    monkeypatch.setattr(
        tasks.delete_user_files, "apply_async", lambda args, **options: sent.append(args)
    )
    return sent


def make_adapter(result: Result) -> PersonalAdapter:
    owner_id = result.owner_id
    name = default_storage.save(
        f"users/{owner_id}/adapters/adapter.safetensors", ContentFile(b"weights")
    )
    adapter = PersonalAdapter.objects.create(
        owner_id=owner_id,
        look=result.look,
        look_version=result.look_version,
        status="ready",
        file=name,
        metrics={"loss": 0.1},
    )
    adapter.photos.add(result.photo)
    return adapter


# --- export --------------------------------------------------------------------------------


def test_request_export_queues_one_default_job(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = data_rights.request_export(user)
    assert (job.kind, job.status, job.owner_id) == (JobKind.EXPORT, JobStatus.QUEUED, user.pk)
    assert len(callbacks) == 1  # sent to the queue once the transaction commits
    assert data_rights.request_export(user).pk == job.pk  # no second export while one is active


def test_build_export_writes_a_zip_with_files_and_data(user, photo, make_photo, make_result):
    second = make_photo(user)
    result = make_result(photo, rating=1, favourite=True)
    adapter = make_adapter(result)
    profile = profile_for(user)
    profile.keep_originals_days = 30
    profile.save()
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    reports = []

    data_rights.build_export(job, reports.append)

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


def test_build_export_is_idempotent(user, photo, settings):
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    data_rights.build_export(job, lambda fraction: None)
    first = stored_files(settings, f"users/{user.pk}/exports/")
    data_rights.build_export(job, lambda fraction: None)  # a redelivered message
    fresh = Job.objects.get(pk=job.pk)
    data_rights.build_export(fresh, lambda fraction: None)  # a retry after a crash
    assert stored_files(settings, f"users/{user.pk}/exports/") == first
    assert len(first) == 1


def test_build_export_replaces_a_half_written_archive(user, photo, settings):
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    default_storage.save(data_rights.export_name(job), ContentFile(b"partial"))
    data_rights.build_export(job, lambda fraction: None)
    [name] = stored_files(settings, f"users/{user.pk}/exports/")
    assert name == data_rights.export_name(job)
    with default_storage.open(name) as stored:
        assert zipfile.is_zipfile(io.BytesIO(stored.read()))


def test_export_notes_files_that_disappeared(user, photo):
    default_storage.delete(photo.original.name)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    data_rights.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    with default_storage.open(job.output.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert archive.namelist() == ["data.json"]
    assert json.loads(archive.read("data.json"))["photos"][0]["file"] is None


def test_export_contains_nothing_of_other_users(user, other_user, photo, make_photo):
    theirs = make_photo(other_user)
    job = Job.objects.create(owner=user, kind=JobKind.EXPORT, status=JobStatus.RUNNING)
    data_rights.build_export(job, lambda fraction: None)
    job.refresh_from_db()
    with default_storage.open(job.output.name) as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert str(theirs.id) not in " ".join(archive.namelist())
    assert str(theirs.id) not in archive.read("data.json").decode()


# --- deletion ------------------------------------------------------------------------------


def test_delete_account_removes_every_row_and_file(
    user,
    other_user,
    photo,
    make_photo,
    make_result,
    settings,
    no_late_sweep,
    django_capture_on_commit_callbacks,
):
    result = make_result(photo)
    make_adapter(result)
    default_storage.save(f"users/{user.pk}/exports/old.zip", ContentFile(b"zip"))
    theirs = make_photo(other_user)
    Token.objects.create(user=user)
    user_id = user.pk

    with django_capture_on_commit_callbacks(execute=True):
        data_rights.delete_account(user)

    assert not User.objects.filter(pk=user_id).exists()
    for model in (Photo, Result, Job, PersonalAdapter, Token):
        assert not model.objects.filter(**{"user_id" if model is Token else "owner_id": user_id})
    assert stored_files(settings, f"users/{user_id}/") == []
    assert not (Path(settings.MEDIA_ROOT) / f"users/{user_id}").exists()
    assert stored_files(settings, f"users/{other_user.pk}/") == sorted(
        [theirs.original.name, theirs.thumbnail.name]
    )
    assert no_late_sweep == [(user_id,)]


def test_delete_account_cancels_active_jobs_first(user, photo, monkeypatch, no_late_sweep):
    from generation import services

    queued = Job.objects.create(owner=user, kind=JobKind.STYLIZE)
    cancelled = []
    real_cancel = services.cancel
    monkeypatch.setattr(
        services, "cancel", lambda job: cancelled.append(job.pk) or real_cancel(job)
    )
    data_rights.delete_account(user)
    assert cancelled == [queued.pk]


def test_late_sweep_removes_files_written_after_deletion(user, settings):
    user_id = user.pk
    user.delete()
    default_storage.save(f"users/{user_id}/results/late.jpg", ContentFile(b"late"))
    assert tasks.delete_user_files(user_id) == 1
    assert stored_files(settings, f"users/{user_id}/") == []


def test_late_sweep_leaves_existing_users_alone(user, photo, settings):
    assert tasks.delete_user_files(user.pk) == 0
    assert len(stored_files(settings, f"users/{user.pk}/")) == 2


# --- retention -----------------------------------------------------------------------------


def _age(photo: Photo, days: int) -> None:
    Photo.objects.filter(pk=photo.pk).update(created=timezone.now() - timedelta(days=days))


def test_purge_deletes_only_expired_originals(user, other_user, make_photo, make_result):
    profile = profile_for(user)
    profile.keep_originals_days = 7
    profile.save()
    old, recent = make_photo(user), make_photo(user)
    _age(old, 8)
    _age(recent, 6)
    forever = make_photo(other_user)  # keep_originals_days = 0 keeps everything
    _age(forever, 400)
    result = make_result(old)

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


def test_purge_waits_for_active_jobs(user, make_photo):
    profile = profile_for(user)
    profile.keep_originals_days = 1
    profile.save()
    photo = make_photo(user)
    _age(photo, 2)
    job = Job.objects.create(owner=user, kind=JobKind.STYLIZE, status=JobStatus.RUNNING)
    job.photos.add(photo)
    assert data_rights.purge_expired_originals() == 0
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    assert data_rights.purge_expired_originals() == 1


def test_purge_task_is_registered_under_its_beat_name():
    from config.celery import app

    assert tasks.purge_expired_originals.name == "accounts.tasks.purge_expired_originals"
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "accounts.tasks.purge_expired_originals" in scheduled


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


def test_export_purge_task_is_scheduled():
    from config.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert tasks.purge_expired_exports.name in scheduled
