"""The runner's contract with handlers, and the reaper, with stand-in handlers (no ml)."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from config.errors import ServiceError
from generation import runners, services, tasks
from generation.models import JobKind, JobStatus

calls: list[str] = []


def succeeding_handler(job, progress):
    calls.append(str(job.id))
    progress(0.5)


def failing_handler(job, progress):
    raise ServiceError("That look file is damaged.")


def buggy_handler(job, progress):
    raise KeyError("internal detail")


def storage_down_handler(job, progress):
    raise runners.StorageUnavailable("users/1/photos/x.jpg")


def slow_handler(job, progress):
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded()


def cancelling_handler(job, progress):
    services.cancel(job)
    progress(0.9)
    raise AssertionError("progress() must stop a cancelled job")


@pytest.fixture
def handler(monkeypatch):
    """`handler(function)`: make stylize jobs run `function`."""
    calls.clear()

    def use(function) -> None:
        path = f"{__name__}.{function.__name__}"
        monkeypatch.setitem(runners.HANDLERS, JobKind.STYLIZE, path)

    return use


def test_successful_run_records_progress_and_compute(user, make_job, handler):
    handler(succeeding_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.compute_seconds > 0
    assert job.finished_at is not None


def test_a_redelivered_message_does_nothing(user, make_job, handler):
    handler(succeeding_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    compute = job.compute_seconds
    runners.run(job.id)
    job.refresh_from_db()
    assert calls == [str(job.id)]
    assert (job.status, job.attempts, job.compute_seconds) == (JobStatus.SUCCEEDED, 1, compute)


def test_service_error_fails_the_job_with_its_message(user, make_job, handler):
    handler(failing_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "That look file is damaged."


def test_ml_error_fails_the_job_with_its_message(user, make_job, handler, monkeypatch):
    from ml.errors import MLError

    def ml_failing_handler(job, progress):
        raise MLError("This is not a look file.")

    monkeypatch.setattr(f"{__name__}.ml_failing_handler", ml_failing_handler, raising=False)
    handler(ml_failing_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "This is not a look file.")


def test_unexpected_error_fails_with_a_generic_message_and_logs(user, make_job, handler, caplog):
    handler(buggy_handler)
    job = make_job(user)
    with caplog.at_level(logging.ERROR, logger="generation.runners"):
        runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Something went wrong")
    assert "internal detail" not in job.error
    assert "KeyError" in caplog.text


def test_time_limit_fails_with_a_readable_message(user, make_job, handler):
    handler(slow_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("This job took too long and was stopped.")


def test_cancelled_job_stops_quietly_and_stays_cancelled(user, make_job, handler):
    handler(cancelling_handler)
    job = make_job(user)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.error == ""
    assert job.compute_seconds > 0


def test_transient_error_requeues_and_asks_celery_to_retry(user, make_job, handler, sent):
    handler(storage_down_handler)
    job = make_job(user)
    with pytest.raises(runners.RetryLater):
        runners.run(job.id)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.heartbeat_at) == (JobStatus.QUEUED, 1, None)
    assert sent == []  # the Celery retry carries the message, not a second send


def test_transient_error_on_the_last_attempt_fails(user, make_job, handler, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    handler(storage_down_handler)
    job = make_job(user, attempts=1)
    runners.run(job.id)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Storage was unavailable; this job was tried 2 times.")


def test_task_retries_only_the_retry_exception():
    assert tasks.run_gpu_job.autoretry_for == (runners.RetryLater,)
    assert tasks.run_gpu_job.max_retries == 4


def stale(minutes: int = 10):
    return timezone.now() - timedelta(minutes=minutes)


def test_reaper_requeues_a_stale_running_job_then_fails_it(
    user, make_job, sent, settings, django_capture_on_commit_callbacks
):
    settings.JOB_MAX_ATTEMPTS = 2
    settings.JOB_STALE_AFTER = timedelta(minutes=3)
    job = make_job(user, status=JobStatus.RUNNING, heartbeat_at=stale())
    fresh = make_job(user, status=JobStatus.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reap_stale_jobs() == {"requeued": 1, "failed": 0, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert sent == [str(job.id)]

    claimed = services.claim(job.id)
    assert claimed.attempts == 2
    job.__class__.objects.filter(id=job.id).update(heartbeat_at=stale())
    assert services.reap_stale_jobs() == {"requeued": 0, "failed": 1, "resent": 0}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "This job stopped responding 2 times and was given up. Please try again."
    fresh.refresh_from_db()
    assert fresh.status == JobStatus.RUNNING


def test_reaper_fails_a_stale_adapter_training_and_its_adapter(
    user, make_job, make_adapter, job_look, settings
):
    settings.JOB_MAX_ATTEMPTS = 1
    adapter = make_adapter(user, job_look, status="training")
    job = make_job(user, kind=JobKind.TRAIN_ADAPTER, status=JobStatus.RUNNING, heartbeat_at=stale())
    adapter.job = job
    adapter.save()
    services.reap_stale_jobs()
    adapter.refresh_from_db()
    assert adapter.status == "failed"


def test_reaper_resends_queued_jobs_whose_message_was_lost(
    user, make_job, sent, django_capture_on_commit_callbacks
):
    lost = make_job(user, enqueued_at=stale())
    never_sent = make_job(user)
    never_sent.__class__.objects.filter(id=never_sent.id).update(created=stale())
    recent = make_job(user, enqueued_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reap_stale_jobs()["resent"] == 2
    assert sorted(sent) == sorted([str(lost.id), str(never_sent.id)])
    assert str(recent.id) not in sent
    lost.refresh_from_db()
    assert lost.enqueued_at > stale(1)


def test_reap_task_is_registered_under_its_beat_name():
    from config.celery import app

    assert app.conf.beat_schedule["reap-stale-jobs"]["task"] == tasks.reap_stale_jobs.name
    assert tasks.reap_stale_jobs.name == "generation.tasks.reap_stale_jobs"
