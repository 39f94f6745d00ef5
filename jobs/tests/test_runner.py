"""The runner's contract with handlers, and the reaper, with stand-in handlers (no ml)."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import ServiceError, StorageUnavailable
from jobs import registry, runner, tasks
from jobs import services as job_services
from jobs.errors import RetryLater
from jobs.models import JobKind, JobStatus
from jobs.tests.factories import JobFactory

calls: list[str] = []


def succeeding_handler(job, progress):
    calls.append(str(job.id))
    progress(0.5)


def failing_handler(job, progress):
    raise ServiceError("That look file is damaged.")


def buggy_handler(job, progress):
    raise KeyError("internal detail")


def storage_down_handler(job, progress):
    raise StorageUnavailable("users/1/photos/x.jpg")


def slow_handler(job, progress):
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded()


def cancelling_handler(job, progress):
    job_services.cancel(job)
    progress(0.9)
    raise AssertionError("progress() must stop a cancelled job")


@pytest.fixture
def handler(monkeypatch):
    """`handler(function)`: make stylize jobs run `function`."""
    calls.clear()

    def use(function) -> None:
        monkeypatch.setitem(registry._handlers, JobKind.STYLIZE, registry.Handler(function))

    return use


def test_successful_run_records_progress_and_compute(user, handler):
    handler(succeeding_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.compute_seconds > 0
    assert job.finished_at is not None


def test_a_redelivered_message_does_nothing(user, handler):
    handler(succeeding_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    compute = job.compute_seconds
    runner.run(job.id)
    job.refresh_from_db()
    assert calls == [str(job.id)]
    assert (job.status, job.attempts, job.compute_seconds) == (JobStatus.SUCCEEDED, 1, compute)


def test_service_error_fails_the_job_with_its_message(user, handler):
    handler(failing_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "That look file is damaged."


def test_ml_error_fails_the_job_with_its_message(user, handler, monkeypatch):
    from ml.errors import MLError

    def ml_failing_handler(job, progress):
        raise MLError("This is not a look file.")

    monkeypatch.setattr(f"{__name__}.ml_failing_handler", ml_failing_handler, raising=False)
    handler(ml_failing_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "This is not a look file.")


def test_unexpected_error_fails_with_a_generic_message_and_logs(user, handler, caplog):
    handler(buggy_handler)
    job = JobFactory(owner=user)
    with caplog.at_level(logging.ERROR, logger="generation.runners"):
        runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Something went wrong")
    assert "internal detail" not in job.error
    assert "KeyError" in caplog.text


def test_time_limit_fails_with_a_readable_message(user, handler):
    handler(slow_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("This job took too long and was stopped.")


def test_cancelled_job_stops_quietly_and_stays_cancelled(user, handler):
    handler(cancelling_handler)
    job = JobFactory(owner=user)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.error == ""
    assert job.compute_seconds > 0


def test_transient_error_requeues_and_asks_celery_to_retry(user, handler, sent):
    handler(storage_down_handler)
    job = JobFactory(owner=user)
    with pytest.raises(RetryLater):
        runner.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.heartbeat_at) == (JobStatus.QUEUED, 1, None)
    assert sent == []  # the Celery retry carries the message, not a second send


def test_transient_error_on_the_last_attempt_fails(user, handler, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    handler(storage_down_handler)
    job = JobFactory(owner=user, attempts=1)
    runner.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Storage was unavailable; this job was tried 2 times.")


def test_the_task_retries_a_storage_outage_until_the_jobs_last_attempt(user, handler, settings):
    handler(storage_down_handler)
    settings.JOB_MAX_ATTEMPTS = 3
    job = JobFactory(owner=user)
    tasks.run_gpu_job.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert job.error.startswith("Storage was unavailable; this job was tried 3 times.")


def stale(minutes: int = 10):
    return timezone.now() - timedelta(minutes=minutes)


def test_reaper_requeues_a_stale_running_job_then_fails_it(
    user, sent, settings, django_capture_on_commit_callbacks
):
    settings.JOB_MAX_ATTEMPTS = 2
    settings.JOB_STALE_AFTER = timedelta(minutes=3)
    job = JobFactory(owner=user, status=JobStatus.RUNNING, heartbeat_at=stale())
    fresh = JobFactory(owner=user, status=JobStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert job_services.reap_stale_jobs() == {"requeued": 1, "failed": 0, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert sent == [str(job.id)]

    claimed = job_services.claim(job.id)
    assert claimed.attempts == 2
    job.__class__.objects.filter(id=job.id).update(heartbeat_at=stale())
    assert job_services.reap_stale_jobs() == {"requeued": 0, "failed": 1, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "This job stopped responding 2 times and was given up. Please try again."
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.RUNNING


def test_reaper_resends_queued_jobs_whose_message_was_lost(
    user, sent, django_capture_on_commit_callbacks
):
    lost = JobFactory(owner=user, enqueued_at=stale())
    never_sent = JobFactory(owner=user)
    never_sent.__class__.objects.filter(id=never_sent.id).update(created=stale())
    recent = JobFactory(owner=user, enqueued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert job_services.reap_stale_jobs()["resent"] == 2
    assert sorted(sent) == sorted([str(lost.id), str(never_sent.id)])
    assert str(recent.id) not in sent
    lost.refresh_from_db()
    assert lost.enqueued_at > stale(1)


def test_the_beat_schedules_reaper_requeues_stale_jobs(user, sent, settings):
    from config.celery import app

    settings.JOB_STALE_AFTER = timedelta(minutes=3)
    job = JobFactory(owner=user, status=JobStatus.RUNNING, heartbeat_at=stale())
    reaper = app.tasks[app.conf.beat_schedule["reap-stale-jobs"]["task"]]
    assert reaper.apply().get() == {"requeued": 1, "failed": 0, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
