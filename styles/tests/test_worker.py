"""A look build requested in the admin's way runs on a real worker process, on S3."""

import pytest

from jobs.models import JobStatus
from jobs.tests.fixtures import wait_for_job
from styles import services
from styles.models import LookStatus

pytestmark = pytest.mark.worker


def test_a_worker_builds_a_requested_look_into_s3(s3_bucket, worker_factory, draft_look, user):
    worker_factory()
    job = services.request_look_build(draft_look, requested_by=user)
    job = wait_for_job(job.id, timeout=180)
    assert job.status == JobStatus.SUCCEEDED, job.error
    draft_look.refresh_from_db()
    assert (draft_look.status, draft_look.version) == (LookStatus.READY, 1)
    assert job.look_version == draft_look.current_version
    keys = s3_bucket.keys(f"catalog/looks/{draft_look.id}/")
    assert f"catalog/looks/{draft_look.id}/v1.safetensors" in keys
    assert f"catalog/looks/{draft_look.id}/v1.cube" in keys
    assert sum("/references/" in key for key in keys) == 6
