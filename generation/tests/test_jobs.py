"""Creating, validating, cancelling and reaping jobs through the services."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import NotFound, QuotaExceeded, ServiceError
from generation import personalization, selectors, services
from generation.models import AdapterStatus, PersonalAdapter
from generation.tests.factories import PersonalAdapterFactory, PhotoFactory, ResultFactory
from jobs import services as job_services
from jobs.models import Job, JobKind, JobStatus
from jobs.tests.factories import JobFactory
from ml.edits import EDIT_RANGES
from styles.tests.factories import LookFactory


@pytest.fixture
def photos(user):
    return [PhotoFactory(owner=user) for _ in range(3)]


def ids(photos) -> list[str]:
    return [str(photo.id) for photo in photos]


def test_stylize_job_is_queued_with_the_profile_default_strength(
    user, photos, catalog_look, sent, django_capture_on_commit_callbacks
):
    profile = user.preference_profile()
    profile.default_strength = 0.7
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert job.status == JobStatus.QUEUED
    assert job.kind == JobKind.STYLIZE
    assert job.params == {
        "strength": 0.7,
        "edits": {name: 0.0 for name in EDIT_RANGES},
        "use_adapter": True,
        "adapter_intensity": None,
    }
    assert job.look_version == catalog_look.current_version
    assert set(job.photos.all()) == set(photos)
    assert sent == [str(job.id)]
    job.refresh_from_db()
    assert job.enqueued_at is not None


def test_nothing_is_sent_before_the_transaction_commits(user, photos, catalog_look, sent):
    services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert sent == []


@pytest.mark.parametrize("strength", [-0.1, 1.51, float("nan"), float("inf"), True])
def test_strength_outside_zero_to_one_and_a_half_is_refused(user, photos, catalog_look, strength):
    with pytest.raises(
        ServiceError, match=re.escape("Strength must be a number from 0 to 1.5")
    ) as error:
        services.create_stylize_job(
            user, photo_ids=ids(photos), look_slug=catalog_look.slug, strength=strength
        )
    assert error.value.status == 400
    assert not Job.objects.exists()


@pytest.mark.parametrize("strength", [0, 1.5])
def test_strength_bounds_are_allowed(user, photos, catalog_look, strength, sent):
    job = services.create_stylize_job(
        user, photo_ids=ids(photos), look_slug=catalog_look.slug, strength=strength
    )
    assert job.params["strength"] == strength


def test_unknown_look_is_not_found(user, photos):
    with pytest.raises(NotFound, match=re.escape("No such look.")):
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug="nope")


@pytest.mark.parametrize(
    "look",
    [
        lambda: LookFactory(ready=True, is_published=False),
        lambda: LookFactory(),
        lambda: LookFactory(ready=True, influencer__is_published=False),
    ],
    ids=["unpublished", "draft", "influencer unpublished"],
)
def test_a_look_outside_the_catalog_is_not_found(user, photos, look):
    hidden = look()
    with pytest.raises(NotFound):
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=hidden.slug)
    with pytest.raises(NotFound):
        personalization.create_adapter_job(user, look_slug=hidden.slug)


def test_another_users_photos_are_unknown_and_named(user, other_user, catalog_look):
    mine = PhotoFactory(owner=user)
    theirs = PhotoFactory(owner=other_user)
    not_a_uuid = "12"
    with pytest.raises(ServiceError) as error:
        services.create_stylize_job(
            user, photo_ids=[str(mine.id), str(theirs.id), not_a_uuid], look_slug=catalog_look.slug
        )
    assert error.value.status == 400
    assert error.value.message == f"Unknown photos: {theirs.id}, {not_a_uuid}."
    assert "another" not in error.value.message and "owner" not in error.value.message


def test_empty_photo_list_is_refused(user, catalog_look):
    with pytest.raises(ServiceError, match=re.escape("Choose at least one photo.")) as error:
        services.create_stylize_job(user, photo_ids=[], look_slug=catalog_look.slug)
    assert error.value.fields == {"photos": ["Choose at least one photo."]}


def test_more_photos_than_the_per_job_limit_is_a_429(user, catalog_look):
    user.quota_photos_per_job = 2
    user.save()
    photos = [PhotoFactory(owner=user) for _ in range(3)]
    with pytest.raises(QuotaExceeded, match=re.escape("at most 2 photos; you chose 3")) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert error.value.status == 429
    assert not Job.objects.exists()


def test_repeated_photo_ids_count_once(user, photos, catalog_look, sent):
    job = services.create_stylize_job(
        user, photo_ids=ids(photos) + ids(photos), look_slug=catalog_look.slug
    )
    assert job.photos.count() == 3


def test_photos_whose_originals_were_purged_are_refused(user, photos, catalog_look):
    photos[1].original_purged_at = timezone.now()
    photos[1].original = ""
    photos[1].save()
    with pytest.raises(
        ServiceError, match=re.escape("originals of these photos were deleted")
    ) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert str(photos[1].id) in error.value.message


def test_too_many_active_jobs_is_a_429(user, photos, catalog_look, sent):
    user.quota_concurrent_jobs = 2
    user.save()
    JobFactory(owner=user, status=JobStatus.QUEUED)
    JobFactory(owner=user, status=JobStatus.RUNNING)
    JobFactory(owner=user, status=JobStatus.SUCCEEDED)
    with pytest.raises(
        QuotaExceeded, match=re.escape("already have 2 jobs queued or running")
    ) as error:
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert error.value.status == 429
    assert Job.objects.filter(owner=user).count() == 3


def test_daily_compute_used_up_is_a_429(user, photos, catalog_look, sent):
    user.quota_daily_compute_seconds = 100
    user.save()
    JobFactory(owner=user, status=JobStatus.SUCCEEDED, compute_seconds=60)
    JobFactory(owner=user, status=JobStatus.FAILED, compute_seconds=40)
    with pytest.raises(QuotaExceeded, match=r"used today's compute allowance \(100 of 100"):
        services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)


def test_yesterdays_compute_does_not_count(user, photos, catalog_look, sent):
    user.quota_daily_compute_seconds = 100
    user.save()
    yesterday = timezone.now() - timedelta(days=1, minutes=1)
    JobFactory(owner=user, status=JobStatus.SUCCEEDED, compute_seconds=500, finished_at=yesterday)
    job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert job.status == JobStatus.QUEUED


def test_stylize_job_uses_the_latest_ready_adapter_of_the_current_version(
    user, photos, catalog_look, sent
):
    PersonalAdapterFactory(owner=user, look=catalog_look)
    newest = PersonalAdapterFactory(owner=user, look=catalog_look)
    PersonalAdapterFactory(owner=user, look=catalog_look, status=AdapterStatus.TRAINING)
    job = services.create_stylize_job(user, photo_ids=ids(photos), look_slug=catalog_look.slug)
    assert job.adapter == newest


def test_adapter_of_an_old_look_version_is_still_used(user, photos, catalog_look, sent):
    """A taste lives in edit space, so it applies to any version of the look."""
    from styles.models import LookVersion

    adapter = PersonalAdapterFactory(owner=user, look=catalog_look)
    old = catalog_look.current_version
    catalog_look.current_version = LookVersion.objects.create(
        look=catalog_look, number=2, method=old.method, file=old.file.name, fingerprint="v2"
    )
    catalog_look.save()
    assert selectors.adapter_for(user, catalog_look) == adapter


@pytest.mark.parametrize("personalization, use_adapter", [(False, True), (True, False)])
def test_adapter_is_skipped_when_turned_off(
    user, photos, catalog_look, sent, personalization, use_adapter
):
    PersonalAdapterFactory(owner=user, look=catalog_look)
    profile = user.preference_profile()
    profile.personalization_enabled = personalization
    profile.save()
    job = services.create_stylize_job(
        user, photo_ids=ids(photos), look_slug=catalog_look.slug, use_adapter=use_adapter
    )
    assert job.adapter is None


def test_adapter_job_creates_the_next_training_version(user, photos, catalog_look, sent):
    ResultFactory(owner=user, look=catalog_look, rating=1)
    PersonalAdapterFactory(owner=user, look=catalog_look, version=4, intensity=0.4)
    job = personalization.create_adapter_job(user, look_slug=catalog_look.slug)
    adapter = PersonalAdapter.objects.get(job=job)
    assert job.kind == JobKind.TRAIN_ADAPTER
    assert job.adapter == adapter
    assert job.params == {"evidence": {"edits": 0, "ratings": 1, "pairs": 0}}
    assert (adapter.status, adapter.version, adapter.intensity) == (AdapterStatus.TRAINING, 5, 0.4)


def test_adapter_job_needs_something_to_learn_from(user, photos, catalog_look):
    ResultFactory(owner=user, look=catalog_look)  # neither rated nor edited
    with pytest.raises(ServiceError, match="Nothing to learn from yet") as error:
        personalization.create_adapter_job(user, look_slug=catalog_look.slug)
    assert error.value.fields.keys() == {"look"}
    assert not PersonalAdapter.objects.exists()


def test_cancelling_adapter_training_marks_the_adapter_failed(user, photos, catalog_look, sent):
    ResultFactory(owner=user, look=catalog_look, favourite=True)
    job = personalization.create_adapter_job(user, look_slug=catalog_look.slug)
    job_services.cancel(job)
    assert PersonalAdapter.objects.get(job=job).status == AdapterStatus.FAILED


def test_reaper_fails_a_stale_adapter_training_and_its_adapter(user, catalog_look, settings):
    settings.JOB_MAX_ATTEMPTS = 1
    adapter = PersonalAdapterFactory(owner=user, look=catalog_look, status="training")
    job = JobFactory(
        owner=user,
        kind=JobKind.TRAIN_ADAPTER,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )
    adapter.job = job
    adapter.save()
    job_services.reap_stale_jobs()
    adapter.refresh_from_db()
    assert adapter.status == "failed"
