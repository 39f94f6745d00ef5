"""A look build requested in the admin's way runs on a real worker process, on S3."""

import time

import pytest

from generation.models import Job, JobStatus
from styles import services
from styles.models import LookStatus

pytestmark = pytest.mark.worker


def wait_until_finished(job_id, timeout: float = 180) -> Job:
    """Poll the job row (the truth) with a bounded deadline."""
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(id=job_id)
        if job.is_finished:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"build {job_id} stayed {job.status} at {job.progress}%")
        time.sleep(0.2)


def test_a_worker_builds_a_requested_look_into_s3(s3_bucket, worker_factory, draft_look, user):
    worker_factory()
    job = services.request_look_build(draft_look, requested_by=user)
    job = wait_until_finished(job.id)
    assert job.status == JobStatus.SUCCEEDED, job.error
    draft_look.refresh_from_db()
    assert (draft_look.status, draft_look.version) == (LookStatus.READY, 1)
    assert job.look_version == draft_look.current_version
    keys = s3_bucket.keys(f"catalog/looks/{draft_look.id}/")
    assert f"catalog/looks/{draft_look.id}/v1.safetensors" in keys
    assert f"catalog/looks/{draft_look.id}/v1.cube" in keys
    assert sum("/references/" in key for key in keys) == 6
