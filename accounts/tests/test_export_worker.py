"""The export job end to end: a real worker process picks it up from the broker and builds it."""

import io
import time
import zipfile

import pytest
from django.core.files.storage import default_storage

from accounts import data_rights
from generation.models import Job, JobStatus

pytestmark = pytest.mark.worker


def wait_until_finished(job_id, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(id=job_id)
        if job.is_finished:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"export {job_id} stayed {job.status} at {job.progress}%")
        time.sleep(0.2)


def test_worker_builds_the_export(celery_worker_process, user, make_photo):
    photo = make_photo(user)
    job = data_rights.request_export(user)

    job = wait_until_finished(job.id)

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.progress, job.output.name) == (100, data_rights.export_name(job))
    with default_storage.open(job.output.name) as stored:
        members = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert sorted(members) == ["data.json", f"photos/{photo.id}.jpg"]
