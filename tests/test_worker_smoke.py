import time

import pytest

from jobs import services as job_services
from jobs.models import Job, JobStatus


@pytest.mark.worker
def test_a_real_worker_runs_a_queued_job(worker_factory, user):
    worker_factory()
    from django.db import transaction

    with transaction.atomic():
        job = Job.objects.create(owner=user, kind="export")
        job_services.enqueue(job)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status != JobStatus.QUEUED:
            break
        time.sleep(0.3)
    assert job.status != JobStatus.QUEUED
