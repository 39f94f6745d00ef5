"""The job state machine: cancel, claim, and writes fenced by the attempt."""

import re
import uuid

import pytest

from core.errors import Conflict
from jobs import services as job_services
from jobs.models import JobStatus
from jobs.tests.factories import JobFactory


def test_cancel_a_queued_job(user):
    job = job_services.cancel(JobFactory(owner=user))
    assert job.status == JobStatus.CANCELLED
    assert job.finished_at is not None


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED])
def test_cancelling_a_finished_job_is_a_conflict(user, status):
    job = JobFactory(owner=user, status=status)
    with pytest.raises(Conflict, match=re.escape("This job is already")) as error:
        job_services.cancel(job)
    assert error.value.status == 409
    job.refresh_from_db()
    assert job.status == status


def test_claim_is_exclusive(user):
    job = JobFactory(owner=user)
    claimed = job_services.claim(job.id)
    assert claimed.status == JobStatus.RUNNING
    assert claimed.attempts == 1
    assert job_services.claim(job.id) is None
    assert job_services.claim(uuid.uuid4()) is None


def test_compute_is_counted_only_by_the_finishing_transition(user):
    claimed = job_services.claim(JobFactory(owner=user).id)
    assert job_services.succeed(claimed, compute_seconds=5.0) is True
    assert job_services.succeed(claimed, compute_seconds=5.0) is False
    assert job_services.fail(claimed, "late", compute_seconds=5.0) is False
    claimed.refresh_from_db()
    assert claimed.status == JobStatus.SUCCEEDED
    assert claimed.compute_seconds == 5.0


def test_a_reaped_worker_cannot_finish_the_next_attempt(user):
    first = job_services.claim(JobFactory(owner=user).id)
    assert job_services.requeue(first, resend=False)
    second = job_services.claim(first.id)
    assert job_services.report_progress(first, 0.5) is False
    assert job_services.succeed(first, compute_seconds=1.0) is False
    assert job_services.succeed(second, compute_seconds=2.0) is True
    second.refresh_from_db()
    assert (second.attempts, second.compute_seconds) == (2, 2.0)
