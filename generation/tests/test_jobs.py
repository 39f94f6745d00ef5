"""Creating, validating, cancelling and reaping jobs through the services."""

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import profile_for
from config.errors import Conflict, NotFound, QuotaExceeded, ServiceError
from generation import services
from generation.models import AdapterStatus, Job, JobKind, JobStatus, PersonalAdapter


@pytest.fixture
def photos(user, make_stored_photo):
    return [make_stored_photo(user) for _ in range(3)]


def ids(photos) -> list[str]:
    return [str(photo.id) for photo in photos]


def test_stylize_job_is_queued_with_the_profile_default_strength(
    user, photos, job_look, sent, django_capture_on_commit_callbacks
):
    profile = profile_for(user)
    profile.default_strength = 0.7
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert job.status == JobStatus.QUEUED
    assert job.kind == JobKind.STYLIZE
    assert job.params == {"strength": 0.7, "use_adapter": True}
    assert job.look_version == job_look.current_version
    assert set(job.photos.all()) == set(photos)
    assert sent == [str(job.id)]
    job.refresh_from_db()
    assert job.enqueued_at is not None


def test_nothing_is_sent_before_the_transaction_commits(user, photos, job_look, sent):
    services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert sent == []


@pytest.mark.parametrize("strength", [-0.1, 1.51, float("nan"), float("inf"), True])
def test_strength_outside_zero_to_one_and_a_half_is_refused(user, photos, job_look, strength):
    with pytest.raises(
        ServiceError, match=re.escape("Strength must be a number from 0 to 1.5")
    ) as error:
        services.create_stylize_job(
            user, photo_ids=ids(photos), look_slug=job_look.slug, strength=strength
        )
    assert error.value.status == 400
    assert not Job.objects.exists()


@pytest.mark.parametrize("strength", [0, 1.5])
def test_strength_bounds_are_allowed(user, photos, job_look, strength, sent):
    job = services.create_stylize_job(
        user, photo_ids=ids(photos), look_slug=job_look.slug, strength=strength
    )
    assert job.params["strength"] == strength


def test_unknown_look_is_not_found(user, photos):
    with pytest.raises(NotFound, match=re.escape("No such look.")):
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug="nope")


@pytest.mark.parametrize("options", [{"published": False}, {"published": False, "status": "draft"}])
def test_unpublished_or_draft_look_is_not_found(user, photos, make_look, options):
    hidden = make_look(**options)
    with pytest.raises(NotFound, match=re.escape("No such look.")) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=hidden.slug)
    assert error.value.status == 404


def test_another_users_photos_are_unknown_and_named(user, other_user, make_stored_photo, job_look):
    mine = make_stored_photo(user)
    theirs = make_stored_photo(other_user)
    not_a_uuid = "12"
    with pytest.raises(ServiceError) as error:
        services.create_stylize_job(
            user, photo_ids=[str(mine.id), str(theirs.id), not_a_uuid], look_slug=job_look.slug
        )
    assert error.value.status == 400
    assert error.value.message == f"Unknown photos: {theirs.id}, {not_a_uuid}."
    assert "another" not in error.value.message and "owner" not in error.value.message


def test_empty_photo_list_is_refused(user, job_look):
    with pytest.raises(ServiceError, match=re.escape("Choose at least one photo.")) as error:
        services.create_stylize_job(user, photo_ids=[], look_slug=job_look.slug)
    assert error.value.fields == {"photos": ["Choose at least one photo."]}


def test_more_photos_than_the_per_job_limit_is_a_429(user, make_stored_photo, job_look):
    user.quota_photos_per_job = 2
    user.save()
    photos = [make_stored_photo(user) for _ in range(3)]
    with pytest.raises(QuotaExceeded, match=re.escape("at most 2 photos; you chose 3")) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert error.value.status == 429
    assert not Job.objects.exists()


def test_repeated_photo_ids_count_once(user, photos, job_look, sent):
    job = services.create_stylize_job(
        user, photo_ids=ids(photos) + ids(photos), look_slug=job_look.slug
    )
    assert job.photos.count() == 3


def test_photos_whose_originals_were_purged_are_refused(user, photos, job_look):
    photos[1].original_purged_at = timezone.now()
    photos[1].original = ""
    photos[1].save()
    with pytest.raises(
        ServiceError, match=re.escape("originals of these photos were deleted")
    ) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert str(photos[1].id) in error.value.message


def test_too_many_active_jobs_is_a_429(user, photos, job_look, make_job, sent):
    user.quota_concurrent_jobs = 2
    user.save()
    make_job(user, status=JobStatus.QUEUED)
    make_job(user, status=JobStatus.RUNNING)
    make_job(user, status=JobStatus.SUCCEEDED)
    with pytest.raises(
        QuotaExceeded, match=re.escape("already have 2 jobs queued or running")
    ) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert error.value.status == 429
    assert Job.objects.filter(owner=user).count() == 3


def test_daily_compute_used_up_is_a_429(user, photos, job_look, make_job, sent):
    user.quota_daily_compute_seconds = 100
    user.save()
    make_job(user, status=JobStatus.SUCCEEDED, compute_seconds=60)
    make_job(user, status=JobStatus.FAILED, compute_seconds=40)
    with pytest.raises(QuotaExceeded, match=r"used today's compute allowance \(100 of 100"):
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)


def test_yesterdays_compute_does_not_count(user, photos, job_look, make_job, sent):
    user.quota_daily_compute_seconds = 100
    user.save()
    yesterday = timezone.now() - timedelta(days=1, minutes=1)
    make_job(user, status=JobStatus.SUCCEEDED, compute_seconds=500, finished_at=yesterday)
    job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert job.status == JobStatus.QUEUED


def test_stylize_job_uses_the_latest_ready_adapter_of_the_current_version(
    user, photos, job_look, make_adapter, sent
):
    make_adapter(user, job_look)
    newest = make_adapter(user, job_look)
    make_adapter(user, job_look, status=AdapterStatus.TRAINING)
    job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=job_look.slug)
    assert job.adapter == newest


def test_adapter_of_an_old_look_version_is_not_used(user, photos, job_look, make_adapter, sent):
    from styles.models import LookVersion

    make_adapter(user, job_look)
    old = job_look.current_version
    job_look.current_version = LookVersion.objects.create(
        look=job_look, number=2, method=old.method, file=old.file.name, fingerprint="v2"
    )
    job_look.save()
    assert services.adapter_for(user, job_look) is None


@pytest.mark.parametrize("personalization, use_adapter", [(False, True), (True, False)])
def test_adapter_is_skipped_when_turned_off(
    user, photos, job_look, make_adapter, sent, personalization, use_adapter
):
    make_adapter(user, job_look)
    profile = profile_for(user)
    profile.personalization_enabled = personalization
    profile.save()
    job = services.create_stylize_job(
        user, photo_ids=ids(photos), look_slug=job_look.slug, use_adapter=use_adapter
    )
    assert job.adapter is None


def test_adapter_job_creates_a_training_adapter(user, photos, job_look, sent):
    job = services.create_adapter_job(user, look_slug=job_look.slug, photo_ids=ids(photos))
    adapter = PersonalAdapter.objects.get(job=job)
    assert job.kind == JobKind.TRAIN_ADAPTER
    assert job.adapter == adapter
    assert adapter.status == AdapterStatus.TRAINING
    assert set(adapter.photos.all()) == set(photos)


def test_adapter_job_needs_three_photos(user, photos, job_look):
    with pytest.raises(ServiceError, match=re.escape("at least 3 photos")):
        services.create_adapter_job(user, look_slug=job_look.slug, photo_ids=ids(photos[:2]))
    assert not PersonalAdapter.objects.exists()


def test_cancel_a_queued_job(user, make_job):
    job = services.cancel(make_job(user))
    assert job.status == JobStatus.CANCELLED
    assert job.finished_at is not None


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED])
def test_cancelling_a_finished_job_is_a_conflict(user, make_job, status):
    job = make_job(user, status=status)
    with pytest.raises(Conflict, match=re.escape("This job is already")) as error:
        services.cancel(job)
    assert error.value.status == 409
    job.refresh_from_db()
    assert job.status == status


def test_cancelling_adapter_training_marks_the_adapter_failed(user, photos, job_look, sent):
    job = services.create_adapter_job(user, look_slug=job_look.slug, photo_ids=ids(photos))
    services.cancel(job)
    assert PersonalAdapter.objects.get(job=job).status == AdapterStatus.FAILED


def test_claim_is_exclusive(user, make_job):
    job = make_job(user)
    claimed = services.claim(job.id)
    assert claimed.status == JobStatus.RUNNING
    assert claimed.attempts == 1
    assert services.claim(job.id) is None
    assert services.claim(uuid.uuid4()) is None


def test_compute_is_counted_only_by_the_finishing_transition(user, make_job):
    claimed = services.claim(make_job(user).id)
    assert services.succeed(claimed, compute_seconds=5.0) is True
    assert services.succeed(claimed, compute_seconds=5.0) is False
    assert services.fail(claimed, "late", compute_seconds=5.0) is False
    claimed.refresh_from_db()
    assert claimed.status == JobStatus.SUCCEEDED
    assert claimed.compute_seconds == 5.0


def test_a_reaped_worker_cannot_finish_the_next_attempt(user, make_job):
    first = services.claim(make_job(user).id)
    assert services.requeue(first, resend=False)
    second = services.claim(first.id)
    assert services.report_progress(first, 0.5) is False
    assert services.succeed(first, compute_seconds=1.0) is False
    assert services.succeed(second, compute_seconds=2.0) is True
    second.refresh_from_db()
    assert (second.attempts, second.compute_seconds) == (2, 2.0)
